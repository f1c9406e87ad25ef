package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
)

// Table is an ordered table: rows are keyed by an increasing sequence
// number, so iteration order is insertion order, with a kept row count,
// an optional name index and an ordered multi-index. Rows are bytes; the
// table's owner encodes them. A nil Table is an empty one; a Table with
// err set (a damaged page) returns err from every call that reads.
type Table struct {
	*Bucket
	err error
}

// Seq is a row key.
type Seq uint64

func seqKey(s Seq) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, uint64(s))
	return k
}

// Append stores raw as the new last row and returns its key.
func (t *Table) Append(raw []byte) (Seq, error) {
	if t.err != nil {
		return 0, t.err
	}
	n, err := t.b.NextSequence()
	if err != nil {
		return 0, err
	}
	k := seqKey(Seq(n))
	if t.b.Get(k) != nil {
		// The bucket's sequence went back: appending would overwrite a row.
		return 0, t.at.damaged("its sequence %d names a stored row", n)
	}
	// New, as just seen: counted without looking for it again.
	if err := t.addRows(1); err != nil {
		return 0, err
	}
	return Seq(n), t.b.Put(k, t.sum.seal(k, raw))
}

// PutRow stores raw under an existing or new key.
func (t *Table) PutRow(s Seq, raw []byte) error {
	if t.err != nil {
		return t.err
	}
	return t.putRow(seqKey(s), raw)
}

// GetRow returns row s's bytes (valid during the transaction), nil if
// there is no such row.
func (t *Table) GetRow(s Seq) ([]byte, error) {
	if t == nil {
		return nil, nil
	}
	if t.err != nil {
		return nil, t.err
	}
	k := seqKey(s)
	v := t.b.Get(k)
	if v == nil {
		return nil, nil
	}
	raw, ok := t.sum.unseal(k, v)
	if !ok {
		return nil, t.at.badSum(k)
	}
	return raw, nil
}

// DeleteRow removes row s.
func (t *Table) DeleteRow(s Seq) error {
	if t.err != nil {
		return t.err
	}
	k := seqKey(s)
	if t.b.Get(k) == nil {
		return nil
	}
	if err := t.addRows(-1); err != nil {
		return err
	}
	return t.b.Delete(k)
}

// DropOldest deletes the first n rows (fewer if the table has fewer) in
// one walk, with one update of the row count: a bounded log trims itself
// this way.
func (t *Table) DropOldest(n int) error {
	if t.err != nil {
		return t.err
	}
	c := t.b.Cursor()
	gone := 0
	for k, v := c.First(); k != nil && gone < n; {
		if v == nil || len(k) != 8 {
			k, v = c.Next()
			continue
		}
		if err := c.Delete(); err != nil {
			return err
		}
		gone++
		// After a delete the cursor sits on the next key already.
		k, v = c.Seek(k)
	}
	return t.addRows(-gone)
}

