package engine

import (
	"fmt"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
)

// FailureKind classifies a failed phase 1 negotiation.
type FailureKind string

const (
	FailNoPolicy     FailureKind = "no-policy"
	FailNoResponse   FailureKind = "no-response"
	FailNoProposal   FailureKind = "no-proposal"
	FailAuth         FailureKind = "auth-failed"
	FailNotSupported FailureKind = "not-supported"
)

// NegotiationError is a negotiation that ran and failed; its counters are
// already counted and its reason logged.
type NegotiationError struct {
	Kind   FailureKind
	Reason string
}

func (e *NegotiationError) Error() string { return e.Reason }

// Acquire plays a kernel ACQUIRE on host h for traffic local -> remote:
// reuse a live phase 1 SA between the two addresses, or negotiate one,
// then run one Quick Mode on it for the host pair. Both ends' SAs and
// counters change in this transaction.
func (h *Host) Acquire(local, remote netip.Addr) (*Phase1SA, bool, error) {
	sa, reused, err := h.EnsurePhase1(local, remote)
	if err != nil {
		return nil, false, err
	}
	pol, err := h.Policies().Phase1For(sa.Local.First, sa.Remote.First)
	if err != nil {
		return nil, false, err
	}
	return sa, reused, h.acquireQuickMode(sa, pol)
}

// EnsurePhase1 returns a live phase 1 SA between the two addresses,
// negotiating one if there is none; reused tells which.
func (h *Host) EnsurePhase1(local, remote netip.Addr) (*Phase1SA, bool, error) {
	local, remote = local.Unmap(), remote.Unmap()
	sa, err := h.liveSA(local, remote)
	if err != nil || sa != nil {
		return sa, sa != nil, err
	}
	sa, err = h.negotiate(local, remote)
	return sa, false, err
}

// liveSA finds an active SA between two addresses.
func (h *Host) liveSA(local, remote netip.Addr) (*Phase1SA, error) {
	return h.SAs().NewestPhase1(local, remote)
}

// QuickModeSpec is what one phase 2 negotiation protects and how, from
// the initiator's side.
type QuickModeSpec struct {
	Local, Remote AddrRange
	Proposal      P2Transform
	PFS           int
	LifetimeSecs  uint32
	LifetimeKB    uint32
	Policy        string // the initiator's phase 2 definition, if any
	PeerPolicy    string // the responder's
}

func (h *Host) addP2(p1 *Phase1SA, spec QuickModeSpec, local, remote AddrRange, policy string, q *ikev1.Phase2) (*Phase2SA, error) {
	in, out := q.SPIIn, q.SPIOut
	n, err := h.Tunnels().next(2)
	if err != nil {
		return nil, err
	}
	p2 := &Phase2SA{TunnelNum: n, P1TunnelNum: p1.TunnelNum, CookieI: p1.CookieI, CookieR: p1.CookieR,
		Initiator: p1.Initiator, Created: h.tx.now, LifetimeSecs: spec.LifetimeSecs, LifetimeKB: spec.LifetimeKB,
		Local: local, Remote: remote, PolicyName: policy, Proposal: spec.Proposal, PFS: spec.PFS,
		SPIIn: in, SPIOut: out, Keys: phase2KeysOf(q)}
	h.Emit(Event{Kind: EventPhase2Established, Category: DebugPhase2,
		LocalRange: local, RemoteRange: remote, Tunnel: n, SPIIn: in, SPIOut: out})
	return p2, h.SAs().addPhase2(p2, p1)
}

func (h *Host) negotiate(local, remote netip.Addr) (*Phase1SA, error) {
	ipol, err := h.Policies().Phase1For(local, remote)
	if err != nil {
		return nil, err
	}
	if ipol == nil {
		return nil, h.fail(nil, FailNoPolicy, DebugPolicy, false,
			"no rule matches %s -> %s; ACQUIRE dropped", local, remote)
	}
	if err := h.Daemons().UpdateStats(func(s *Stats) { s.InitAttempts++ }); err != nil {
		return nil, err
	}
	h.Emit(Event{Kind: EventPhase1Initiated, Category: DebugPhase1, Local: local, Remote: remote, Rule: ipol.Label})
	r, err := h.newRun(ipol, local, remote)
	if err != nil {
		return nil, err
	}
	isa, rsa, err := r.run()
	if err != nil {
		return nil, r.outcome(err)
	}
	if r.chosen != nil && isa.Suite.Auth == AuthRSASig && r.peer != nil {
		h.diag(DebugCert, "%s authenticated by RSA signature with certificate <%s>", remote, FormatDN(r.rsig.entry.Cert.RawSubject))
		r.peer.diag(DebugCert, "%s authenticated by RSA signature with certificate <%s>", local, FormatDN(r.isig.entry.Cert.RawSubject))
	}
	sa := r.phase1SA(isa, ipol, local, remote)
	if r.peer == nil {
		return sa, h.commit(sa, nil, nil)
	}
	return sa, h.commit(sa, r.phase1SA(rsa, r.rpol, remote, local), r.peer)
}

