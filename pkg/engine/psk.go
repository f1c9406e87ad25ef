package engine

import (
	"github.com/ikemu/ikemu/pkg/store"
)

const pskTable = "psk"

// PSKRef names a stored preshared key.
type PSKRef = store.Seq

// ScanPresharedKeys calls fn for each preshared key in order.
func (h *Host) ScanPresharedKeys(fn func(PSKRef, *PresharedKey) error) error {
	return h.b.Table(pskTable).Scan(func(s store.Seq, raw []byte) error {
		k, err := decodeRow[PresharedKey](raw)
		if err != nil {
			return err
		}
		return fn(s, k)
	})
}

// CountPresharedKeys returns the number of preshared keys.
func (h *Host) CountPresharedKeys() int { return h.b.Table(pskTable).Len() }

// ReplacePresharedKeys replaces the keys of one origin, keeping the other
// personality's.
func (h *Host) ReplacePresharedKeys(origin string, keys []PresharedKey) error {
	var kept []PresharedKey
	err := h.ScanPresharedKeys(func(_ PSKRef, k *PresharedKey) error {
		if k.Origin != origin {
			kept = append(kept, *k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	h.tx.cache.dropPSKs(h.Info.Name)
	if err := h.b.DropTable(pskTable); err != nil {
		return err
	}
	return h.AppendPresharedKeys(append(kept, keys...))
}

// AppendPresharedKeys appends keys in order.
func (h *Host) AppendPresharedKeys(keys []PresharedKey) error {
	h.tx.cache.dropPSKs(h.Info.Name)
	t, err := h.b.CreateTable(pskTable)
	if err != nil {
		return err
	}
	for i := range keys {
		if _, err := t.Append(&keys[i]); err != nil {
			return err
		}
	}
	return nil
}

// DeletePresharedKey removes one key.
func (h *Host) DeletePresharedKey(ref PSKRef) error {
	t := h.b.Table(pskTable)
	if t == nil {
		return Errf(CodeNotFound, "no preshared keys")
	}
	h.tx.cache.dropPSKs(h.Info.Name)
	return t.DeleteRow(ref)
}
