package engine

import (
	"github.com/ikemu/ikemu/pkg/store"
)

// kmcMap assigns key-management cookies per distinct label; a label keeps
// its number across reloads, as Solaris's persistent kmc map does.
type kmcMap struct {
	t     *store.Table
	h     *Host
	max   uint32
	added map[string]uint32
	order []store.IndexEntry
}

const kmcMaxKey = "kmc_max"

func (m *kmcMap) cookie(label string) (uint32, error) {
	if seq, ok, err := m.t.Lookup(label); ok || err != nil {
		return uint32(seq), err
	}
	if c, ok := m.added[label]; ok {
		return c, nil
	}
	m.max++
	if m.added == nil {
		m.added = map[string]uint32{}
	}
	m.added[label] = m.max
	m.order = append(m.order, store.IndexEntry{Name: label, Seq: store.Seq(m.max)})
	return m.max, nil
}

func (m *kmcMap) save() error {
	if err := m.t.SetIndexes(m.order); err != nil {
		return err
	}
	m.order, m.added = nil, nil
	return counterRecord(kmcMaxKey).put(m.h.b, &m.max)
}
