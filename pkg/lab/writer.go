package lab

import (
	"io"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// Writer runs one command as a series of read-write transactions, each
// committed on its own, so that a command killed half way keeps what its
// finished transactions did (ike cmd=activate commits tunnel by tunnel).
// It keeps the database open between them while nobody else wants it;
// when another command waits at the turnstile, it closes the database,
// lets that command through and reopens behind it.
type Writer struct {
	l     *Lab
	db    *store.DB
	carry carried
}

// Writer starts a series of transactions; Close ends it.
func (l *Lab) Writer() *Writer { return &Writer{l: l} }

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

// Close releases the database.
func (w *Writer) Close() {
	if w.db != nil {
		w.db.Close()
		w.db = nil
	}
}

// open opens the database, or, when it is open and someone waits for it,
// lets them through first. Another process may then write: nothing
// decoded or drawn before is kept.
func (w *Writer) open() error {
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
