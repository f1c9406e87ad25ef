package engine

import (
	"github.com/ikemu/ikemu/pkg/store"
)

// kmcMap assigns key-management cookies per distinct label; a label keeps
// its number across reloads, as Solaris's persistent kmc map does.
type kmcMap struct {
	t   *store.Table
	h   *Host
	max uint32
}

const kmcMaxKey = "kmc_max"

func (m *kmcMap) cookie(label string) (uint32, error) {
	if seq, ok, err := m.t.Lookup(label); ok || err != nil {
		return uint32(seq), err
	}
	m.max++
	return m.max, m.t.SetIndex(label, store.Seq(m.max))
}

func (m *kmcMap) save() error { return counterRecord(kmcMaxKey).put(m.h.b, &m.max) }
