package engine

import (
	"net/netip"

	"github.com/ikemu/ikemu/pkg/store"
)

// Keys is a host's preshared keys.
type Keys struct{ h *Host }

// Keys is the host's keys.
func (h *Host) Keys() Keys { return Keys{h} }

// For returns the first preshared key for an address pair.
func (v Keys) For(local, remote netip.Addr) (*PresharedKey, error) {
	c, err := v.cached()
	if err != nil {
		return nil, err
	}
	i := c.byRemote.first(remote.WithZone("").Unmap(), func(i int) bool { return c.rows[i].key.MatchAddrs(local, remote) })
	if i < 0 {
		return nil, nil
	}
	return c.rows[i].key, nil
}

// pskCache is a host's preshared keys, decoded, in order, with an index
// by the remote address each can match.
type pskCache struct {
	rows     []pskRow
	byRemote addrIndex
}

// cached decodes the preshared keys once per transaction.
func (v Keys) cached() (*pskCache, error) {
	if c, ok := v.h.tx.cache.psks[v.h.Info.Name]; ok {
		return c, nil
	}
	c := &pskCache{}
	err := v.Scan(func(ref PSKRef, k *PresharedKey) error {
		a, exact, never := exactAddr(k.RemoteIDType, k.RemoteAddr, k.RemotePlen)
		if !never {
			c.byRemote.add(len(c.rows), []netip.Addr{a}, exact)
		}
		c.rows = append(c.rows, pskRow{ref, k})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if v.h.tx.cache.psks == nil {
		v.h.tx.cache.psks = map[string]*pskCache{}
	}
	v.h.tx.cache.psks[v.h.Info.Name] = c
	return c, nil
}

// Scan calls fn for each preshared key in order.
func (v Keys) Scan(fn func(PSKRef, *PresharedKey) error) error {
	keys := presharedKeys()
	return keys.scan(keys.of(v.h), fn)
}

// Count returns the number of preshared keys.
func (v Keys) Count() int { return v.h.b.Table(pskTable).Len() }

// Replace replaces the keys of one origin, keeping the other
// personality's.
func (v Keys) Replace(origin string, keys []PresharedKey) error {
	var kept []PresharedKey
	err := v.Scan(func(_ PSKRef, k *PresharedKey) error {
		if k.Origin != origin {
			kept = append(kept, *k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	v.h.tx.cache.dropPSKs(v.h.Info.Name)
	if err := v.h.b.DropTable(pskTable); err != nil {
		return err
	}
	return v.Append(append(kept, keys...))
}

// Append appends keys in order.
func (v Keys) Append(keys []PresharedKey) error {
	v.h.tx.cache.dropPSKs(v.h.Info.Name)
	psks := presharedKeys()
	t, err := psks.create(v.h)
	if err != nil {
		return err
	}
	for i := range keys {
		if _, err := psks.append(t, &keys[i]); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes one key.
func (v Keys) Delete(ref PSKRef) error {
	t := v.h.b.Table(pskTable)
	if t == nil {
		return errorf(ErrNotFound, "no preshared keys")
	}
	v.h.tx.cache.dropPSKs(v.h.Info.Name)
	return t.DeleteRow(ref)
}

const pskTable = "psk"

// PSKRef names a stored preshared key.
type PSKRef = store.Seq