// newRun finds who answers at remote and sets the exchange up.
func (h *Host) newRun(ipol *Phase1Policy, local, remote netip.Addr) (*p1run, error) {
	r := &p1run{h: h, ipol: ipol, local: local, remote: remote, rpol: ipol}
	if name, ok := h.tx.HostByAddr(remote); ok {
		ph, err := h.tx.Host(name)
		if err != nil {
			return nil, err
		}
		answers, err := ph.Daemons().Answers()
		if err != nil {
			return nil, err
		}
		if answers {
			r.peer = ph
			if r.rpol, err = ph.Policies().Phase1For(remote, local); err != nil {
				return nil, err
			}
		} else {
			r.behavior = PeerNoResponse
		}
	} else {
		b, err := h.tx.PeerBehaviorOf(remote)
		if err != nil {
			return nil, err
		}
		r.behavior = b
	}
	nr := nonceLen(ipol.P1NonceLen)
	r.mode = initiatorMode(ipol.Mode, ipol.Mode)
	if r.rpol != nil {
		nr, r.mode = nonceLen(r.rpol.P1NonceLen), initiatorMode(ipol.Mode, r.rpol.Mode)
	}
	side := newSideStream([]byte("phase 1"), local.AsSlice(), remote.AsSlice(), []byte(h.tx.now.String()))
	r.draws = newP1Draws(h.tx.rand, nonceLen(ipol.P1NonceLen), nr, side)
	return r, nil
}

// commit stores both ends' SAs and counts the success.
func (h *Host) commit(sa, peerSA *Phase1SA, peer *Host) error {
	var err error
	if sa.TunnelNum, err = h.Tunnels().next(1); err != nil {
		return err
	}
	if err := h.SAs().AddPhase1(sa); err != nil {
		return err
	}
	if err := h.Daemons().UpdateStats(func(s *Stats) { s.InitTotal++ }); err != nil {
		return err
	}
	h.emitEstablished(sa)
	if peer == nil {
		return nil
	}
	if peerSA.TunnelNum, err = peer.Tunnels().next(1); err != nil {
		return err
	}
	if err := peer.SAs().AddPhase1(peerSA); err != nil {
		return err
	}
	peer.emitEstablished(peerSA)
	return peer.Daemons().UpdateStats(func(s *Stats) { s.RespTotal++ })
}

// fail counts and logs a failed negotiation; responded tells whether the
// peer answered (a "peer responded" failure) or stayed silent.
func (h *Host) fail(peer *Host, kind FailureKind, cat uint32, counted bool, format string, args ...any) error {
	reason := fmt.Sprintf(format, args...)
	h.Emit(Event{Kind: EventPhase1Failed, Category: cat, Initiator: true, Failure: kind, Detail: reason})
	if counted {
		err := h.Daemons().UpdateStats(func(s *Stats) {
			if kind == FailNoResponse {
				s.InitNoResp++
			} else {
				s.InitRespFail++
			}
		})
		if err != nil {
			return err
		}
	}
	if peer != nil {
		peer.Emit(Event{Kind: EventPhase1Failed, Category: cat, Remote: peerAddrOf(h),
			Failure: kind, Detail: reason})
		if err := peer.Daemons().UpdateStats(func(s *Stats) { s.RespFail++ }); err != nil {
			return err
		}
	}
	return &NegotiationError{Kind: kind, Reason: reason}
}

// peerAddrOf is the address a host's failures are reported from.
func peerAddrOf(h *Host) netip.Addr {
	if len(h.Info.Addrs) == 0 {
		return netip.Addr{}
	}
	return h.Info.Addrs[0]
}

// emitEstablished reports a new phase 1 SA on its holder's side.
func (h *Host) emitEstablished(sa *Phase1SA) {
	h.Emit(Event{Kind: EventPhase1Established, Category: DebugPhase1,
		Local: sa.Local.First, Remote: sa.Remote.First, Initiator: sa.Initiator,
		CookieI: sa.CookieI, CookieR: sa.CookieR})
}

// nonceLen bounds a policy's nonce length to what RFC 2409 allows.
func nonceLen(n uint32) int {
	switch {
	case n == 0:
		return 64
	case n < ikecrypto.MinNonceLen:
		return ikecrypto.MinNonceLen
	case n > ikecrypto.MaxNonceLen:
		return ikecrypto.MaxNonceLen
	}
	return int(n)
}

func single(a netip.Addr) AddrRange { return AddrRange{First: a, Last: a} }
