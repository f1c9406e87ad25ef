package lab

import (
	"errors"
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
	if errors.Is(err, store.ErrUninitialised) {
		// Only a read-write open writes the schema; it is then
		// there for this read and every later one.
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
	return store.Open(filepath.Join(l.Dir, dbName), l.lockTimeout, readOnly)
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