// Len is the number of rows, read from the count the table keeps (index
// entries are not rows). A count that fails its checksum is recounted.
func (t *Table) Len() int {
	if t == nil || t.err != nil {
		return 0
	}
	if n, ok, err := t.storedCount(); ok && err == nil {
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
	return t.b.Put(k, t.sum.seal(k, raw))
}

// addRows moves the stored row count by d, before the write that
// changes the rows.
func (t *Table) addRows(d int) error {
	n, _, err := t.storedCount()
	if err != nil {
		return err
	}
	return t.putCount(uint64(int64(n) + int64(d)))
}

func (t *Table) putCount(n uint64) error {
	return t.b.Put(rowCountKey, t.sum.seal(rowCountKey, seqKey(Seq(n))))
}

func (t *Table) storedCount() (uint64, bool, error) {
	v := t.b.Get(rowCountKey)
	if v == nil {
		return 0, false, nil
	}
	raw, ok := t.sum.unseal(rowCountKey, v)
	if !ok || len(raw) != 8 {
		return 0, false, t.at.badSum(rowCountKey)
	}
	return binary.BigEndian.Uint64(raw), true, nil
}

// countRows walks the rows.
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

// Scan calls fn with each row's key and bytes in order, stopping at the
// first error. The bytes are only valid during the call. A row that
// fails its checksum, or a scan that finds another number of rows than
// the table's count (a damaged page dropped some), ends the scan with a
// DamagedError.
func (t *Table) Scan(fn func(s Seq, raw []byte) error) error {
	return t.scan(false, fn)
}

// ScanReverse is Scan from the last row to the first.
func (t *Table) ScanReverse(fn func(s Seq, raw []byte) error) error {
	return t.scan(true, fn)
}

func (t *Table) scan(reverse bool, fn func(s Seq, raw []byte) error) error {
	if t == nil {
		return nil
	}
	if t.err != nil {
		return t.err
	}
	c := t.b.Cursor()
	first, next := c.First, c.Next
	if reverse {
		first, next = c.Last, c.Prev
	}
	n := uint64(0)
	visited := 0
	for k, v := first(); k != nil; k, v = next() {
		if visited++; visited%releaseEvery == 0 {
			releaseMapped(t.b.Tx())
		}
		if v == nil || len(k) != 8 {
			continue // the count, the manifest or an index bucket
		}
		raw, ok := t.sum.unseal(k, v)
		if !ok {
			return t.at.badSum(k)
		}
		n++
		if err := fn(Seq(binary.BigEndian.Uint64(k)), raw); err != nil {
			return err
		}
	}
	return t.checkCount(n)
}

// releaseEvery is how many rows a scan visits between two releases of
// the map's resident pages (releaseMapped), and indexReleaseEvery how
// many index entries: a few times smaller than a row, and a release
// costs a walk of the whole map.
const (
	releaseEvery      = 4096
	indexReleaseEvery = 4 * releaseEvery
)

// checkCount compares the rows a whole scan saw with the stored count.
func (t *Table) checkCount(n uint64) error {
	want, ok, err := t.storedCount()
	if err != nil {
		return err
	}
	if !ok {
		return t.at.damaged("its row count is missing")
	}
	if want != n {
		return t.at.damaged("%d rows where its count says %d", n, want)
	}
	return nil
}

var indexName = "\x00index"

// Lookup returns the row key recorded for name in the name index. A
// name it does not hold is a miss only when the index is sound where the
// name would sit (missAt).
func (t *Table) Lookup(name string) (Seq, bool, error) {
	if t == nil {
		return 0, false, nil
	}
	if t.err != nil {
		return 0, false, t.err
	}
	ib, err := t.subBucket(indexName)
	if ib == nil || err != nil {
		return 0, false, err
	}
	at := t.child(ib, indexName, "name index")
	k := []byte(name)
	v := ib.Get(k)
	if v == nil {
		return 0, false, at.missAt(k)
	}
	raw, ok := at.sum.unseal(k, v)
	if !ok || len(raw) != 8 {
		return 0, false, at.at.badSum(k)
	}
	return Seq(binary.BigEndian.Uint64(raw)), true, nil
}

// ScanIndex calls fn with each entry of the name index in name order
// (bytewise), stopping at the first error. The name is valid for the
// transaction. An entry that fails its checksum ends the scan with a
// DamagedError; an entry a damaged page dropped is not seen, so a
// caller that misses a name looks it up (Lookup tells damage from a
// miss).
func (t *Table) ScanIndex(fn func(name []byte, s Seq) error) error {
	if t == nil {
		return nil
	}
	if t.err != nil {
		return t.err
	}
	ib, err := t.subBucket(indexName)
	if ib == nil || err != nil {
		return err
	}
	at := t.child(ib, indexName, "name index")
	c := ib.Cursor()
	visited := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if visited++; visited%indexReleaseEvery == 0 {
			releaseMapped(t.b.Tx())
		}
		if v == nil {
			continue
		}
		raw, ok := at.sum.unseal(k, v)
		if !ok || len(raw) != 8 {
			return at.at.badSum(k)
		}
		if err := fn(k, Seq(binary.BigEndian.Uint64(raw))); err != nil {
			return err
		}
	}
	return nil
}

