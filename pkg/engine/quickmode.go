package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// QuickMode runs one phase 2 negotiation under sa as two parties: h's
// Quick Mode initiator and the responder of the peer (a lab host, or an
// outside peer that accepts), over the in-process transport. Each end
// gets a phase 2 SA (numbered by its tunnel manager) and its phase 1
// SA's Quick Mode count moves.
func (h *Host) QuickMode(sa *Phase1SA, spec QuickModeSpec) (*Phase2SA, error) {
	bump := func(x *Phase1SA) bool { x.QMCreated++; return true }
	if err := h.SAs().UpdatePhase1ByCookies(sa.CookieI, sa.CookieR, bump); err != nil {
		return nil, err
	}
	sa.QMCreated++
	peer, err := h.quickPeer(sa)
	if err != nil {
		return nil, err
	}
	mine, theirs, err := h.runQuickMode(sa, peer, spec)
	if err != nil {
		return nil, err
	}
	p2, err := h.addP2(sa, spec, spec.Local, spec.Remote, spec.Policy, mine)
	if err != nil || peer == nil {
		return p2, err
	}
	var peerSA *Phase1SA
	if err := peer.SAs().UpdatePhase1ByCookies(sa.CookieI, sa.CookieR, bump); err != nil {
		return nil, err
	}
	if peerSA, err = peer.SAs().NewestPhase1(sa.Remote.First, sa.Local.First); err != nil || peerSA == nil {
		return p2, err
	}
	got, err := receivedSpec(theirs, spec.PeerPolicy)
	if err != nil {
		return nil, err
	}
	_, err = peer.addP2(peerSA, got, got.Local, got.Remote, got.Policy, theirs)
	return p2, err
}

// quickPeer is the lab host that answers a Quick Mode under sa, nil for
// an outside peer.
func (h *Host) quickPeer(sa *Phase1SA) (*Host, error) {
	name, ok := h.tx.HostByAddr(sa.Remote.First)
	if !ok || name == h.Info.Name {
		return nil, nil
	}
	return h.tx.Host(name)
}

// runQuickMode passes the three messages between the two ends.
func (h *Host) runQuickMode(sa *Phase1SA, peer *Host, spec QuickModeSpec) (*ikev1.Phase2, *ikev1.Phase2, error) {
	isa := sa.wireSA()
	// An outside peer holds what we hold, seen from its end.
	rsa := sa.wireSA()
	rsa.Initiator, rsa.Local, rsa.Remote = !rsa.Initiator, rsa.Remote, rsa.Local
	if peer != nil {
		var held *Phase1SA
		find := func(x *Phase1SA) bool { held = x; return false }
		if err := peer.SAs().UpdatePhase1ByCookies(sa.CookieI, sa.CookieR, find); err != nil {
			return nil, nil, err
		}
		if held != nil {
			rsa = held.wireSA()
		}
	}
	local, err := idOfRange(spec.Local)
	if err != nil {
		return nil, nil, err
	}
	remote, err := idOfRange(spec.Remote)
	if err != nil {
		return nil, nil, err
	}
	count := binary.BigEndian.AppendUint32(nil, sa.QMCreated)
	qi, err := ikev1.NewQuickInitiator(ikev1.QuickConfig{SA: isa, Suites: []ikev1.Phase2Suite{phase2Suite(spec)},
		PFS: spec.PFS, Local: local, Remote: remote,
		Entropy: qmEntropy{stream: h.tx.rand, side: newSideStream([]byte("qm i"), sa.Keys.SKEYIDd, count)}})
	if err != nil {
		return nil, nil, err
	}
	qr, err := ikev1.NewQuickResponder(ikev1.QuickResponderConfig{SA: rsa, Policy: phase2Acceptor{h: peer},
		Entropy: qmEntropy{stream: h.tx.rand, side: newSideStream([]byte("qm r"), sa.Keys.SKEYIDd, count)}})
	if err != nil {
		return nil, nil, err
	}
	m1, err := qi.Start()
	if err != nil {
		return nil, nil, err
	}
	m2, _, rerr := qr.Handle(m1)
	if rerr != nil {
		return nil, nil, quickFailure(rerr)
	}
	m3, _, ierr := qi.Handle(m2)
	if ierr != nil {
		return nil, nil, quickFailure(ierr)
	}
	if _, _, rerr = qr.Handle(m3); rerr != nil {
		return nil, nil, quickFailure(rerr)
	}
	if qi.Result() == nil || qr.Result() == nil {
		return nil, nil, errors.New("engine: quick mode did not complete")
	}
	return qi.Result(), qr.Result(), nil
}

// quickFailure is a refused Quick Mode as a negotiation error.
func quickFailure(err error) error {
	var f *ikev1.Failure
	if !errors.As(err, &f) {
		return err
	}
	kind := FailNoProposal
	if f.Notify == isakmp.NotifyAuthenticationFailed {
		kind = FailAuth
	}
	return &NegotiationError{Kind: kind, Reason: f.Reason}
}

