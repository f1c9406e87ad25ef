package engine

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
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
	spec := QuickModeSpec{Local: single(sa.Local.First), Remote: single(sa.Remote.First),
		Proposal: defaultP2Proposal(), LifetimeSecs: 28800}
	if pol != nil {
		spec.PFS, spec.LifetimeSecs, spec.LifetimeKB = pol.P2PFS, pol.P2LifetimeSecs, pol.P2LifetimeKB
	}
	_, err = h.QuickMode(sa, spec)
	return sa, reused, err
}

// defaultP2Proposal is what a kernel ACQUIRE asks for when no phase 2
// definition says otherwise: ESP with AES-CBC and HMAC-SHA1, host to host.
func defaultP2Proposal() P2Transform {
	return P2Transform{Protocol: "ESP", Cipher: CipherAES, KeyBits: 128, Auth: HashSHA1, Encapsulate: "Transport"}
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

// QuickMode runs one phase 2 negotiation under sa: a phase 2 SA on each
// end (numbered by each end's tunnel manager) and the Quick Mode counters
// of both phase 1 SAs.
func (h *Host) QuickMode(sa *Phase1SA, spec QuickModeSpec) (*Phase2SA, error) {
	bump := func(x *Phase1SA) bool { x.QMCreated++; return true }
	if err := h.SAs().UpdatePhase1ByCookies(sa.CookieI, sa.CookieR, bump); err != nil {
		return nil, err
	}
	sa.QMCreated++
	var spis [8]byte
	if _, err := io.ReadFull(h.tx.rand, spis[:]); err != nil {
		return nil, err
	}
	spiA, spiB := binary.BigEndian.Uint32(spis[:4])|0x100, binary.BigEndian.Uint32(spis[4:])|0x100
	mine, err := h.addP2(sa, spec, spec.Local, spec.Remote, spec.Policy, spiA, spiB)
	if err != nil {
		return nil, err
	}
	peerName, ok := h.tx.HostByAddr(sa.Remote.First)
	if !ok || peerName == h.Info.Name {
		return mine, nil
	}
	ph, err := h.tx.Host(peerName)
	if err != nil {
		return nil, err
	}
	if err := ph.SAs().UpdatePhase1ByCookies(sa.CookieI, sa.CookieR, bump); err != nil {
		return nil, err
	}
	peerSA, err := ph.SAs().NewestPhase1(sa.Remote.First, sa.Local.First)
	if err != nil || peerSA == nil {
		return mine, err
	}
	_, err = ph.addP2(peerSA, spec, spec.Remote, spec.Local, spec.PeerPolicy, spiB, spiA)
	return mine, err
}

func (h *Host) addP2(p1 *Phase1SA, spec QuickModeSpec, local, remote AddrRange, policy string, in, out uint32) (*Phase2SA, error) {
	n, err := h.Tunnels().next(2)
	if err != nil {
		return nil, err
	}
	p2 := &Phase2SA{TunnelNum: n, P1TunnelNum: p1.TunnelNum, CookieI: p1.CookieI, CookieR: p1.CookieR,
		Initiator: p1.Initiator, Created: h.tx.now, LifetimeSecs: spec.LifetimeSecs, LifetimeKB: spec.LifetimeKB,
		Local: local, Remote: remote, PolicyName: policy, Proposal: spec.Proposal, PFS: spec.PFS,
		SPIIn: in, SPIOut: out}
	h.Emit(Event{Kind: EventPhase2Established, Category: DebugPhase2,
		LocalRange: local, RemoteRange: remote, Tunnel: n, SPIIn: in, SPIOut: out})
	return p2, h.SAs().AddPhase2(p2)
}

// responder is the other end of a negotiation: a lab host, or an outside
// peer acting out its configured behaviour.
type responder struct {
	host     *Host // nil for an outside peer
	behavior PeerBehavior
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
	resp, err := h.responderFor(remote)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.host == nil && resp.behavior == PeerNoResponse:
		return nil, h.fail(nil, FailNoResponse, DebugPhase1, true, "no response from %s", remote)
	case resp.host == nil && resp.behavior == PeerRejectProposal:
		return nil, h.fail(nil, FailNoProposal, DebugProp, true, "%s rejected every proposal (NO-PROPOSAL-CHOSEN)", remote)
	}
	if resp.host != nil {
		if err := resp.host.Daemons().UpdateStats(func(s *Stats) { s.RespAttempts++ }); err != nil {
			return nil, err
		}
	}
	return h.negotiateWith(ipol, resp, local, remote)
}

// responderFor finds who answers at remote.
func (h *Host) responderFor(remote netip.Addr) (responder, error) {
	if name, ok := h.tx.HostByAddr(remote); ok {
		ph, err := h.tx.Host(name)
		if err != nil {
			return responder{}, err
		}
		answers, err := ph.Daemons().Answers()
		if err != nil {
			return responder{}, err
		}
		if !answers {
			return responder{behavior: PeerNoResponse}, nil
		}
		return responder{host: ph}, nil
	}
	b, err := h.tx.PeerBehaviorOf(remote)
	return responder{behavior: b}, err
}

