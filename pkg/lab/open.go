package lab

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/ikemu/ikemu/pkg/store"
)

// openRead opens the database read-only: a shared lock, so readers run
// side by side. done closes it, unless a Hold keeps it for the next read.
func (l *Lab) openRead() (db *store.DB, done func(), err error) {
	if l.held != nil {
		return l.held, func() {}, nil
	}
	db, err = l.openDB(true)
	if errors.Is(err, store.ErrUninitialised) || errors.Is(err, store.ErrOlderSchema) {
		// Only a read-write open writes the schema, or migrates an
		// older one; it is then there for this read and every later one.
		if err = l.initialise(); err == nil {
			db, err = l.openDB(true)
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if l.holding {
		l.held = db
		return db, func() {}, nil
	}
	return db, func() { db.Close() }, nil
}

// initialise opens the database read-write once, which writes the schema.
func (l *Lab) initialise() error {
	db, err := l.openDB(false)
	if err != nil {
		return err
	}
	return db.Close()
}

// openWrite opens the database read-write (an exclusive lock), first
// letting go of a held read-only one: this process would wait for itself.
func (l *Lab) openWrite() (*store.DB, error) {
	l.dropHeld()
	return l.openDB(false)
}

// openDB opens the database through the turnstile (see turnstile.go).
func (l *Lab) openDB(readOnly bool) (*store.DB, error) {
	leave, err := enterTurnstile(l.turnstilePath(), l.lockTimeout)
	if err != nil {
		return nil, err
	}
	defer leave()
	path := filepath.Join(l.Dir, dbName)
	if err := l.checkNotEmptied(path); err != nil {
		return nil, err
	}
	return store.Open(path, l.lockTimeout, readOnly)
}

// checkNotEmptied refuses an empty database file in a lab that has hosts
// (their trees are there): opening it would make a new, empty lab and
// every host would be gone.
func (l *Lab) checkNotEmptied(path string) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() != 0 {
		return nil
	}
	hosts, err := os.ReadDir(filepath.Join(l.Dir, "hosts"))
	if err != nil || len(hosts) == 0 {
		return nil
	}
	return &store.DamagedError{Path: path, Why: "empty, though the lab has host trees"}
}

// Hold keeps the database that the next read opens open for the reads
// after it, until release: a command that reads in several transactions
// opens and locks the file once. A write in between closes it first.
// Hold a lab only while a command runs, never while waiting for input:
// the shared lock keeps writers out.
func (l *Lab) Hold() (release func()) {
	l.holding = true
	return func() {
		l.holding = false
		l.dropHeld()
	}
}

func (l *Lab) dropHeld() {
	if l.held != nil {
		l.held.Close()
		l.held = nil
	}
}
