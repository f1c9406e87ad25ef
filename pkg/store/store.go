// Package store keeps a lab's state in one bbolt file: a meta bucket with
// the schema version, and one bucket per host. Every command runs in one
// transaction. Values are JSON: measured against the issue targets (10,000
// rules read in well under a second) it is fast enough, and it keeps the
// file inspectable with standard tools.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this build reads and writes.
const SchemaVersion = 1

// ErrBusy is returned when the lab file lock could not be had in time.
var ErrBusy = errors.New("lab is busy")

// ErrUninitialised is returned by a read-only open of a file that has no
// schema yet (empty, or created but never initialised): a read-write open
// must initialise it first.
var ErrUninitialised = errors.New("lab database is not initialised")

// ErrNewerSchema is returned for a lab written by a newer ikemu.
type ErrNewerSchema struct{ Found, Supported int }

func (e *ErrNewerSchema) Error() string {
	return fmt.Sprintf("lab schema version %d is newer than this ikemu supports (%d); upgrade ikemu", e.Found, e.Supported)
}

var (
	metaBucket  = []byte("meta")
	schemaKey   = []byte("schema")
	hostsBucket = []byte("hosts")
)

// writerMmapSize is the address space a read-write open maps (more than
// bbolt's 16 MiB allocation size, so that growing the file does not grow
// it to the map's size); growSlack is how much a growing commit adds to
// the file beyond what it needs.
const (
	writerMmapSize = 1 << 30
	growSlack      = 64 << 10
)

// DB is an open lab database.
type DB struct {
	bolt *bolt.DB
	path string
}

