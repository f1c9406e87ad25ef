package engine

import (
	"encoding/json"
	"fmt"

	"github.com/ikemu/ikemu/pkg/store"
)

func deleteRows[T any](t *store.Table, match func(*T) bool) (int, error) {
	var doomed []store.Seq
	err := t.Scan(func(s store.Seq, raw []byte) error {
		v, err := decodeRow[T](raw)
		if err != nil {
			return err
		}
		if match(v) {
			doomed = append(doomed, s)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, s := range doomed {
		if err := t.DeleteRow(s); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

func updateRows[T any](t *store.Table, fn func(*T) bool) error {
	type row struct {
		s store.Seq
		v *T
	}
	var changed []row
	err := t.Scan(func(s store.Seq, raw []byte) error {
		v, err := decodeRow[T](raw)
		if err != nil {
			return err
		}
		if fn(v) {
			changed = append(changed, row{s, v})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range changed {
		if err := t.PutRow(r.s, r.v); err != nil {
			return err
		}
	}
	return nil
}

func decodeRow[T any](raw []byte) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("%w: decode row: %w", ErrDamaged, err)
	}
	return v, nil
}
