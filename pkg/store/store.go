// Package store keeps a lab's state in one bbolt file: a meta bucket with
// the schema version, and one bucket per host holding records and tables.
// Every command runs in one transaction. The store handles bytes only
// (each table's codec is its owner's) and seals every value with a
// checksum of where it is (checksum.go), checked on every read.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this build reads and writes. Version 1
// (ikemu up to ef2b8b3) kept values bare; version 2 seals each with its
// checksum, counts every table's rows and lists every bucket's
// sub-buckets. migrate.go takes a version 1 file to version 2.
const SchemaVersion = 2

// ErrBusy is returned when the lab file lock could not be had in time.
var ErrBusy = errors.New("lab is busy")

// ErrUninitialised is returned by a read-only open of a file that has no
// schema yet (empty, or created but never initialised): a read-write open
// must initialise it first.
var ErrUninitialised = errors.New("lab database is not initialised")

// ErrOlderSchema is returned by a read-only open of a file written by an
// older ikemu: a read-write open migrates it first.
var ErrOlderSchema = errors.New("lab database has an older schema")

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
	// shrinkTo is the size to give the file back when it closes: a
	// commit that failed (a full disk) may have grown it first.
	shrinkTo int64
}

// WriteError is a commit the file system refused (full, read-only,
// unwritable): nothing of the command landed.
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("lab database %s cannot be written (%v); nothing was changed", e.Path, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// Open opens (creating, mode 0600) the database at path, waiting up to
// timeout for the file lock. A read-write open initialises a new file
// and migrates an older one. A read-only open takes a shared lock, so
// readers run side by side, and writes nothing; it fails with
// ErrUninitialised or ErrOlderSchema where a read-write open would write.
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
	// The freelist is synced so that opening a large lab does not scan it.
	// No InitialMmapSize: bbolt grows the file to match it (16 MB for an
	// empty lab), a poor trade for sparing a large put a few remaps.
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
	if err != nil && !readOnly && (errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS)) {
		return nil, &WriteError{Path: path, Err: rootCause(err)}
	}
	if err != nil {
		return nil, fmt.Errorf("open lab database %s: %w", path, err)
	}
	if !readOnly {
		b.AllocSize = growSlack
	}
	db := &DB{bolt: b, path: path}
	if err := db.prepare(readOnly); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Close releases the database and its lock, first giving back what a
// failed commit grew the file by.
func (db *DB) Close() error {
	err := db.bolt.Close()
	if db.shrinkTo > 0 {
		if fi, serr := os.Stat(db.path); serr == nil && fi.Size() > db.shrinkTo {
			if terr := os.Truncate(db.path, db.shrinkTo); err == nil {
				err = terr
			}
		}
	}
	return err
}

// prepare checks the schema in a read transaction, and writes only when
// the lab is new or older, so an ordinary open costs no commit and no sync.
func (db *DB) prepare(readOnly bool) error {
	var version int
	err := db.View(func(tx *Tx) (err error) {
		version, err = tx.schemaVersion()
		return err
	})
	switch {
	case err != nil:
		return err
	case version == SchemaVersion:
		return nil
	case readOnly && version == 0:
		return ErrUninitialised
	case readOnly:
		return ErrOlderSchema
	case version == 0:
		return db.Update(func(tx *Tx) error { return tx.initialise() })
	}
	return db.Update(func(tx *Tx) error { return tx.migrate(version) })
}

// schemaVersion is the file's schema version, 0 for a new file: one
// with nothing at all in it. A file with some of the layout and not the
// rest is damaged, never initialised afresh over what it holds.
func (tx *Tx) schemaVersion() (int, error) {
	meta, hosts := tx.btx.Bucket(metaBucket), tx.btx.Bucket(hostsBucket)
	if meta == nil && hosts == nil {
		if k, _ := tx.btx.Cursor().First(); k == nil {
			return 0, nil
		}
	}
	if meta == nil || hosts == nil {
		return 0, tx.where("").damaged("its meta or hosts bucket is missing")
	}
	v := meta.Get(schemaKey)
	if v == nil {
		return 0, tx.Meta().at.damaged("its schema version is missing")
	}
	if len(v) == 8 { // version 1 kept it bare
		if n := binary.BigEndian.Uint64(v); n != 1 {
			return 0, tx.Meta().at.damaged("bare schema version %d", n)
		}
		return 1, nil
	}
	raw, ok := pathSum(0).child(metaBucket).unseal(schemaKey, v)
	if !ok || len(raw) != 8 {
		return 0, tx.Meta().at.badSum(schemaKey)
	}
	n := binary.BigEndian.Uint64(raw)
	if n > SchemaVersion {
		return 0, &ErrNewerSchema{Found: int(n), Supported: SchemaVersion}
	}
	if n < 2 {
		return 0, tx.Meta().at.damaged("sealed schema version %d", n)
	}
	return int(n), nil
}

func schemaValue(n int) []byte {
	return pathSum(0).child(metaBucket).seal(schemaKey, binary.BigEndian.AppendUint64(nil, uint64(n)))
}

