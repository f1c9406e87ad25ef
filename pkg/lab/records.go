package lab

import (
	"encoding/json"
	"fmt"

	"github.com/ikemu/ikemu/pkg/store"
)

// The lab's own records in the meta bucket (clock, seed, next_pid) are
// JSON, the lab's one codec; pkg/store seals and checks the bytes.

func getMeta(st *store.Tx, key string, v any) (bool, error) {
	raw, err := st.GetMeta(key)
	if err != nil || raw == nil {
		return false, err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("lab record %s: %w", key, err)
	}
	return true, nil
}

func putMeta(st *store.Tx, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("lab record %s: %w", key, err)
	}
	return st.PutMeta(key, raw)
}
