package native

import (
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/pkg/engine"
)

// AcquireCmd plays the kernel ACQUIRE that makes in.iked negotiate.
type AcquireCmd struct {
	From string `required:"" help:"Local address (one of the current host's)."`
	To   string `required:"" help:"Remote address: another lab host's, or an outside peer's."`
}

func (c *AcquireCmd) Run(e *env) error {
	from, err := parseAddr(c.From)
	if err != nil {
		return err
	}
	to, err := parseAddr(c.To)
	if err != nil {
		return err
	}
	l, err := e.lab()
	if err != nil {
		return err
	}
	if peer, ok, err := wirePeerOf(l, to); err != nil || ok {
		if err != nil {
			return err
		}
		return acquireWire(e, l, from, peer)
	}
	var sa *engine.Phase1SA
	var reused bool
	var negErr *engine.NegotiationError
	err = l.Host(func(h *engine.Host) error {
		if !h.Info.Owns(from) {
			return fmt.Errorf("--from %s is not an address of host %s", from, h.Info.Name)
		}
		d, err := h.Daemons().IKE()
		if err != nil {
			return err
		}
		if !d.Running {
			return fmt.Errorf("in.iked is not running on host %s", h.Info.Name)
		}
		sa, reused, err = h.Acquire(from, to)
		if errors.As(err, &negErr) {
			return nil // the failure's counters and log lines must land
		}
		return err
	})
	if err != nil {
		return err
	}
	if negErr != nil {
		fmt.Fprintf(e.p.Stdout, "phase 1 %s -> %s failed: %s\n", from, to, negErr.Reason)
		return statusError(1)
	}
	how := "negotiated"
	if reused {
		how = "reused"
	}
	fmt.Fprintf(e.p.Stdout, "phase 1 SA %s -> %s %s (cookies 0x%x 0x%x); quick mode SA %d created\n",
		from, to, how, sa.CookieI, sa.CookieR, sa.QMCreated)
	return nil
}
