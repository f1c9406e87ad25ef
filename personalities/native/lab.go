package native

import (
	"fmt"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
)

// LabCmd manages the lab as a whole.
type LabCmd struct {
	Init LabInitCmd `cmd:"" help:"Make a new lab reproducible: seeded randomness, optionally a frozen clock. For fixtures and golden transcripts only, never for real keys. A lab with other hosts, SAs, loaded configuration or outside peers is refused unless --force."`
}

// LabInitCmd is "ikemu lab init --seed N [--clock RFC3339]".
type LabInitCmd struct {
	Seed  int64  `required:"" help:"Seed of all cookies, nonces and Diffie-Hellman keys (anyone who knows it knows every key)."`
	Clock string `help:"Freeze the lab clock at this RFC 3339 time."`
	Force bool   `help:"Initialise a lab that is not new; with --clock, delete the SAs created after that time or expired since (as clock set --force)."`
}

func (c *LabInitCmd) Run(e *env) error {
	var at time.Time
	if c.Clock != "" {
		t, err := time.Parse(time.RFC3339, c.Clock)
		if err != nil {
			return fmt.Errorf("--clock: %q is not an RFC 3339 time", c.Clock)
		}
		at = t
	}
	l, err := e.lab()
	if err != nil {
		return err
	}
	revived := lab.RefuseRevived
	if c.Force {
		revived = lab.DeleteRevived
	}
	return l.Update(func(tx *engine.Tx) error {
		if !c.Force {
			if err := lab.CheckFresh(tx); err != nil {
				return err
			}
		}
		if err := lab.SetSeed(tx, c.Seed); err != nil {
			return err
		}
		if !at.IsZero() {
			return lab.FreezeClock(tx, at, revived)
		}
		return nil
	})
}