// missAt checks the index entries on either side of where k would sit:
// a bit flipped in a key leaves the entry where its name sorted, so the
// name looked up misses there, and the entry's checksum (sealed with
// the name it had) fails under the key it now has. A seek and a step:
// a miss costs no more on a large index than a hit.
func (b *Bucket) missAt(k []byte) error {
	c := b.b.Cursor()
	next, v := c.Seek(k)
	if next != nil && v != nil {
		if _, ok := b.sum.unseal(next, v); !ok {
			return b.at.badSum(next)
		}
	}
	var prev []byte
	if next == nil {
		prev, v = c.Last()
	} else {
		prev, v = c.Prev()
	}
	if prev != nil && v != nil {
		if _, ok := b.sum.unseal(prev, v); !ok {
			return b.at.badSum(prev)
		}
	}
	return nil
}

// SetIndex records name -> s.
func (t *Table) SetIndex(name string, s Seq) error {
	if t.err != nil {
		return t.err
	}
	ib, err := t.createSub(indexName)
	if err != nil {
		return err
	}
	k := []byte(name)
	return ib.Put(k, t.child(ib, indexName, "name index").sum.seal(k, seqKey(s)))
}

// IndexEntry is one name -> row key of a table's index.
type IndexEntry struct {
	Name string
	Seq  Seq
}

// SetIndexes records many entries, in name order (a later entry for the
// same name wins): bbolt keeps a node's keys in one sorted array until
// commit, so putting 100,000 names in their own order moved that array
// once per name. It sorts es in place: a load's copy would be 2.4 MB of
// 100,000 entries.
func (t *Table) SetIndexes(es []IndexEntry) error {
	if len(es) == 0 {
		return nil
	}
	if t.err != nil {
		return t.err
	}
	ib, err := t.createSub(indexName)
	if err != nil {
		return err
	}
	sum := t.child(ib, indexName, "name index").sum
	slices.SortStableFunc(es, func(a, b IndexEntry) int { return strings.Compare(a.Name, b.Name) })
	for _, e := range es {
		k := []byte(e.Name)
		if err := ib.Put(k, sum.seal(k, seqKey(e.Seq))); err != nil {
			return err
		}
	}
	return nil
}

// DeleteIndex forgets name.
func (t *Table) DeleteIndex(name string) error {
	if t.err != nil {
		return t.err
	}
	ib, err := t.subBucket(indexName)
	if err != nil || ib == nil {
		return err
	}
	return ib.Delete([]byte(name))
}

// seqIndexName is the table's ordered multi-index: keys are a name, a
// zero byte and a row key, so one name's rows sit together in row order.
var seqIndexName = "\x00seqs"

func seqIndexKey(name string, s Seq) []byte {
	k := make([]byte, 0, len(name)+9)
	k = append(k, name...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(s))
}

// AddSeqIndex files row s under name in the multi-index, where a name
// may name many rows (name must not contain a zero byte).
func (t *Table) AddSeqIndex(name string, s Seq) error {
	if t.err != nil {
		return t.err
	}
	ib, err := t.createSub(seqIndexName)
	if err != nil {
		return fmt.Errorf("create multi-index: %w", err)
	}
	k := seqIndexKey(name, s)
	return ib.Put(k, t.child(ib, seqIndexName, "multi-index").sum.seal(k, nil))
}

// DeleteSeqIndex takes row s from under name in the multi-index.
func (t *Table) DeleteSeqIndex(name string, s Seq) error {
	if t.err != nil {
		return t.err
	}
	ib, err := t.subBucket(seqIndexName)
	if err != nil || ib == nil {
		return err
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
	if t.err != nil {
		return t.err
	}
	ib, err := t.subBucket(seqIndexName)
	if err != nil || ib == nil {
		return err
	}
	at := t.child(ib, seqIndexName, "multi-index")
	prefix := append([]byte(name), 0)
	c := ib.Cursor()
	var k, v []byte
	if k, _ = c.Seek(append([]byte(name), 1)); k == nil { // just past the name's keys
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && len(k) == len(prefix)+8 && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		if _, ok := at.sum.unseal(k, v); !ok {
			return at.at.badSum(k)
		}
		more, err := fn(Seq(binary.BigEndian.Uint64(k[len(prefix):])))
		if err != nil || !more {
			return err
		}
	}
	return nil
}
