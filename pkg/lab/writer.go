package lab

import (
	"errors"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// Writer runs one command as a series of read-write transactions, each
// committed on its own, so that a command killed half way keeps what its
// finished transactions did (ike cmd=activate commits its tunnels a
// batch at a time, Steps).
// It keeps the database open between them while nobody else wants it;
// when another command waits at the turnstile, it closes the database,
// lets that command through and reopens behind it.
type Writer struct {
	l         *Lab
	db        *store.DB
	carry     carried
	turnstile *os.File // held open for someoneWaits
	hold      bool     // lets nobody through between transactions (Series)
}

// Writer starts a series of transactions; Close ends it.
func (l *Lab) Writer() *Writer { return &Writer{l: l} }

// Series starts a series of transactions that keeps the database to
// itself until Close: no other command reads or writes between two of
// them, so each sees what the one before it left (ikedb -p checks a
// document in the first and writes it in the next ones).
func (l *Lab) Series() *Writer { return &Writer{l: l, hold: true} }

// Update runs fn in the next read-write transaction of the series.
func (w *Writer) Update(fn func(*engine.Tx) error) error {
	if err := w.open(); err != nil {
		return err
	}
	tx, err := w.l.update(w.db, fn, &w.carry)
	w.carry.prev = tx // nil after a rollback: nothing decoded is kept
	if err != nil {
		w.carry.seed = nil // it drew bytes the rollback gave back
	}
	return err
}

// The bounds of one transaction of Steps: it commits after this many
// steps or this long, whichever comes first, or as soon as another
// command waits at the turnstile. A commit syncs the file twice, which
// costs as much CPU as a quarter of a tunnel's negotiation: a batch
// shares it, and stays short enough that a kill -9 loses little and
// readers see progress at once.
const (
	maxBatchSteps = 64
	maxBatchTime  = 100 * time.Millisecond
)

// Steps runs step(tx, 0) to step(tx, n-1), consecutive steps sharing a
// transaction within the batch bounds above; committed(i) runs for each
// step once its transaction has committed, in order. A step that fails
// rolls its transaction back: the steps before it in that transaction
// run again in one of their own, which commits, and the failing step
// runs once more, first of the next; failing there, its error ends
// Steps, as it would have in a series of one transaction per step. The
// events of a rolled-back batch are told only as its steps run again.
func (w *Writer) Steps(n int, step func(tx *engine.Tx, i int) error, committed func(i int)) error {
	limit := n // the step a rerun stops before
	for next := 0; next < n; {
		if err := w.open(); err != nil {
			return err
		}
		end, failed, err := w.batch(next, limit, step)
		switch {
		case err == nil:
			for i := next; i < end; i++ {
				committed(i)
			}
			next = end
			if next >= limit {
				limit = n
			}
		case failed && end > next:
			limit = end
		default:
			return err
		}
	}
	return nil
}

// batch runs the steps from next, before limit and within the batch
// bounds, in one transaction. end is the first step it did not finish:
// the one that failed (failed), or where it stopped.
func (w *Writer) batch(next, limit int, step func(*engine.Tx, int) error) (end int, failed bool, err error) {
	began := time.Now()
	end = next
	tx, err := w.l.runUpdate(w.db, func(tx *engine.Tx) error {
		// What earlier batches read and wrote stays in the page cache,
		// not in this process.
		tx.Store().ReleaseMapped()
		for end < limit {
			if err := step(tx, end); err != nil {
				failed = true
				return err
			}
			end++
			if end-next >= maxBatchSteps || time.Since(began) >= maxBatchTime || w.someoneWaits() {
				break
			}
		}
		return nil
	}, &w.carry)
	if !failed || end == next {
		w.l.logEvents(tx, err == nil)
	}
	if err != nil {
		w.carry.prev, w.carry.seed = nil, nil // it drew bytes the rollback gave back
		return end, failed, err
	}
	w.carry.prev = tx
	return end, false, nil
}

// someoneWaits reports whether an opener waits at the turnstile (open
// lets it through once the transaction has committed). It asks after
// every step, so it keeps the turnstile open.
func (w *Writer) someoneWaits() bool {
	if w.turnstile == nil {
		f, err := os.OpenFile(w.l.turnstilePath(), os.O_RDONLY|os.O_CREATE, store.FileMode)
		if err != nil {
			return false
		}
		w.turnstile = f
	}
	fd := int(w.turnstile.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return errors.Is(err, syscall.EWOULDBLOCK)
	}
	_ = syscall.Flock(fd, syscall.LOCK_UN)
	return false
}

// Close releases the database.
func (w *Writer) Close() {
	if w.turnstile != nil {
		w.turnstile.Close()
		w.turnstile = nil
	}
	if w.db != nil {
		w.db.Close()
		w.db = nil
	}
}

// open opens the database, or, when it is open and someone waits for it,
// lets them through first. Another process may then write: nothing
// decoded or drawn before is kept.
func (w *Writer) open() error {
	if w.db != nil && w.hold {
		return nil
	}
	if w.db != nil {
		busy, f := waiting(w.l.turnstilePath())
		if !busy {
			return nil
		}
		w.Close()
		w.carry = carried{}
		if err := letThrough(f, w.l.lockTimeout); err != nil {
			return err
		}
	}
	db, err := w.l.openWrite()
	if err != nil {
		return err
	}
	w.db = db
	return nil
}

// carried is what one transaction of a Writer hands the next while no
// other process can have written in between: the engine's decoded
// tables, and the seeded random stream where it stopped, so that a
// series draws the bytes one transaction would have.
type carried struct {
	prev  *engine.Tx
	seed  *seededReader
	draws uint64 // the Draws the series last saved
}

// rand is txRand for a transaction of the series (nil: a lone one).
func (c *carried) rand(st *store.Tx) (io.Reader, func() error, error) {
	if c == nil {
		return txRand(st)
	}
	s, err := getSeed(st)
	if err != nil || !s.Set {
		return txRandOf(st, s, err)
	}
	if c.seed == nil || c.draws != s.Draws || c.seed.seed != s.Value {
		c.seed = &seededReader{seed: s.Value, block: s.Draws}
	}
	r := c.seed
	save := func() error {
		s.Draws = r.block
		c.draws = r.block
		return putMeta(st, seedKey, s)
	}
	return r, save, nil
}

// cacheInto hands tx the previous transaction's decoded tables.
func (c *carried) cacheInto(tx *engine.Tx) {
	if c != nil && c.prev != nil {
		tx.CarryCache(c.prev)
	}
}
