package native

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/labwire"
)

// wirePeerOf reports whether to is a wire peer, and where it listens.
func wirePeerOf(l *lab.Lab, to netip.Addr) (netip.AddrPort, bool, error) {
	var peer netip.AddrPort
	var ok bool
	err := l.View(func(tx *engine.Tx) error {
		var err error
		peer, ok, err = tx.WirePeer(to)
		return err
	})
	return peer, ok, err
}

// acquireWire is "ikemu acquire" toward a wire peer: the host's IPsec
// policy decides first, as toward a lab host; a flow it protects and no
// live SA carries makes this command run phase 1 (unless one is live)
// and a Quick Mode with the rule's suites over UDP itself (pkg/labwire),
// returning when they end.
func (c *AcquireCmd) acquireWire(e *env, l *lab.Lab, t engine.Traffic, peer netip.AddrPort) error {
	from := t.Local
	var (
		res    engine.AcquireResult
		suites []ikev1.Phase2Suite
	)
	decided := false
	err := l.Host(func(h *engine.Host) error {
		if !h.Info.Owns(from) {
			return fmt.Errorf("--from %s is not an address of host %s", from, h.Info.Name)
		}
		var err error
		if res, err = h.CarryTraffic(t); err != nil {
			return err
		}
		if res.Verdict != engine.VerdictProtect || len(res.Carriers) > 0 {
			decided = true
			return nil
		}
		d, err := h.Daemons().IKE()
		if err != nil {
			return err
		}
		if !d.Running {
			return fmt.Errorf("in.iked is not running on host %s", h.Info.Name)
		}
		res, suites, err = h.AcquireWire(t)
		return err
	})
	if err != nil {
		return err
	}
	if decided {
		return c.report(e, t, res, nil, nil)
	}
	wres, err := labwire.Initiate(context.Background(), l, l.HostName, from, peer, labwire.Options{Suites: suites})
	var negErr *engine.NegotiationError
	if errors.As(err, &negErr) && wres.SA == nil {
		fmt.Fprintf(e.p.Stdout, "phase 1 %s -> %s failed: %s\n", from, peer.Addr(), negErr.Reason)
		return statusError(1)
	}
	if err != nil && negErr == nil {
		return err
	}
	how := "negotiated"
	if wres.Reused {
		how = "reused"
	}
	head := fmt.Sprintf("phase 1 SA %s -> %s %s (cookies 0x%x 0x%x)", from, peer.Addr(), how, wres.SA.CookieI, wres.SA.CookieR)
	if negErr != nil {
		fmt.Fprintf(e.p.Stdout, "%s; quick mode failed: %s\n", head, negErr.Reason)
		return statusError(1)
	}
	fmt.Fprintf(e.p.Stdout, "%s; quick mode SA %d created\n", head, wres.SA.QMCreated)
	return nil
}
