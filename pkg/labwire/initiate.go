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

// Result is a negotiation with a wire peer: the phase 1 SA as the host
// stored it (Reused: one was live already) and the Quick Mode's SA.
type Result struct {
	SA     *engine.Phase1SA
	Reused bool
	P2     *engine.Phase2SA
}

// Options shape an initiation: Phase1Only stops after phase 1 (ike
// cmd=activate phase=1); Suites, when set, are the Quick Mode's
// proposals instead of a kernel ACQUIRE's default (a suite without a
// lifetime gets the rule's); AIX makes the retransmissions AIX's (its
// defaults, not the host's ike.config).
type Options struct {
	Phase1Only bool
	Suites     []ikev1.Phase2Suite
	AIX        bool
}

// Initiate is a kernel ACQUIRE toward the wire peer at peer: a phase 1
// from host's address local unless one is live, then one Quick Mode
// under it. A negotiation that ran and failed is an
// *engine.NegotiationError whose counters and events have landed.
func Initiate(ctx context.Context, l *lab.Lab, host string, local netip.Addr, peer netip.AddrPort, o Options) (Result, error) {
	res, pol, sa, timers, err := phase1(ctx, l, host, local, peer, o.AIX)
	if err != nil || o.Phase1Only {
		return res, err
	}
	qc := engine.WireQuickConfig(pol, sa, wireEntropy)
	if len(o.Suites) > 0 {
		def := qc.Suites[0]
		qc.Suites = nil
		for _, s := range o.Suites {
			if s.LifetimeSecs == 0 {
				s.LifetimeSecs, s.LifetimeKB = def.LifetimeSecs, def.LifetimeKB
			}
			qc.Suites = append(qc.Suites, s)
		}
	}
	q, err := ikev1.NewQuickInitiator(qc)
	if err != nil {
		return res, fmt.Errorf("quick mode toward %s: %w", peer, err)
	}
	link, err := wire.Dial(netip.AddrPortFrom(local, engine.DefaultWirePort), peer)
	if err != nil {
		return res, err
	}
	var drops dropTally
	link.Dropped = func(d wire.Drop) { drops.add(host, d) }
	runErr := link.Run(ctx, q, timers)
	_ = link.Close()
	var negErr *engine.NegotiationError
	err = l.Update(func(tx *engine.Tx) error {
		if err := drops.record(tx); err != nil {
			return err
		}
		h, err := tx.Host(host)
		if err != nil {
			return err
		}
		if runErr != nil {
			var te *wire.TimeoutError
			if err := h.RecordWireFailure(peer.Addr(), runErr, errors.As(runErr, &te)); !errors.As(err, &negErr) {
				return err
			}
			return nil
		}
		res.P2, err = h.RecordWirePhase2(res.SA, q.Result())
		return err
	})
	if err == nil && negErr != nil {
		err = negErr
	}
	return res, err
}

// phase1 returns the live phase 1 SA toward peer, negotiating one when
// there is none, with the rule and the timers of the host.
func phase1(ctx context.Context, l *lab.Lab, host string, local netip.Addr, peer netip.AddrPort, aix bool) (Result, *engine.Phase1Policy, *ikev1.SA, wire.Retransmit, error) {
	var (
		wsa    *ikev1.SA
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
		if timers, err = timersOf(h, aix); err != nil {
			return err
		}
		if res.SA, err = h.SAs().NewestPhase1(local, peer.Addr()); err != nil {
			return err
		}
		if res.SA != nil {
			res.Reused = true
			if wsa, _, err = h.WireSA(res.SA.CookieI, res.SA.CookieR); err == nil && wsa == nil {
				err = fmt.Errorf("phase 1 SA 0x%016x 0x%016x with %s was not negotiated over the wire", res.SA.CookieI, res.SA.CookieR, peer.Addr())
			}
			if err != nil {
				return err
			}
			pol, err = h.Policies().Phase1For(local, peer.Addr())
			return err
		}
		if pol, cfg, err = h.WireInitiator(local, peer.Addr(), wireEntropy); err != nil {
			if errors.As(err, &negErr) {
				return nil
			}
			return err
		}
		return h.RecordWireAttempt(pol, local, peer.Addr())
	})
	switch {
	case err != nil:
		return Result{}, nil, nil, timers, err
	case negErr != nil:
		return Result{}, nil, nil, timers, negErr
	case res.Reused:
		return res, pol, wsa, timers, nil
	}
	in, err := ikev1.NewInitiator(cfg)
	if err != nil {
		return Result{}, nil, nil, timers, fmt.Errorf("phase 1 toward %s: %w", peer, err)
	}
	link, err := wire.Dial(netip.AddrPortFrom(local, engine.DefaultWirePort), peer)
	if err != nil {
		return Result{}, nil, nil, timers, err
	}
	var drops dropTally
	link.Dropped = func(d wire.Drop) { drops.add(host, d) }
	runErr := link.Run(ctx, in, timers)
	_ = link.Close()
	var te *wire.TimeoutError
	timedOut := errors.As(runErr, &te)
	if runErr != nil && !timedOut && !isNegotiation(runErr) {
		return Result{}, nil, nil, timers, runErr
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
			return drops.record(tx)
		}
		if res.SA, err = h.RecordWirePhase1(in.SA(), pol, int(peer.Port())); err != nil {
			return err
		}
		return drops.record(tx) // after the SA, which its drops count against
	})
	if err != nil {
		return Result{}, nil, nil, timers, err
	}
	if negErr != nil {
		return Result{}, nil, nil, timers, negErr
	}
	return res, pol, in.SA(), timers, nil
}

// isNegotiation tells the exchange's verdicts (a refusal either side,
// a peer's notify) from local faults.
func isNegotiation(err error) bool {
	var f *ikev1.Failure
	return errors.As(err, &f)
}
