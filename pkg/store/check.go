package store

import (
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Check reads every record of the lab file at path and returns nil when
// each holds its checksum, each table its count and each bucket the
// sub-buckets it lists; otherwise the DamagedError of the first fault.
// It opens the file read-only and writes nothing. A file of an older
// schema has no checksums to check: it gives ErrOlderSchema.
func Check(path string, timeout time.Duration) error {
	db, err := Open(path, timeout, true)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(tx *Tx) error {
		for _, name := range [][]byte{metaBucket, hostsBucket} {
			w := where{file: path}
			if string(name) == "meta" {
				w.path = "meta"
			}
			if err := checkBucket(tx.btx.Bucket(name), pathSum(0).child(name), 0, w); err != nil {
				return err
			}
		}
		return nil
	})
}

func checkBucket(b *bolt.Bucket, sum pathSum, depth int, at where) error {
	var subs, records []string
	rows := uint64(0)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			subs = append(subs, string(k))
			continue
		}
		if _, ok := sum.unseal(k, v); !ok {
			return at.badSum(k)
		}
		if depth == 2 && len(k) == 8 {
			rows++
		}
		if depth < 2 && string(k) != string(manifestKey) && string(k) != string(recordsKey) && string(k) != string(schemaKey) {
			records = append(records, string(k))
		}
	}
	bk := &Bucket{b: b, sum: sum, at: at}
	if depth < 2 {
		listed, err := bk.names(recordsKey)
		if err != nil {
			return err
		}
		slices.Sort(listed)
		if !slices.Equal(records, listed) {
			return at.damaged("its records %q differ from its list %q", records, listed)
		}
	}
	if depth == 2 {
		if err := (&Table{Bucket: bk}).checkCount(rows); err != nil {
			return err
		}
	}
	listed, err := bk.manifest()
	if err != nil {
		return err
	}
	slices.Sort(listed)
	if !slices.Equal(subs, listed) {
		return at.damaged("its sub-buckets %q differ from its list %q", subs, listed)
	}
	for _, name := range subs {
		if err := checkBucket(b.Bucket([]byte(name)), sum.child([]byte(name)), depth+1, at.under(label(depth+1, name))); err != nil {
			return err
		}
	}
	return nil
}

// label names a bucket at depth for reports.
func label(depth int, name string) string {
	switch {
	case depth == 1:
		return "host " + printable(name)
	case depth == 2:
		return "table " + printable(name)
	case name == indexName:
		return "name index"
	case name == seqIndexName:
		return "multi-index"
	}
	return "bucket " + printable(name)
}

// rowOf is the row an index entry names: the value of a name index
// entry, the key's tail in the multi-index.
func rowOf(index string, k, payload []byte) ([]byte, bool) {
	switch index {
	case indexName:
		return payload, len(payload) == 8
	case seqIndexName:
		if len(k) < 9 || k[len(k)-9] != 0 {
			return nil, false
		}
		return k[len(k)-8:], true
	}
	return nil, false
}
