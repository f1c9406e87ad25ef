package lab

import (
	"fmt"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// Clock is the lab clock: real time plus an offset the user moves, or,
// in a frozen lab (lab init --clock), a fixed instant plus the offset, so
// that golden transcripts print the same times on every run.
type Clock struct {
	Offset time.Duration `json:"offset"`
	Frozen bool          `json:"frozen,omitempty"`
	Base   time.Time     `json:"base,omitzero"`
}

const clockKey = "clock"

// Now reads the clock at real time real.
func (c Clock) Now(real time.Time) time.Time {
	if c.Frozen {
		return c.Base.Add(c.Offset)
	}
	return real.Add(c.Offset).Round(0)
}

func readClock(st *store.Tx) (Clock, error) {
	var c Clock
	_, err := getMeta(st, clockKey, &c)
	return c, err
}

func clockNow(st *store.Tx) (time.Time, error) {
	c, err := readClock(st)
	return c.Now(time.Now()), err
}

// GetClock returns the lab clock's settings.
func GetClock(tx *engine.Tx) (Clock, error) { return readClock(tx.Store()) }

// AdvanceClock moves the lab clock forward by d.
func AdvanceClock(tx *engine.Tx, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("the lab clock only moves forward (got %v)", d)
	}
	c, err := readClock(tx.Store())
	if err != nil {
		return err
	}
	c.Offset += d
	return putMeta(tx.Store(), clockKey, c)
}

// SetClock makes the lab clock read t now. A move back that would revive
// SAs is refused or deletes them, as what says.
func SetClock(tx *engine.Tx, t time.Time, what Revived) error {
	c, err := readClock(tx.Store())
	if err != nil {
		return err
	}
	if c.Frozen {
		c.Base, c.Offset = t, 0
	} else {
		c.Offset = time.Until(t)
	}
	return moveClock(tx, c, t, what)
}

// FreezeClock fixes the lab clock at t, settling revived SAs as SetClock.
func FreezeClock(tx *engine.Tx, t time.Time, what Revived) error {
	return moveClock(tx, Clock{Frozen: true, Base: t}, t, what)
}

// ResetClock returns the lab clock to real time, settling revived SAs as
// SetClock (a frozen or advanced clock may be ahead of real time).
func ResetClock(tx *engine.Tx, what Revived) error {
	return moveClock(tx, Clock{}, time.Now(), what)
}

// moveClock writes c, which reads t now, once no SA would be revived.
func moveClock(tx *engine.Tx, c Clock, t time.Time, what Revived) error {
	if err := settleRevived(tx, t, what); err != nil {
		return err
	}
	return putMeta(tx.Store(), clockKey, c)
}
