package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Bucket is a host bucket, or a table inside one.
type Bucket struct {
	b *bolt.Bucket
}

// Get decodes the value under key into v; found=false if absent.
func (b *Bucket) Get(key string, v any) (bool, error) { return getJSON(b.b, key, v) }

// Put stores v under key.
func (b *Bucket) Put(key string, v any) error { return putJSON(b.b, key, v) }

// Delete removes key.
func (b *Bucket) Delete(key string) error { return b.b.Delete([]byte(key)) }

// Table returns the named sub-bucket, or nil when it does not exist (which
// reads as an empty table).
func (b *Bucket) Table(name string) *Table {
	sub := b.b.Bucket([]byte(name))
	if sub == nil {
		return nil
	}
	return newTable(sub)
}

// newTable wraps a table bucket. Rows are keyed by an increasing
// sequence, so appends always land on the last page: packing pages full
// instead of bbolt's half-full splits halves the file a dump has to map.
func newTable(b *bolt.Bucket) *Table {
	b.FillPercent = 0.95
	return &Table{b: b}
}

// CreateTable returns the named sub-bucket, creating it if needed.
func (b *Bucket) CreateTable(name string) (*Table, error) {
	sub, err := b.b.CreateBucketIfNotExists([]byte(name))
	if err != nil {
		return nil, fmt.Errorf("create table %s: %w", name, err)
	}
	return newTable(sub), nil
}

// DropTable removes the named sub-bucket if it exists.
func (b *Bucket) DropTable(name string) error {
	err := b.b.DeleteBucket([]byte(name))
	if errors.Is(err, berrors.ErrBucketNotFound) {
		return nil
	}
	return err
}

// Table is an ordered table: rows are keyed by an increasing sequence
// number, so iteration order is insertion order, and an optional string
// index maps names to sequence numbers.
type Table struct {
	b *bolt.Bucket
}

// Seq is a row key.
type Seq uint64

func seqKey(s Seq) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, uint64(s))
	return k
}

// Append stores v as a new last row and returns its key.
func (t *Table) Append(v any) (Seq, error) {
	n, err := t.b.NextSequence()
	if err != nil {
		return 0, err
	}
	s := Seq(n)
	return s, t.PutRow(s, v)
}

// AppendRaw stores an already encoded row as the new last row.
func (t *Table) AppendRaw(raw []byte) (Seq, error) {
	n, err := t.b.NextSequence()
	if err != nil {
		return 0, err
	}
	return Seq(n), t.putRow(seqKey(Seq(n)), raw)
}

// PutRowRaw stores an already encoded row under s.
func (t *Table) PutRowRaw(s Seq, raw []byte) error { return t.putRow(seqKey(s), raw) }

// GetRowRaw returns row s's encoded value (valid during the transaction).
func (t *Table) GetRowRaw(s Seq) []byte {
	if t == nil {
		return nil
	}
	return t.b.Get(seqKey(s))
}

// PutRow stores v under an existing or new key.
func (t *Table) PutRow(s Seq, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode row: %w", err)
	}
	return t.putRow(seqKey(s), raw)
}

// GetRow decodes row s into v.
func (t *Table) GetRow(s Seq, v any) (bool, error) {
	raw := t.b.Get(seqKey(s))
	if raw == nil {
		return false, nil
	}
	return true, json.Unmarshal(raw, v)
}

// DeleteRow removes row s.
func (t *Table) DeleteRow(s Seq) error {
	k := seqKey(s)
	if t.b.Get(k) == nil {
		return nil
	}
	if err := t.addRows(-1); err != nil {
		return err
	}
	return t.b.Delete(k)
}

// Len is the number of rows, read from the count the table keeps (index
// entries are not rows). A table written before the count was kept is
// counted row by row until its next write records the count.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	if n, ok := t.storedCount(); ok {
		return int(n)
	}
	return t.countRows()
}

// rowCountKey holds the row count. It is not 8 bytes long, so scans never
// take it for a row, and it sorts after every row key below 2^56.
var rowCountKey = []byte("\x00rows")

// putRow stores a row, counting it if it is new.
func (t *Table) putRow(k, raw []byte) error {
	if t.b.Get(k) == nil {
		if err := t.addRows(1); err != nil {
			return err
		}
	}
	return t.b.Put(k, raw)
}

// addRows moves the stored row count by d, before the write that
// changes the rows, counting a table that has no count yet.
func (t *Table) addRows(d int) error {
	n, ok := t.storedCount()
	if !ok {
		n = uint64(t.countRows())
	}
	return t.b.Put(rowCountKey, seqKey(Seq(int64(n)+int64(d))))
}

func (t *Table) storedCount() (uint64, bool) {
	v := t.b.Get(rowCountKey)
	if len(v) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(v), true
}

// countRows walks the rows: only for tables written before the count.
func (t *Table) countRows() int {
	n := 0
	c := t.b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil && len(k) == 8 {
			n++
		}
	}
	return n
}

// releaseEvery is how many rows a scan visits between two releases of
// the map's resident pages (releaseMapped).
const releaseEvery = 4096

