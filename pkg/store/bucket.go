package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Bucket is a host bucket (or the meta or hosts bucket): records under
// string keys, and tables. It handles bytes only: each table's codec is
// its owner's (the engine's).
type Bucket struct {
	b   *bolt.Bucket
	sum pathSum
	at  where
	// walkedNoSubs records that a walk of a bucket without a list of
	// sub-buckets found none: a load that looks names up in a table
	// whose index it has not written yet walks the table once, not once
	// per name.
	walkedNoSubs bool
}

// child is the sub-bucket sub, named name; label says what it is in
// damage reports ("table p1sa").
func (b *Bucket) child(sub *bolt.Bucket, name, label string) *Bucket {
	return &Bucket{b: sub, sum: b.sum.child([]byte(name)), at: b.at.under(label)}
}

// Get returns the bytes stored under key (valid during the transaction),
// nil if there are none, and a DamagedError when their checksum fails or
// the bucket's list of records names a key bbolt does not find.
func (b *Bucket) Get(key string) ([]byte, error) {
	k := []byte(key)
	v := b.b.Get(k)
	if v == nil {
		return nil, b.checkAbsent(key)
	}
	payload, ok := b.sum.unseal(k, v)
	if !ok {
		return nil, b.at.badSum(k)
	}
	return payload, nil
}

// checkAbsent tells a record never written from one a damaged page
// hides: the list of records names it, or the list itself is gone from
// a bucket that holds records.
func (b *Bucket) checkAbsent(key string) error {
	if b.b.Get(recordsKey) == nil {
		c := b.b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if string(k) == string(recordsKey) || v != nil && string(k) != string(manifestKey) && string(k) != string(schemaKey) {
				return b.at.damaged("its list of records is missing")
			}
		}
		return nil
	}
	listed, err := b.names(recordsKey)
	if err == nil && slices.Contains(listed, key) {
		err = b.at.damaged("record %s is missing", printable(key))
	}
	return err
}

// Put stores raw under key.
func (b *Bucket) Put(key string, raw []byte) error {
	k := []byte(key)
	if b.b.Get(k) == nil {
		listed, err := b.names(recordsKey)
		if err != nil {
			return err
		}
		if err := b.putNames(recordsKey, append(listed, key)); err != nil {
			return err
		}
	}
	return b.b.Put(k, b.sum.seal(k, raw))
}

// Delete removes key.
func (b *Bucket) Delete(key string) error {
	k := []byte(key)
	if b.b.Get(k) == nil {
		return nil
	}
	listed, err := b.names(recordsKey)
	if err != nil {
		return err
	}
	if err := b.putNames(recordsKey, slices.DeleteFunc(listed, func(n string) bool { return n == key })); err != nil {
		return err
	}
	return b.b.Delete(k)
}

// Damaged reports damage the bucket's owner found (records that each
// hold their checksum but contradict each other): the transaction fails
// with it, as with damage the store finds itself.
func (b *Bucket) Damaged(format string, args ...any) error {
	return b.at.damaged(format, args...)
}

// Table returns the named table. A table that does not exist reads as
// empty; one the bucket's manifest lists but bbolt cannot find (a
// damaged page) returns its DamagedError from every call.
func (b *Bucket) Table(name string) *Table {
	sub, err := b.subBucket(name)
	if err != nil {
		return &Table{err: err}
	}
	if sub == nil {
		return nil
	}
	return newTable(b.child(sub, name, "table "+printable(name)))
}

// packedFill is the FillPercent of tables and their indexes.
const packedFill = 0.95

// newTable wraps a table bucket. Rows are keyed by an increasing
// sequence, so appends always land on the last page: packing pages full
// instead of bbolt's half-full splits halves the file a dump has to map.
func newTable(b *Bucket) *Table {
	b.b.FillPercent = packedFill
	return &Table{Bucket: b}
}