// Open opens (creating, mode 0600) the database at path, waiting up to
// timeout for the file lock. A read-only open takes a shared lock, so
// readers run side by side, and writes nothing; it fails with
// ErrUninitialised where a read-write open would have to write a schema.
func Open(path string, timeout time.Duration, readOnly bool) (*DB, error) {
	if timeout <= 0 {
		timeout = time.Millisecond
	}
	if readOnly {
		// bbolt initialises an empty file even when opened read-only,
		// which fails on the read-only descriptor.
		if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
			return nil, ErrUninitialised
		}
	}
	// The freelist is synced so that opening a large lab does not scan it.
	if err := checkFile(path); err != nil {
		return nil, err
	}
	opts := &bolt.Options{Timeout: timeout, ReadOnly: readOnly}
	if !readOnly {
		// A writer maps address space for a large load up front: each
		// remap as the file grows copies every node the transaction
		// touched. The file itself grows by what a commit needs plus
		// growSlack, not to the map's size.
		opts.InitialMmapSize = writerMmapSize
	}
	var b *bolt.DB
	err := guard(path, func() (err error) {
		b, err = bolt.Open(path, 0o600, opts)
		return err
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, ErrBusy
	}
	if err != nil {
		return nil, fmt.Errorf("open lab database %s: %w", path, err)
	}
	if !readOnly {
		b.AllocSize = growSlack
	}
	db := &DB{bolt: b, path: path}
	if !readOnly {
		if err := db.initSchema(); err != nil {
			b.Close()
			return nil, err
		}
	} else if err := db.checkSchema(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

// Close releases the database and its lock.
func (db *DB) Close() error { return db.bolt.Close() }

// initSchema checks the schema in a read transaction and writes only when
// the lab is new, so an ordinary open costs no commit and no sync.
func (db *DB) initSchema() error {
	fresh := false
	err := db.bolt.View(func(btx *bolt.Tx) error {
		meta := btx.Bucket(metaBucket)
		if meta == nil || meta.Get(schemaKey) == nil || btx.Bucket(hostsBucket) == nil {
			fresh = true
			return nil
		}
		return checkVersion(meta.Get(schemaKey))
	})
	if err != nil || !fresh {
		return err
	}
	return db.bolt.Update(func(btx *bolt.Tx) error {
		meta, err := btx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return err
		}
		if _, err := btx.CreateBucketIfNotExists(hostsBucket); err != nil {
			return err
		}
		v := meta.Get(schemaKey)
		if v == nil {
			return meta.Put(schemaKey, u64(SchemaVersion))
		}
		return checkVersion(v)
	})
}

func (db *DB) checkSchema() error {
	return db.bolt.View(func(btx *bolt.Tx) error {
		meta := btx.Bucket(metaBucket)
		if meta == nil || meta.Get(schemaKey) == nil || btx.Bucket(hostsBucket) == nil {
			return ErrUninitialised
		}
		return checkVersion(meta.Get(schemaKey))
	})
}

func checkVersion(v []byte) error {
	if len(v) != 8 {
		return fmt.Errorf("lab schema version is corrupt")
	}
	if n := int(binary.BigEndian.Uint64(v)); n > SchemaVersion {
		return &ErrNewerSchema{Found: n, Supported: SchemaVersion}
	}
	return nil
}

// Update runs fn in one read-write transaction.
func (db *DB) Update(fn func(*Tx) error) error {
	return guard(db.path, func() error {
		return db.bolt.Update(func(btx *bolt.Tx) error { return fn(&Tx{btx: btx}) })
	})
}

// View runs fn in one read-only transaction.
func (db *DB) View(fn func(*Tx) error) error {
	return guard(db.path, func() error {
		return db.bolt.View(func(btx *bolt.Tx) error { return fn(&Tx{btx: btx}) })
	})
}

// Tx is one transaction.
type Tx struct {
	btx *bolt.Tx
}

// Writable reports whether the transaction may write.
func (tx *Tx) Writable() bool { return tx.btx.Writable() }

// GetMeta decodes the meta value under key into v; found=false if absent.
func (tx *Tx) GetMeta(key string, v any) (bool, error) {
	return getJSON(tx.btx.Bucket(metaBucket), key, v)
}

// PutMeta stores v under key in the meta bucket.
func (tx *Tx) PutMeta(key string, v any) error {
	return putJSON(tx.btx.Bucket(metaBucket), key, v)
}

// SetSchemaVersion overwrites the schema version (for tests of the refusal).
func (tx *Tx) SetSchemaVersion(n int) error {
	return tx.btx.Bucket(metaBucket).Put(schemaKey, u64(uint64(n)))
}

// HostNames lists the hosts in name order.
func (tx *Tx) HostNames() []string {
	var names []string
	b := tx.btx.Bucket(hostsBucket)
	if b == nil {
		return nil
	}
	_ = b.ForEach(func(k, v []byte) error {
		if v == nil {
			names = append(names, string(k))
		}
		return nil
	})
	return names
}

// Host returns the bucket of host name, or nil if there is no such host.
func (tx *Tx) Host(name string) *Bucket {
	hb := tx.btx.Bucket(hostsBucket)
	if hb == nil {
		return nil
	}
	b := hb.Bucket([]byte(name))
	if b == nil {
		return nil
	}
	return &Bucket{b: b}
}

// CreateHost creates the bucket of a new host.
func (tx *Tx) CreateHost(name string) (*Bucket, error) {
	b, err := tx.btx.Bucket(hostsBucket).CreateBucket([]byte(name))
	if err != nil {
		return nil, fmt.Errorf("create host %s: %w", name, err)
	}
	return &Bucket{b: b}, nil
}

// DeleteHost removes a host and everything in it.
func (tx *Tx) DeleteHost(name string) error {
	return tx.btx.Bucket(hostsBucket).DeleteBucket([]byte(name))
}

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

func getJSON(b *bolt.Bucket, key string, v any) (bool, error) {
	if b == nil {
		return false, nil
	}
	raw := b.Get([]byte(key))
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put([]byte(key), raw)
}

// FileMode is the mode of files that hold lab state or keys.
const FileMode os.FileMode = 0o600
