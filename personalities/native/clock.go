package native

import (
	"fmt"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
)

// ClockCmd shows or moves the lab clock.
type ClockCmd struct {
	Show    ClockShowCmd    `cmd:"" default:"withargs" hidden:"" help:"Show the lab time."`
	Advance ClockAdvanceCmd `cmd:"" help:"Move the lab clock forward (e.g. 2h, 90m)."`
	Set     ClockSetCmd     `cmd:"" help:"Set the lab clock to an RFC 3339 time. It refuses to go back past an SA's creation or expiry unless --force, which deletes those SAs."`
	Reset   ClockResetCmd   `cmd:"" help:"Return the lab clock to real time (refused like set when that is a move back past SAs)."`
}

// ClockShowCmd is "ikemu clock".
type ClockShowCmd struct {
	outputFlag
}

type clockView struct {
	Now    time.Time `json:"now"`
	Frozen bool      `json:"frozen"`
	Offset string    `json:"offset"`
}

func (c *ClockShowCmd) Run(e *env) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	var v clockView
	err = l.View(func(tx *engine.Tx) error {
		c, err := lab.GetClock(tx)
		v = clockView{Now: tx.Now(), Frozen: c.Frozen, Offset: c.Offset.String()}
		return err
	})
	if err != nil {
		return err
	}
	if c.Output == "json" {
		return writeEnvelope(e.p.Stdout, "clock", []clockView{v})
	}
	note := "real time"
	switch {
	case v.Frozen:
		note = "frozen"
	case v.Offset != "0s":
		note = "real time + " + v.Offset
	}
	fmt.Fprintf(e.p.Stdout, "%s (%s)\n", v.Now.Format(time.RFC3339), note)
	return nil
}

// ClockAdvanceCmd is "ikemu clock advance DURATION".
type ClockAdvanceCmd struct {
	Duration time.Duration `arg:"" help:"How far to move the clock (Go duration: 90s, 2h, 24h)."`
}

func (c *ClockAdvanceCmd) Run(e *env) error {
	return updateLab(e, func(tx *engine.Tx) error { return lab.AdvanceClock(tx, c.Duration) })
}

// ClockSetCmd is "ikemu clock set RFC3339".
type ClockSetCmd struct {
	Time string `arg:"" help:"The new lab time, RFC 3339."`
	forceFlag
}

// forceFlag lets a clock move back past SAs: an SA never lives longer
// than its lifetime nor comes back after it expired, so the SAs created
// after the new time, or expired since it, are deleted.
type forceFlag struct {
	Force bool `help:"Move the clock back even past SAs: delete the SAs created after the new time or expired since."`
}

func (f forceFlag) revived() lab.Revived {
	if f.Force {
		return lab.DeleteRevived
	}
	return lab.RefuseRevived
}

func (c *ClockSetCmd) Run(e *env) error {
	t, err := time.Parse(time.RFC3339, c.Time)
	if err != nil {
		return fmt.Errorf("%q is not an RFC 3339 time", c.Time)
	}
	return updateLab(e, func(tx *engine.Tx) error { return lab.SetClock(tx, t, c.revived()) })
}

// ClockResetCmd is "ikemu clock reset".
type ClockResetCmd struct {
	forceFlag
}

func (c *ClockResetCmd) Run(e *env) error {
	return updateLab(e, func(tx *engine.Tx) error { return lab.ResetClock(tx, c.revived()) })
}

func updateLab(e *env, fn func(*engine.Tx) error) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	return l.Update(fn)
}