// CreateTable returns the named table, creating it if needed.
func (b *Bucket) CreateTable(name string) (*Table, error) {
	fresh := b.b.Bucket([]byte(name)) == nil
	sub, err := b.createSub(name)
	if err != nil {
		return nil, fmt.Errorf("create table %s: %w", name, err)
	}
	t := newTable(b.child(sub, name, "table "+printable(name)))
	if fresh {
		// Every table has its count, so that a table a damaged page
		// swaps for an empty one does not read as empty.
		if err := t.putCount(0); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// DropTable removes the named table if it exists.
func (b *Bucket) DropTable(name string) error { return b.dropSub(name) }

// manifestKey lists a bucket's sub-buckets. bbolt keeps no checksum of
// a bucket's name or of the flag that marks it a bucket, so without the
// list a damaged page would make a table or a host silently vanish.
var manifestKey = []byte("\x00sub-buckets") // not 8 bytes: never a row key

// recordsKey lists a host's (or the meta bucket's) records, so that a
// damaged key reads as damage, not as a record never written.
var recordsKey = []byte("\x00records")

// subBucket returns the named sub-bucket, nil if there is none, and a
// DamagedError if the manifest lists it but bbolt does not find it.
func (b *Bucket) subBucket(name string) (*bolt.Bucket, error) {
	if sub := b.b.Bucket([]byte(name)); sub != nil {
		return sub, nil
	}
	if b.b.Get(manifestKey) == nil {
		if b.walkedNoSubs {
			return nil, nil
		}
		// No list: then there must be no sub-bucket either (a damaged
		// page can hide the list from bbolt's search, not from a walk).
		c := b.b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil || string(k) == string(manifestKey) {
				return nil, b.at.damaged("its list of sub-buckets is missing")
			}
		}
		b.walkedNoSubs = true
		return nil, nil
	}
	names, err := b.manifest()
	if err != nil {
		return nil, err
	}
	if slices.Contains(names, name) {
		return nil, b.at.damaged("%s is missing", printable(name))
	}
	return nil, nil
}

// createSub packs the sub-bucket's pages full: bbolt splits nodes only
// when the transaction commits, after sorting their keys, so a bulk load
// fills pages whatever order its keys came in, and a half-full split
// (bbolt's default) doubles the pages a load holds in memory until then.
func (b *Bucket) createSub(name string) (*bolt.Bucket, error) {
	if sub := b.b.Bucket([]byte(name)); sub != nil {
		sub.FillPercent = packedFill
		return sub, nil
	}
	names, err := b.manifest()
	if err != nil {
		return nil, err
	}
	if slices.Contains(names, name) {
		return nil, b.at.damaged("%s is missing", printable(name))
	}
	sub, err := b.b.CreateBucket([]byte(name))
	if err != nil {
		return nil, err
	}
	sub.FillPercent = packedFill
	return sub, b.putManifest(append(names, name))
}

func (b *Bucket) dropSub(name string) error {
	err := b.b.DeleteBucket([]byte(name))
	if errors.Is(err, berrors.ErrBucketNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	names, err := b.manifest()
	if err != nil {
		return err
	}
	return b.putManifest(slices.DeleteFunc(names, func(n string) bool { return n == name }))
}

// manifest reads the list of sub-buckets.
func (b *Bucket) manifest() ([]string, error) { return b.names(manifestKey) }

func (b *Bucket) putManifest(names []string) error { return b.putNames(manifestKey, names) }

// names reads a list of names kept under key.
func (b *Bucket) names(key []byte) ([]string, error) {
	v := b.b.Get(key)
	if v == nil {
		return nil, nil
	}
	raw, ok := b.sum.unseal(key, v)
	if !ok {
		return nil, b.at.badSum(key)
	}
	names, ok := decodeNames(raw)
	if !ok {
		return nil, b.at.damaged("its list %s does not decode", printable(string(key)))
	}
	return names, nil
}

func (b *Bucket) putNames(key []byte, names []string) error {
	if len(names) == 0 {
		return b.b.Delete(key)
	}
	return b.b.Put(key, b.sum.seal(key, encodeNames(names)))
}

// subNames lists the sub-buckets bbolt finds, checked against the
// manifest: a name that differs is a damaged page.
func (b *Bucket) subNames() ([]string, error) {
	var found []string
	c := b.b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			found = append(found, string(k))
		}
	}
	listed, err := b.manifest()
	if err != nil {
		return nil, err
	}
	sorted := slices.Clone(listed)
	slices.Sort(sorted)
	if !slices.Equal(found, sorted) {
		return nil, b.at.damaged("its sub-buckets %q differ from its list %q", found, sorted)
	}
	return found, nil
}

func encodeNames(names []string) []byte {
	var b []byte
	for _, n := range names {
		b = binary.AppendUvarint(b, uint64(len(n)))
		b = append(b, n...)
	}
	return b
}

func decodeNames(b []byte) ([]string, bool) {
	var names []string
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return nil, false
		}
		names = append(names, string(b[k:k+int(n)]))
		b = b[k+int(n):]
	}
	return names, true
}
