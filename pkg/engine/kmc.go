package engine

import (
	"github.com/ikemu/ikemu/pkg/store"
)

// kmcMap assigns key-management cookies per distinct label; a label keeps
// its number across reloads, as Solaris's persistent kmc map does.
// New labels are indexed together at save, in name order.
type kmcMap struct {
	t     *store.Table
	h     *Host
	max   uint32
	added map[string]uint32
	order []store.IndexEntry
}

const kmcMaxKey = "kmc_max"

func (m *kmcMap) cookie(label string) uint32 {
	if seq, ok := m.t.Lookup(label); ok {
		return uint32(seq)
	}
	if c, ok := m.added[label]; ok {
		return c
	}
	m.max++
	if m.added == nil {
		m.added = map[string]uint32{}
	}
	m.added[label] = m.max
	m.order = append(m.order, store.IndexEntry{Name: label, Seq: store.Seq(m.max)})
	return m.max
}

func (m *kmcMap) save() error {
	if err := m.t.SetIndexes(m.order); err != nil {
		return err
	}
	m.order, m.added = nil, nil
	return m.h.b.Put(kmcMaxKey, m.max)
}
