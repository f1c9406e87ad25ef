package native

import (
	"errors"
	"fmt"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
)

// LabCmd manages the lab as a whole.
type LabCmd struct {
	Init    LabInitCmd    `cmd:"" help:"Make a new lab reproducible: seeded randomness, optionally a frozen clock. For fixtures and golden transcripts only, never for real keys. A lab with other hosts, SAs, loaded configuration or outside peers is refused unless --force."`
	Check   LabCheckCmd   `cmd:"" help:"Read every record of the lab file and report its damage, or ok (exit status 0). Writes nothing."`
	Salvage LabSalvageCmd `cmd:"" help:"Copy every record of a damaged lab whose checksum holds, and the host trees, into a new lab; report what was dropped. The damaged lab is left as it was."`
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

// LabCheckCmd is "ikemu lab check".
type LabCheckCmd struct{}

func (c *LabCheckCmd) Run(e *env) error {
	err := lab.Check(e.p)
	if errors.Is(err, lab.ErrOlderSchema) {
		fmt.Fprintln(e.p.Stdout, "ok (written by an older ikemu, without checksums: the next command that writes it migrates it)")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.p.Stdout, "ok")
	return nil
}

// LabSalvageCmd is "ikemu lab salvage NEWDIR".
type LabSalvageCmd struct {
	Dir string `arg:"" name:"newdir" help:"Directory of the new lab (must not exist, or be empty)."`
}

func (c *LabSalvageCmd) Run(e *env) error {
	rep, err := lab.Salvage(e.p, c.Dir)
	if err != nil {
		return err
	}
	for _, d := range rep.Dropped {
		fmt.Fprintf(e.p.Stdout, "dropped: %s\n", d)
	}
	fmt.Fprintf(e.p.Stdout, "salvaged %d records into %s; the damaged lab was left as it was\n", rep.Copied, c.Dir)
	return nil
}
