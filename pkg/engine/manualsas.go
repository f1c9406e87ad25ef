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
	rows := manualSARows()
	t, err := rows.create(v.h)
	if err != nil {
		return err
	}
	key := sa.Key().index()
	if _, ok, err := t.Lookup(key); ok || err != nil {
		if err != nil {
			return err
		}
		return errorf(ErrDuplicate, "SA %s spi 0x%x to %s exists", sa.Protocol, sa.SPI, sa.Dst)
	}
	s, err := rows.append(t, sa)
	if err != nil {
		return err
	}
	if err := v.h.SADB().manualChanged(SADBAdd, sa); err != nil {
		return err
	}
	return t.SetIndex(key, s)
}

// Update replaces the manual SA of sa's name; none is ErrNotFound. Its
// UPDATE is an SADB event.
func (v ManualSAs) Update(sa *ManualSA) error { return v.update(sa, true) }

// note rewrites the SA's row with what the kernel notes of it (its first
// use), which no PF_KEY message tells.
func (v ManualSAs) note(sa *ManualSA) error { return v.update(sa, false) }

func (v ManualSAs) update(sa *ManualSA, event bool) error {
	rows := manualSARows()
	t := rows.of(v.h)
	s, ok, err := t.Lookup(sa.Key().index())
	if err != nil {
		return err
	}
	if !ok {
		return errorf(ErrNotFound, "no SA %s spi 0x%x to %s", sa.Protocol, sa.SPI, sa.Dst)
	}
	if event {
		if err := v.h.SADB().manualChanged(SADBUpdate, sa); err != nil {
			return err
		}
	}
	return rows.put(t, s, sa)
}

// Get returns the live manual SA named k, or nil.
func (v ManualSAs) Get(k ManualSAKey) (*ManualSA, error) {
	rows := manualSARows()
	t := rows.of(v.h)
	s, ok, err := t.Lookup(k.index())
	if err != nil || !ok {
		return nil, err
	}
	sa, err := rows.get(t, s)
	if err != nil || sa == nil || sa.Expired(v.h.tx.now) {
		return nil, err
	}
	return sa, nil
}

// Delete removes the manual SA named k and reports whether there was
// one; its DELETE is an SADB event.
func (v ManualSAs) Delete(k ManualSAKey) (bool, error) {
	return v.remove(k, true)
}

func (v ManualSAs) remove(k ManualSAKey, event bool) (bool, error) {
	rows := manualSARows()
	t := rows.of(v.h)
	s, ok, err := t.Lookup(k.index())
	if err != nil || !ok {
		return false, err
	}
	sa, err := rows.get(t, s)
	if err == nil {
		err = v.h.SADB().sweepNow() // what ran out before goes on record first
	}
	if err == nil && event && sa != nil && !sa.Expired(v.h.tx.now) {
		err = v.h.SADB().manualChanged(SADBDelete, sa)
	}
	if err != nil {
		return false, err
	}
	if err := t.DeleteRow(s); err != nil {
		return false, err
	}
	return true, t.DeleteIndex(k.index())
}

// Scan calls fn for each live manual SA in the order they were added.
func (v ManualSAs) Scan(fn func(*ManualSA) error) error {
	rows := manualSARows()
	return rows.scan(rows.of(v.h), func(_ store.Seq, sa *ManualSA) error {
		if sa.Expired(v.h.tx.now) {
			return nil
		}
		return fn(sa)
	})
}

// Flush removes the manual SAs match selects and returns how many went;
// SADB.Flush records them as one FLUSH.
func (v ManualSAs) Flush(match func(*ManualSA) bool) (int, error) {
	var gone []ManualSAKey
	rows := manualSARows()
	err := rows.scan(rows.of(v.h), func(_ store.Seq, sa *ManualSA) error {
		if match(sa) {
			gone = append(gone, sa.Key())
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range gone {
		if _, err := v.remove(k, false); err != nil {
			return 0, err
		}
	}
	return len(gone), nil
}