func (h *Host) negotiateWith(ipol *Phase1Policy, resp responder, local, remote netip.Addr) (*Phase1SA, error) {
	rpol := ipol // an outside peer that accepts takes the initiator's terms
	if resp.host != nil {
		var err error
		if rpol, err = resp.host.Policies().Phase1For(remote, local); err != nil {
			return nil, err
		}
		if rpol == nil {
			resp.host.diag(DebugPolicy, "no rule matches %s -> %s; phase 1 from %s refused", remote, local, local)
			return nil, h.fail(resp.host, FailNoProposal, DebugPolicy, true,
				"%s has no rule for %s -> %s (NO-PROPOSAL-CHOSEN)", remote, remote, local)
		}
	}
	mode, ok := agreeMode(ipol.Mode, rpol.Mode)
	if !ok {
		return nil, h.fail(resp.host, FailNoProposal, DebugProp, true,
			"exchange mode mismatch with %s (rule %q wants %d, peer %d)", remote, ipol.Label, ipol.Mode, rpol.Mode)
	}
	x, ok := selectProposal(ipol.Transforms, rpol.Transforms)
	if !ok {
		return nil, h.fail(resp.host, FailNoProposal, DebugProp, true,
			"no transform of rule %q is acceptable to %s (NO-PROPOSAL-CHOSEN)", ipol.Label, remote)
	}
	h.Emit(Event{Kind: EventProposalSelected, Category: DebugProp, Xform: x})
	if resp.host == nil && resp.behavior == PeerAuthFail {
		return nil, h.fail(nil, FailAuth, DebugPhase1, true, "authentication with %s failed (peer rejected our hash)", remote)
	}
	if x.Auth != AuthPreshared {
		return h.negotiateSig(x, mode, ipol, rpol, resp, local, remote)
	}
	ipsk, err := h.Keys().For(local, remote)
	if err != nil {
		return nil, err
	}
	rpsk := ipsk
	if resp.host != nil {
		if rpsk, err = resp.host.Keys().For(remote, local); err != nil {
			return nil, err
		}
	}
	switch {
	case ipsk == nil:
		return nil, h.fail(resp.host, FailAuth, DebugPhase1, true, "no preshared key for %s -> %s", local, remote)
	case rpsk == nil:
		return nil, h.fail(resp.host, FailAuth, DebugPhase1, true, "%s has no preshared key for %s; authentication failed", remote, local)
	}
	sa, peerSA, err := h.exchange(x, mode, ipol, rpol, ipsk.Key, rpsk.Key, local, remote)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(ipsk.Key, rpsk.Key) {
		resp.host.diag(DebugPhase1, "authentication of %s failed: hash mismatch (preshared key differs)", local)
		return nil, h.fail(resp.host, FailAuth, DebugPhase1, true,
			"authentication with %s failed: hash mismatch (preshared keys differ)", remote)
	}
	return sa, h.commit(sa, peerSA, resp.host)
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

// exchange runs the cryptographic part of main mode: cookies, nonces, a
// real Diffie-Hellman exchange and RFC 2409 key derivation, once per end
// with that end's preshared key.
func (h *Host) exchange(x Transform, mode ExchangeMode, ipol, rpol *Phase1Policy, ikey, rkey []byte, local, remote netip.Addr) (*Phase1SA, *Phase1SA, error) {
	rnd := h.tx.rand
	g, err := ikecrypto.LookupGroup(x.Group)
	if err != nil {
		return nil, nil, h.fail(nil, FailNotSupported, DebugPhase1, true, "%v", err)
	}
	ckyI, err := ikecrypto.NewCookie(rnd)
	if err != nil {
		return nil, nil, err
	}
	ckyR, err := ikecrypto.NewCookie(rnd)
	if err != nil {
		return nil, nil, err
	}
	ni, err := ikecrypto.NewNonce(rnd, nonceLen(ipol.P1NonceLen))
	if err != nil {
		return nil, nil, err
	}
	nr, err := ikecrypto.NewNonce(rnd, nonceLen(rpol.P1NonceLen))
	if err != nil {
		return nil, nil, err
	}
	xi, err := g.GenerateKey(rnd)
	if err != nil {
		return nil, nil, err
	}
	xr, err := g.GenerateKey(rnd)
	if err != nil {
		return nil, nil, err
	}
	gxyI, err := xi.SharedSecret(xr.PublicBytes())
	if err != nil {
		return nil, nil, err
	}
	gxyR, err := xr.SharedSecret(xi.PublicBytes())
	if err != nil {
		return nil, nil, err
	}
	in := ikecrypto.Phase1Input{Method: x.Auth, Hash: x.Hash, Ni: ni, Nr: nr,
		GXi: xi.PublicBytes(), GXr: xr.PublicBytes(), CookieI: ckyI, CookieR: ckyR,
		Cipher: x.Cipher, KeyBits: x.KeyMax}
	in.PSK, in.GXY = ikey, gxyI
	ik, err := ikecrypto.DerivePhase1(in)
	if err != nil {
		return nil, nil, err
	}
	in.PSK, in.GXY = rkey, gxyR
	rk, err := ikecrypto.DerivePhase1(in)
	if err != nil {
		return nil, nil, err
	}
	base := Phase1SA{
		CookieI: binary.BigEndian.Uint64(ckyI[:]), CookieR: binary.BigEndian.Uint64(ckyR[:]),
		Mode: mode, Created: h.tx.now, Xform: x, PFS: ipol.P2PFS, LocalPort: 500, RemotePort: 500,
	}
	isa, rsa := base, base
	isa.Initiator, isa.Local, isa.Remote, isa.PolicyLabel = true, single(local), single(remote), ipol.Label
	isa.Keys = keysOf(ikey, ik)
	rsa.Local, rsa.Remote, rsa.PolicyLabel, rsa.PFS = single(remote), single(local), rpol.Label, rpol.P2PFS
	rsa.Keys = keysOf(rkey, rk)
	return &isa, &rsa, nil
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

func keysOf(psk []byte, k *ikecrypto.Phase1Keys) Phase1Keys {
	return Phase1Keys{PSK: append([]byte(nil), psk...), SKEYID: k.SKEYID, SKEYIDd: k.SKEYIDd,
		SKEYIDa: k.SKEYIDa, SKEYIDe: k.SKEYIDe, EncKey: k.EncKey, IV: k.IV}
}
