package engine

import (
	"github.com/ikemu/ikemu/pkg/store"
)

// ManualSAs is the host's table of manually keyed SAs, named by
// protocol, SPI and destination.
type ManualSAs struct{ h *Host }

// ManualSAs is the host's manual SA table.
func (h *Host) ManualSAs() ManualSAs { return ManualSAs{h} }

// Add stores a new manual SA; one with its name already there is
// ErrDuplicate.
func (v ManualSAs) Add(sa *ManualSA) error {
	t, err := v.h.b.CreateTable(manualSATable)
	if err != nil {
		return err
	}
	key := sa.Key().index()
	if _, ok := t.Lookup(key); ok {
		return errorf(ErrDuplicate, "SA %s spi 0x%x to %s exists", sa.Protocol, sa.SPI, sa.Dst)
	}
	s, err := t.Append(sa)
	if err != nil {
		return err
	}
	return t.SetIndex(key, s)
}

// Update replaces the manual SA of sa's name; none is ErrNotFound.
func (v ManualSAs) Update(sa *ManualSA) error {
	t := v.h.b.Table(manualSATable)
	s, ok := t.Lookup(sa.Key().index())
	if !ok {
		return errorf(ErrNotFound, "no SA %s spi 0x%x to %s", sa.Protocol, sa.SPI, sa.Dst)
	}
	return t.PutRow(s, sa)
}

// Get returns the live manual SA named k, or nil.
func (v ManualSAs) Get(k ManualSAKey) (*ManualSA, error) {
	t := v.h.b.Table(manualSATable)
	s, ok := t.Lookup(k.index())
	if !ok {
		return nil, nil
	}
	raw := t.GetRowRaw(s)
	if raw == nil {
		return nil, nil
	}
	sa, err := decodeRow[ManualSA](raw)
	if err != nil || sa.Expired(v.h.tx.now) {
		return nil, err
	}
	return sa, nil
}

// Delete removes the manual SA named k and reports whether there was one.
func (v ManualSAs) Delete(k ManualSAKey) (bool, error) {
	t := v.h.b.Table(manualSATable)
	s, ok := t.Lookup(k.index())
	if !ok {
		return false, nil
	}
	if err := t.DeleteRow(s); err != nil {
		return false, err
	}
	return true, t.DeleteIndex(k.index())
}

// Scan calls fn for each live manual SA in the order they were added.
func (v ManualSAs) Scan(fn func(*ManualSA) error) error {
	return v.h.b.Table(manualSATable).Scan(func(_ store.Seq, raw []byte) error {
		sa, err := decodeRow[ManualSA](raw)
		if err != nil {
			return err
		}
		if sa.Expired(v.h.tx.now) {
			return nil
		}
		return fn(sa)
	})
}

// Flush removes the manual SAs match selects and returns how many went.
func (v ManualSAs) Flush(match func(*ManualSA) bool) (int, error) {
	var gone []ManualSAKey
	err := v.h.b.Table(manualSATable).Scan(func(_ store.Seq, raw []byte) error {
		sa, err := decodeRow[ManualSA](raw)
		if err == nil && match(sa) {
			gone = append(gone, sa.Key())
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, k := range gone {
		if _, err := v.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(gone), nil
}
