package engine

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/ikemu/ikemu/pkg/store"
)

// The engine owns how its state is bytes: every table and every record
// of a host bucket has one codec, named where the table is declared
// (tables.go). pkg/store only keeps the bytes, sealed with a checksum
// it checks on every read, so a codec sees only bytes that were written
// as they are; a decode failure is still reported as damage.

// codec turns one kind of row or record into bytes and back.
type codec[T any] interface {
	encode(*T) ([]byte, error)
	decode([]byte) (*T, error)
}

// jsonCodec is the codec of the small tables and records: JSON keeps
// them readable with standard tools, and they are never read in bulk.
type jsonCodec[T any] struct{}

func (jsonCodec[T]) encode(v *T) ([]byte, error) {
	switch a := any(v).(type) {
	case jsonAppender:
		if raw, ok := a.appendJSON(make([]byte, 0, jsonAppendSize)); ok {
			return raw, nil
		}
	case *uint32: // the tunnel number records
		return strconv.AppendUint(nil, uint64(*a), 10), nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return raw, nil
}

func (jsonCodec[T]) decode(raw []byte) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("%w: decode %T: %w", ErrDamaged, v, err)
	}
	return v, nil
}

// table is one table of a host bucket: its name and its rows' codec.
type table[T any] struct {
	name  string
	codec codec[T]
}

// of is the host's table (nil, which reads as empty, if it has none).
func (t table[T]) of(h *Host) *store.Table { return h.b.Table(t.name) }

// create is the host's table, created if needed.
func (t table[T]) create(h *Host) (*store.Table, error) { return h.b.CreateTable(t.name) }

// scan decodes each row of st in order.
func (t table[T]) scan(st *store.Table, fn func(store.Seq, *T) error) error {
	return st.Scan(func(s store.Seq, raw []byte) error {
		v, err := t.codec.decode(raw)
		if err != nil {
			return err
		}
		return fn(s, v)
	})
}

// scanReverse decodes each row of st from the last to the first.
func (t table[T]) scanReverse(st *store.Table, fn func(store.Seq, *T) error) error {
	return st.ScanReverse(func(s store.Seq, raw []byte) error {
		v, err := t.codec.decode(raw)
		if err != nil {
			return err
		}
		return fn(s, v)
	})
}

// get decodes row s; nil if there is none.
func (t table[T]) get(st *store.Table, s store.Seq) (*T, error) {
	raw, err := st.GetRow(s)
	if err != nil || raw == nil {
		return nil, err
	}
	return t.codec.decode(raw)
}

// append stores v as a new last row.
func (t table[T]) append(st *store.Table, v *T) (store.Seq, error) {
	raw, err := t.codec.encode(v)
	if err != nil {
		return 0, err
	}
	return st.Append(raw)
}

// put stores v as row s.
func (t table[T]) put(st *store.Table, s store.Seq, v *T) error {
	raw, err := t.codec.encode(v)
	if err != nil {
		return err
	}
	return st.PutRow(s, raw)
}

// record is one record of a bucket (a host's, or the lab's meta
// bucket): its key and its codec.
type record[T any] struct {
	key   string
	codec codec[T]
}

// get decodes the record into v; found=false (v untouched) if absent.
func (r record[T]) get(b *store.Bucket, v *T) (found bool, err error) {
	raw, err := b.Get(r.key)
	if err != nil || raw == nil {
		return false, err
	}
	got, err := r.codec.decode(raw)
	if err != nil {
		return true, fmt.Errorf("%s: %w", r.key, err)
	}
	*v = *got
	return true, nil
}

// put stores v as the record.
func (r record[T]) put(b *store.Bucket, v *T) error {
	raw, err := r.codec.encode(v)
	if err != nil {
		return err
	}
	return b.Put(r.key, raw)
}

// deleteRows deletes the rows match selects.
func deleteRows[T any](t table[T], st *store.Table, match func(*T) bool) (int, error) {
	var doomed []store.Seq
	err := t.scan(st, func(s store.Seq, v *T) error {
		if match(v) {
			doomed = append(doomed, s)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, s := range doomed {
		if err := st.DeleteRow(s); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

// updateRows rewrites the rows fn changes (returns true for).
func updateRows[T any](t table[T], st *store.Table, fn func(*T) bool) error {
	type row struct {
		s store.Seq
		v *T
	}
	var changed []row
	err := t.scan(st, func(s store.Seq, v *T) error {
		if fn(v) {
			changed = append(changed, row{s, v})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range changed {
		if err := t.put(st, r.s, r.v); err != nil {
			return err
		}
	}
	return nil
}
