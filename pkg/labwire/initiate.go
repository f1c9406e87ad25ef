package labwire

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/wire"
)

// wireEntropy: on the wire every random value comes from crypto/rand (a
// seeded lab reproduces its own negotiations, not a real peer's).
var wireEntropy = ikev1.ReaderEntropy{R: rand.Reader}

// Result is a phase 1 with a wire peer: the SA as the host stored it, or
// reused when one was live already.
type Result struct {
	SA     *engine.Phase1SA
	Reused bool
}

// Initiate runs a phase 1 from host's address local to the wire peer at
// peer. A negotiation that ran and failed is an *engine.NegotiationError
// whose counters and events have landed.
func Initiate(ctx context.Context, l *lab.Lab, host string, local netip.Addr, peer netip.AddrPort) (Result, error) {
	var (
		pol    *engine.Phase1Policy
		cfg    ikev1.InitiatorConfig
		timers wire.Retransmit
		res    Result
		negErr *engine.NegotiationError
	)
	err := l.Update(func(tx *engine.Tx) error {
		h, err := tx.Host(host)
		if err != nil {
			return err
		}
		if res.SA, err = h.SAs().NewestPhase1(local, peer.Addr()); err != nil || res.SA != nil {
			res.Reused = res.SA != nil
			return err
		}
		if pol, cfg, err = h.WireInitiator(local, peer.Addr(), wireEntropy); err != nil {
			if errors.As(err, &negErr) {
				return nil
			}
			return err
		}
		if timers, err = timersOf(h); err != nil {
			return err
		}
		return h.RecordWireAttempt(pol, local, peer.Addr())
	})
	switch {
	case err != nil:
		return Result{}, err
	case negErr != nil:
		return Result{}, negErr
	case res.Reused:
		return res, nil
	}
	in, err := ikev1.NewInitiator(cfg)
	if err != nil {
		return Result{}, fmt.Errorf("phase 1 toward %s: %w", peer, err)
	}
	link, err := wire.Dial(netip.AddrPortFrom(local, engine.DefaultWirePort), peer)
	if err != nil {
		return Result{}, err
	}
	runErr := link.Run(ctx, in, timers)
	_ = link.Close()
	var te *wire.TimeoutError
	timedOut := errors.As(runErr, &te)
	if runErr != nil && !timedOut && !isNegotiation(runErr) {
		return Result{}, runErr
	}
	err = l.Update(func(tx *engine.Tx) error {
		h, err := tx.Host(host)
		if err != nil {
			return err
		}
		if runErr != nil {
			if err := h.RecordWireFailure(peer.Addr(), runErr, timedOut); !errors.As(err, &negErr) {
				return err
			}
			return nil
		}
		res.SA, err = h.RecordWirePhase1(in.SA(), pol, int(peer.Port()))
		return err
	})
	if err != nil {
		return Result{}, err
	}
	if negErr != nil {
		return Result{}, negErr
	}
	return res, nil
}

// isNegotiation tells the exchange's verdicts (a refusal either side,
// a peer's notify) from local faults.
func isNegotiation(err error) bool {
	var f *ikev1.Failure
	return errors.As(err, &f)
}