// phase2Acceptor is the Quick Mode responder's owner. Which proposal a
// host takes and for which selectors is the engine's phase 2 selection;
// until it moves here from the personalities every offer is taken as it
// came, as the lab always did.
type phase2Acceptor struct{ h *Host }

func (a phase2Acceptor) AcceptPhase2(o ikev1.Phase2Offer) (*ikev1.Phase2Choice, error) {
	if len(o.Suites) == 0 {
		return nil, nil
	}
	return &ikev1.Phase2Choice{Index: 0, Suite: o.Suites[0]}, nil
}

// wireSA is a stored phase 1 SA as the ikev1 state machines hold one.
// The store keeps no last phase 1 ciphertext block, so lab Quick Modes
// start their IV chain from the SA's first IV on both ends.
func (sa *Phase1SA) wireSA() *ikev1.SA {
	x := sa.Xform
	return &ikev1.SA{Mode: ikev1.MainMode, Initiator: sa.Initiator, CookieI: cookieBytes(sa.CookieI),
		CookieR: cookieBytes(sa.CookieR), Local: sa.Local.First, Remote: sa.Remote.First, PSK: sa.Keys.PSK,
		Suite: ikev1.Suite{Auth: x.Auth, Cipher: x.Cipher, KeyBits: x.KeyMax, Hash: x.Hash, Group: x.Group,
			LifetimeSecs: x.LifetimeSecs, LifetimeKB: x.LifetimeKB},
		SKEYID: sa.Keys.SKEYID, SKEYIDd: sa.Keys.SKEYIDd, SKEYIDa: sa.Keys.SKEYIDa, SKEYIDe: sa.Keys.SKEYIDe,
		EncKey: sa.Keys.EncKey, IV: sa.Keys.IV, LastBlock: sa.Keys.IV}
}

// phase2Suite is what the initiator proposes for spec.
func phase2Suite(spec QuickModeSpec) ikev1.Phase2Suite {
	p := spec.Proposal
	s := ikev1.Phase2Suite{Protocol: isakmp.ProtocolESP, Cipher: p.Cipher, KeyBits: p.KeyBits, Auth: p.Auth,
		Encapsulation: isakmp.EncapsulationTunnel, LifetimeSecs: spec.LifetimeSecs, LifetimeKB: spec.LifetimeKB}
	if p.Protocol == "AH" {
		s.Protocol, s.Cipher, s.KeyBits = isakmp.ProtocolAH, CipherNone, 0
	}
	if p.Encapsulate == "Transport" {
		s.Encapsulation = isakmp.EncapsulationTransport
	}
	return s
}

// receivedSpec is the phase 2 the responder agreed to, as it holds it.
func receivedSpec(p *ikev1.Phase2, policy string) (QuickModeSpec, error) {
	s := p.Suite
	t := P2Transform{Protocol: "ESP", Cipher: s.Cipher, KeyBits: s.KeyBits, Auth: s.Auth, Encapsulate: "Tunnel"}
	if s.Protocol == isakmp.ProtocolAH {
		t.Protocol = "AH"
	}
	if s.Encapsulation == isakmp.EncapsulationTransport {
		t.Encapsulate = "Transport"
	}
	local, err := rangeOfID(p.Local)
	if err != nil {
		return QuickModeSpec{}, err
	}
	remote, err := rangeOfID(p.Remote)
	if err != nil {
		return QuickModeSpec{}, err
	}
	return QuickModeSpec{Local: local, Remote: remote, Proposal: t, PFS: p.PFS, LifetimeSecs: s.LifetimeSecs,
		LifetimeKB: s.LifetimeKB, Policy: policy}, nil
}

// idOfRange is a Quick Mode identity for an address range: an address,
// a subnet when the range is one, a range otherwise.
func idOfRange(r AddrRange) (isakmp.ID, error) {
	if r.First == r.Last {
		return isakmp.IDFromAddr(r.First), nil
	}
	for bits := 0; bits <= r.First.BitLen(); bits++ {
		p := netip.PrefixFrom(r.First, bits).Masked()
		if p.Addr() == r.First && lastOf(p) == r.Last {
			return isakmp.IDFromPrefix(p), nil
		}
	}
	return isakmp.IDFromRange(r.First, r.Last)
}

// lastOf is a prefix's highest address.
func lastOf(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// rangeOfID is the address range a Quick Mode identity names.
func rangeOfID(id isakmp.ID) (AddrRange, error) {
	if a, ok := id.Addr(); ok {
		return single(a), nil
	}
	if p, err := id.Prefix(); err == nil {
		return AddrRange{First: p.Masked().Addr(), Last: lastOf(p)}, nil
	}
	first, last, err := id.Range()
	if err != nil {
		return AddrRange{}, fmt.Errorf("engine: quick mode identity: %w", err)
	}
	return AddrRange{First: first, Last: last}, nil
}
