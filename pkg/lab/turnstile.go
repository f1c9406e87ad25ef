package lab

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

// The turnstile lets a command in while a long writer runs. bbolt holds
// its file lock for as long as the database is open, and a waiting open
// retries every 50 ms: a writer that closes and reopens between its
// transactions would almost never be caught with the lock free. So every
// open passes the turnstile, a second file whose shared lock an opener
// holds while it waits for the database; a long writer (Writer) tries
// the turnstile's exclusive lock between transactions, and when that
// fails, someone is waiting: it closes the database, waits until the
// waiters are through, and reopens it behind them.

const turnstileName = "lab.db.wait"

// turnstilePoll is how often a blocked turnstile lock is retried.
const turnstilePoll = time.Millisecond

func (l *Lab) turnstilePath() string { return filepath.Join(l.Dir, turnstileName) }

// enterTurnstile takes the turnstile's shared lock, waiting up to timeout;
// leave releases it. Where the file cannot be made (a read-only lab
// directory) there is no turnstile, and the open only waits longer.
func enterTurnstile(path string, timeout time.Duration) (leave func(), err error) {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, store.FileMode)
	if err != nil {
		return func() {}, nil
	}
	if err := lockPolling(f, syscall.LOCK_SH, timeout); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// waiting reports whether an opener is waiting at the turnstile.
func waiting(path string) (bool, *os.File) {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, store.FileMode)
	if err != nil {
		return false, nil
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err == nil {
		f.Close()
		return false, nil
	}
	return true, f
}

// letThrough waits, the database closed, until the openers waiting at
// the turnstile f have their database lock.
func letThrough(f *os.File, timeout time.Duration) error {
	defer f.Close()
	return lockPolling(f, syscall.LOCK_EX, timeout)
}

func lockPolling(f *os.File, how int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil // no locking on this file system: no turnstile
		}
		if time.Now().After(deadline) {
			return store.ErrBusy
		}
		time.Sleep(turnstilePoll)
	}
}
