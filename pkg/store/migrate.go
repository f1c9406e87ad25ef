package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migrate takes a file from an older schema to SchemaVersion, in the
// transaction that opens it: it lands whole or not at all.
func (tx *Tx) migrate(from int) error {
	if from != 1 {
		return fmt.Errorf("lab schema version %d: no migration", from)
	}
	for _, name := range [][]byte{metaBucket, hostsBucket} {
		if err := sealBucket(tx.btx.Bucket(name), pathSum(0).child(name), 0); err != nil {
			return fmt.Errorf("migrate lab database %s to schema %d: %w", tx.file, SchemaVersion, err)
		}
	}
	return tx.SetSchemaVersion(SchemaVersion)
}

// sealBucket rewrites a version 1 bucket as version 2: every value
// sealed, the sub-buckets listed, and (for a table, depth 2 below hosts)
// the rows counted. depth is 0 for meta and hosts, 1 for a host, 2 for
// a table, 3 for an index.
func sealBucket(b *bolt.Bucket, sum pathSum, depth int) error {
	type kv struct{ k, v []byte }
	var values []kv
	var records []string
	var subs [][]byte
	rows := uint64(0)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		k = bytes.Clone(k)
		switch {
		case v == nil:
			subs = append(subs, k)
		case bytes.Equal(k, rowCountKey) || (depth == 0 && bytes.Equal(k, schemaKey)):
		default:
			if depth == 2 && len(k) == 8 {
				rows++
			}
			if depth < 2 {
				records = append(records, string(k))
			}
			values = append(values, kv{k, bytes.Clone(v)})
		}
	}
	for _, e := range values {
		if err := b.Put(e.k, sum.seal(e.k, e.v)); err != nil {
			return err
		}
	}
	if len(records) > 0 {
		if err := b.Put(recordsKey, sum.seal(recordsKey, encodeNames(records))); err != nil {
			return err
		}
	}
	if depth == 2 {
		if err := b.Put(rowCountKey, sum.seal(rowCountKey, binary.BigEndian.AppendUint64(nil, rows))); err != nil {
			return err
		}
	}
	names := make([]string, len(subs))
	for i, name := range subs {
		if err := sealBucket(b.Bucket(name), sum.child(name), depth+1); err != nil {
			return err
		}
		names[i] = string(name)
	}
	if len(names) == 0 {
		return nil
	}
	return b.Put(manifestKey, sum.seal(manifestKey, encodeNames(names)))
}
