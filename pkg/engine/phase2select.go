package engine

import (
	"errors"
	"fmt"
	"net/netip"
)

// Phase2Offer is what an initiator proposes in one Quick Mode: the
// traffic (from its side) and its proposals in order of preference.
type Phase2Offer struct {
	Local, Remote AddrRange
	Proposals     []Proposal
	PFS           int
	Policy        string // the initiator's phase 2 definition, if any
}

// Phase2Error is a Quick Mode the responder refused: phase 1 stands, no
// phase 2 SA was made.
type Phase2Error struct {
	Reason string
}

func (e *Phase2Error) Error() string { return e.Reason }

// SelectPhase2 is the responder's phase 2 policy check: among its
// policies, the one for the mirrored traffic decides, and the first of
// the offer's proposals it also lists is chosen, if their PFS groups
// agree. A responder without phase 2 policies takes the initiator's
// terms (chosen is then nil); one with policies but none for this
// traffic refuses.
func SelectPhase2(offer Phase2Offer, responder []*Phase2Policy) (prop Proposal, chosen *Phase2Policy, ok bool) {
	if len(offer.Proposals) == 0 {
		return Proposal{}, nil, false
	}
	if len(responder) == 0 {
		return offer.Proposals[0], nil, true
	}
	for _, q := range responder {
		if len(q.Local.Addrs) == 0 || len(q.Remote.Addrs) == 0 ||
			q.Local.Addrs[0] != offer.Remote || q.Remote.Addrs[0] != offer.Local {
			continue
		}
		if q.PFSGroup != offer.PFS {
			return Proposal{}, q, false
		}
		for _, m := range offer.Proposals {
			for _, t := range q.Proposals {
				if sameTransform(m.ESP, t.ESP) && sameTransform(m.AH, t.AH) {
					return m, q, true
				}
			}
		}
		return Proposal{}, q, false
	}
	return Proposal{}, nil, false
}

func sameTransform(a, b *IPsecTransform) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Cipher == b.Cipher && a.KeyBits == b.KeyBits && a.Auth == b.Auth && a.Transport == b.Transport
}

// PlanPhase2 is the Quick Mode an offer toward dst becomes: when a lab
// host answers at dst, its phase 2 policies decide (SelectPhase2); an
// outside peer takes the first proposal. A refusal is a *Phase2Error;
// it emits nothing, so each caller tells of it when its daemon would.
func (h *Host) PlanPhase2(dst netip.Addr, offer Phase2Offer) (QuickModeSpec, error) {
	spec := QuickModeSpec{Local: offer.Local, Remote: offer.Remote, PFS: offer.PFS, Policy: offer.Policy}
	_, policies, err := h.phase2Responder(dst, offer)
	if err != nil {
		return spec, err
	}
	prop, chosen, ok := SelectPhase2(offer, policies)
	if !ok {
		return spec, &Phase2Error{Reason: fmt.Sprintf("%s accepts none of the phase 2 proposals for %s -> %s (NO-PROPOSAL-CHOSEN)",
			dst, rangeText(offer.Local), rangeText(offer.Remote))}
	}
	if chosen != nil {
		spec.PeerPolicy = chosen.Name
	}
	spec.Proposal, spec.LifetimeSecs, spec.LifetimeKB = P2TransformOf(prop)
	return spec, nil
}

// acquireQuickMode runs the Quick Mode of a kernel ACQUIRE under sa.
func (h *Host) acquireQuickMode(sa *Phase1SA, pol *Phase1Policy) error {
	return h.quickModeFor(sa, acquireOffer(sa, pol))
}

// refusedPhase2 tells both daemons' logs of a Quick Mode the responder
// refused.
func (h *Host) refusedPhase2(dst netip.Addr, offer Phase2Offer, err error) {
	var refused *Phase2Error
	if !errors.As(err, &refused) {
		return
	}
	h.diag(DebugPhase2, "%s", refused.Reason)
	if name, ok := h.tx.HostByAddr(dst); ok {
		if peer, perr := h.tx.Host(name); perr == nil {
			peer.diag(DebugPhase2, "no phase 2 policy accepts %s -> %s; quick mode refused",
				rangeText(offer.Remote), rangeText(offer.Local))
		}
	}
}

// phase2Responder is the lab host answering at dst with the phase 2
// policies that judge the offer: its phase 2 definitions, and what its
// IPsec policy says of the offer's traffic; an outside peer is (nil, nil).
func (h *Host) phase2Responder(dst netip.Addr, offer Phase2Offer) (*Host, []*Phase2Policy, error) {
	name, ok := h.tx.HostByAddr(dst)
	if !ok {
		return nil, nil, nil
	}
	ph, err := h.tx.Host(name)
	if err != nil {
		return nil, nil, err
	}
	list, err := ph.responderPolicies(offer)
	return ph, list, err
}

// responderPolicies are the phase 2 policies with which h answers the
// offer: what its IPsec policy says of the offer's traffic, then its
// phase 2 definitions.
func (h *Host) responderPolicies(offer Phase2Offer) ([]*Phase2Policy, error) {
	var list []*Phase2Policy
	if spd, ok, err := h.spdResponder(offer); err != nil {
		return nil, err
	} else if ok {
		list = append(list, spd)
	}
	err := h.Policies().ScanPhase2(func(q *Phase2Policy) error {
		list = append(list, q)
		return nil
	})
	return list, err
}

// P2TransformOf summarises a proposal as the phase 2 SA records it, with
// its lifetimes.
func P2TransformOf(p Proposal) (P2Transform, uint32, uint32) {
	x, proto := p.ESP, "ESP"
	if x == nil {
		x, proto = p.AH, "AH"
	}
	if x == nil {
		return P2Transform{}, 0, 0
	}
	mode := "Tunnel"
	if x.Transport {
		mode = "Transport"
	}
	t := P2Transform{Protocol: proto, Auth: x.Auth, Encapsulate: mode}
	if proto == "ESP" {
		t.Cipher, t.KeyBits = x.Cipher, x.KeyBits
	}
	return t, x.LifetimeSecs, x.LifetimeKB
}

// acquireOffer is what a kernel ACQUIRE asks for when no IPsec policy
// says otherwise: ESP with AES-CBC and HMAC-SHA1, host to host, with the
// phase 1 rule's phase 2 PFS group and lifetimes.
func acquireOffer(sa *Phase1SA, pol *Phase1Policy) Phase2Offer {
	x := &IPsecTransform{Cipher: CipherAES, KeyBits: 128, Auth: HashSHA1, Transport: true, LifetimeSecs: 28800}
	offer := Phase2Offer{Local: single(sa.Local.First), Remote: single(sa.Remote.First)}
	if pol != nil {
		offer.PFS, x.LifetimeSecs, x.LifetimeKB = pol.P2PFS, pol.P2LifetimeSecs, pol.P2LifetimeKB
	}
	offer.Proposals = []Proposal{{ESP: x}}
	return offer
}

func rangeText(r AddrRange) string {
	if r.First == r.Last {
		return r.First.String()
	}
	return r.First.String() + "-" + r.Last.String()
}