// Scan calls fn with each row's key and raw value in order, stopping at
// the first error. The raw value is only valid during the call.
func (t *Table) Scan(fn func(s Seq, raw []byte) error) error {
	if t == nil {
		return nil
	}
	c := t.b.Cursor()
	n := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if n++; n%releaseEvery == 0 {
			releaseMapped(t.b.Tx())
		}
		if v == nil || len(k) != 8 {
			continue // nested index bucket
		}
		if err := fn(Seq(binary.BigEndian.Uint64(k)), v); err != nil {
			return err
		}
	}
	return nil
}

// ScanReverse is Scan from the last row to the first.
func (t *Table) ScanReverse(fn func(s Seq, raw []byte) error) error {
	if t == nil {
		return nil
	}
	c := t.b.Cursor()
	n := 0
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		if n++; n%releaseEvery == 0 {
			releaseMapped(t.b.Tx())
		}
		if v == nil || len(k) != 8 {
			continue
		}
		if err := fn(Seq(binary.BigEndian.Uint64(k)), v); err != nil {
			return err
		}
	}
	return nil
}

// Index returns the table's name index, creating it in writable transactions.
func (t *Table) index(create bool) (*bolt.Bucket, error) {
	name := []byte("\x00index")
	if ib := t.b.Bucket(name); ib != nil || !create {
		return ib, nil
	}
	return t.b.CreateBucket(name)
}

// Lookup returns the row key recorded for name.
func (t *Table) Lookup(name string) (Seq, bool) {
	if t == nil {
		return 0, false
	}
	ib, _ := t.index(false)
	if ib == nil {
		return 0, false
	}
	v := ib.Get([]byte(name))
	if len(v) != 8 {
		return 0, false
	}
	return Seq(binary.BigEndian.Uint64(v)), true
}

// SetIndex records name -> s.
func (t *Table) SetIndex(name string, s Seq) error {
	ib, err := t.index(true)
	if err != nil {
		return err
	}
	return ib.Put([]byte(name), seqKey(s))
}

// IndexEntry is one name -> row key of a table's index.
type IndexEntry struct {
	Name string
	Seq  Seq
}

// SetIndexes records many entries, in name order (a later entry for the
// same name wins): bbolt keeps a node's keys in one sorted array until
// commit, so putting 100,000 names in their own order moved that array
// once per name.
func (t *Table) SetIndexes(es []IndexEntry) error {
	if len(es) == 0 {
		return nil
	}
	ib, err := t.index(true)
	if err != nil {
		return err
	}
	sorted := slices.Clone(es)
	slices.SortStableFunc(sorted, func(a, b IndexEntry) int { return strings.Compare(a.Name, b.Name) })
	for _, e := range sorted {
		if err := ib.Put([]byte(e.Name), seqKey(e.Seq)); err != nil {
			return err
		}
	}
	return nil
}

// DeleteIndex forgets name.
func (t *Table) DeleteIndex(name string) error {
	ib, err := t.index(false)
	if err != nil || ib == nil {
		return err
	}
	return ib.Delete([]byte(name))
}

// seqIndexName is the table's ordered multi-index: keys are a name, a
// zero byte and a row key, so one name's rows sit together in row order.
var seqIndexName = []byte("\x00seqs")

func seqIndexKey(name string, s Seq) []byte {
	k := make([]byte, 0, len(name)+9)
	k = append(k, name...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(s))
}

// AddSeqIndex files row s under name in the multi-index, where a name
// may name many rows (name must not contain a zero byte).
func (t *Table) AddSeqIndex(name string, s Seq) error {
	ib := t.b.Bucket(seqIndexName)
	if ib == nil {
		var err error
		if ib, err = t.b.CreateBucket(seqIndexName); err != nil {
			return fmt.Errorf("create multi-index: %w", err)
		}
	}
	return ib.Put(seqIndexKey(name, s), nil)
}

// DeleteSeqIndex takes row s from under name in the multi-index.
func (t *Table) DeleteSeqIndex(name string, s Seq) error {
	ib := t.b.Bucket(seqIndexName)
	if ib == nil {
		return nil
	}
	return ib.Delete(seqIndexKey(name, s))
}

// ScanSeqIndexReverse calls fn with the rows filed under name, newest
// (highest key) first, until fn returns false or an error. It costs a
// seek plus one step per row visited, whatever the table's size.
func (t *Table) ScanSeqIndexReverse(name string, fn func(Seq) (bool, error)) error {
	if t == nil {
		return nil
	}
	ib := t.b.Bucket(seqIndexName)
	if ib == nil {
		return nil
	}
	prefix := append([]byte(name), 0)
	c := ib.Cursor()
	k, _ := c.Seek(append([]byte(name), 1)) // just past the name's keys
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for ; k != nil && len(k) == len(prefix)+8 && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
		more, err := fn(Seq(binary.BigEndian.Uint64(k[len(prefix):])))
		if err != nil || !more {
			return err
		}
	}
	return nil
}