// initialise writes the buckets and version of a new file.
func (tx *Tx) initialise() error {
	if _, err := tx.btx.CreateBucketIfNotExists(metaBucket); err != nil {
		return err
	}
	if _, err := tx.btx.CreateBucketIfNotExists(hostsBucket); err != nil {
		return err
	}
	return tx.SetSchemaVersion(SchemaVersion)
}

// Update runs fn in one read-write transaction. A transaction that met
// damage anywhere fails with it, and writes nothing.
func (db *DB) Update(fn func(*Tx) error) error {
	if db.shrinkTo > 0 {
		return &WriteError{Path: db.path, Err: errors.New("an earlier commit failed")}
	}
	var size int64
	if fi, err := os.Stat(db.path); err == nil {
		size = fi.Size()
	}
	var fnErr error
	defer paceForWrite()()
	err := guard(db.path, func() error {
		return db.bolt.Update(func(btx *bolt.Tx) error {
			if fnErr = db.run(btx, fn); fnErr == nil {
				collectBeforeCommit()
			}
			return fnErr
		})
	})
	if err == nil || err == fnErr {
		return err
	}
	var de *DamagedError
	if errors.As(err, &de) {
		return err
	}
	// The commit itself failed: the old meta page still rules, and the
	// pages past the old end are no one's.
	db.shrinkTo = size
	return &WriteError{Path: db.path, Err: rootCause(err)}
}

// View runs fn in one read-only transaction; one that met damage
// anywhere fails with it.
func (db *DB) View(fn func(*Tx) error) error {
	return guard(db.path, func() error {
		return db.bolt.View(func(btx *bolt.Tx) error { return db.run(btx, fn) })
	})
}

func (db *DB) run(btx *bolt.Tx, fn func(*Tx) error) error {
	tx := &Tx{btx: btx, file: db.path, seen: &damageSeen{}}
	err := fn(tx)
	if tx.seen.err != nil {
		return tx.seen.err
	}
	return err
}

// Tx is one transaction.
type Tx struct {
	btx  *bolt.Tx
	file string
	seen *damageSeen
}

func (tx *Tx) where(path string) where { return where{file: tx.file, path: path, seen: tx.seen} }

// Writable reports whether the transaction may write.
func (tx *Tx) Writable() bool { return tx.btx.Writable() }

// ReleaseMapped drops the map's resident pages (releaseMapped), for a
// writer that runs many transactions in one process: the pages its
// earlier ones touched do not stay in its resident set.
func (tx *Tx) ReleaseMapped() { releaseMapped(tx.btx) }

// Meta is the lab-wide bucket: schema version and lab records.
func (tx *Tx) Meta() *Bucket {
	return &Bucket{b: tx.btx.Bucket(metaBucket), sum: pathSum(0).child(metaBucket), at: tx.where("meta")}
}

// GetMeta returns the lab record under key (nil if absent).
func (tx *Tx) GetMeta(key string) ([]byte, error) { return tx.Meta().Get(key) }

// PutMeta stores a lab record under key.
func (tx *Tx) PutMeta(key string, raw []byte) error { return tx.Meta().Put(key, raw) }

// SetSchemaVersion overwrites the schema version (for tests of the refusal).
func (tx *Tx) SetSchemaVersion(n int) error {
	return tx.btx.Bucket(metaBucket).Put(schemaKey, schemaValue(n))
}

func (tx *Tx) hosts() *Bucket {
	b := tx.btx.Bucket(hostsBucket)
	if b == nil {
		return nil
	}
	return &Bucket{b: b, sum: pathSum(0).child(hostsBucket), at: tx.where("")}
}

// HostNames lists the hosts in name order.
func (tx *Tx) HostNames() ([]string, error) {
	hb := tx.hosts()
	if hb == nil {
		return nil, nil
	}
	return hb.subNames()
}

// Host returns the bucket of host name, nil if there is no such host.
func (tx *Tx) Host(name string) (*Bucket, error) {
	hb := tx.hosts()
	if hb == nil {
		return nil, nil
	}
	sub, err := hb.subBucket(name)
	if sub == nil || err != nil {
		return nil, err
	}
	return hb.child(sub, name, "host "+printable(name)), nil
}

// CreateHost creates the bucket of a new host.
func (tx *Tx) CreateHost(name string) (*Bucket, error) {
	hb := tx.hosts()
	if hb.b.Bucket([]byte(name)) != nil {
		return nil, fmt.Errorf("create host %s: %w", name, berrors.ErrBucketExists)
	}
	sub, err := hb.createSub(name)
	if err != nil {
		return nil, fmt.Errorf("create host %s: %w", name, err)
	}
	return hb.child(sub, name, "host "+printable(name)), nil
}

// DeleteHost removes a host and everything in it.
func (tx *Tx) DeleteHost(name string) error { return tx.hosts().dropSub(name) }

// FileMode is the mode of files that hold lab state or keys.
const FileMode os.FileMode = 0o600

// rootCause is the innermost error (the errno of a failed write).
func rootCause(err error) error {
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			return err
		}
		err = inner
	}
}
