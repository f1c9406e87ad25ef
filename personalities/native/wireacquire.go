package native

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/engine"
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

// acquireWire is "ikemu acquire" toward a wire peer: this command runs
// phase 1 (unless one is live) and a Quick Mode over UDP itself
// (pkg/labwire) and returns when they end.
func acquireWire(e *env, l *lab.Lab, from netip.Addr, peer netip.AddrPort) error {
	err := l.HostView(func(h *engine.Host) error {
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
		return nil
	})
	if err != nil {
		return err
	}
	res, err := labwire.Initiate(context.Background(), l, l.HostName, from, peer, labwire.Options{})
	var negErr *engine.NegotiationError
	if errors.As(err, &negErr) {
		fmt.Fprintf(e.p.Stdout, "phase 1 %s -> %s failed: %s\n", from, peer.Addr(), negErr.Reason)
		return statusError(1)
	}
	if err != nil {
		return err
	}
	how := "negotiated"
	if res.Reused {
		how = "reused"
	}
	fmt.Fprintf(e.p.Stdout, "phase 1 SA %s -> %s %s (cookies 0x%x 0x%x); quick mode SA %d created\n",
		from, peer.Addr(), how, res.SA.CookieI, res.SA.CookieR, res.SA.QMCreated)
	return nil
}
