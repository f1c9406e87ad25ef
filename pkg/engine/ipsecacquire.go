package engine

import (
	"fmt"
)

// AcquireVerdict is what a host's IPsec policy does with a flow.
type AcquireVerdict int

const (
	VerdictProtect AcquireVerdict = iota // an ACQUIRE was played
	VerdictBypass                        // sent in the clear
	VerdictDrop                          // discarded
)

// AcquireResult is what an ACQUIRE for one flow came to.
type AcquireResult struct {
	Verdict AcquireVerdict
	// Rule is the policy rule that decided, nil when the host has no IPsec
	// policy at all or none of its rules covers the flow.
	Rule   *IPsecRule
	SA     *Phase1SA
	Reused bool // the phase 1 SA was already there
	// Carriers are the live SAs that carry the flow (CarryTraffic), so no
	// ACQUIRE was played; Peer is what the destination does with them.
	Carriers []SACarrier
	Peer     PeerReceipt
}

// AcquireTraffic plays the kernel's part for one outbound flow: a host
// without IPsec policy ACQUIREs as Acquire does; with policy, the rule
// that covers the flow decides whether it is protected, bypassed or
// dropped, live SAs the rule accepts carry it (CarryTraffic), and
// otherwise the rule's algorithms and sa shared|unique make the Quick
// Mode in.iked proposes.
func (h *Host) AcquireTraffic(t Traffic) (AcquireResult, error) {
	t.Local, t.Remote = t.Local.Unmap(), t.Remote.Unmap()
	if h.IPsecPolicy().Len() == 0 {
		if err := h.SADB().acquired(t, nil); err != nil {
			return AcquireResult{}, err
		}
		sa, reused, err := h.Acquire(t.Local, t.Remote)
		return AcquireResult{SA: sa, Reused: reused}, err
	}
	res, err := h.CarryTraffic(t)
	if err != nil || res.Verdict != VerdictProtect || len(res.Carriers) > 0 {
		return res, err
	}
	rule := res.Rule
	if res.SA, res.Reused, err = h.EnsurePhase1(t.Local, t.Remote); err != nil {
		return res, err
	}
	pol, err := h.Policies().Phase1For(t.Local, t.Remote)
	if err != nil {
		return res, err
	}
	if err := h.SADB().acquired(t, rule); err != nil {
		return res, err
	}
	return res, h.quickModeFor(res.SA, ruleOffer(res.SA, pol, rule))
}

// ruleOffer is the Quick Mode offer of a protecting rule: each of its
// IPsec alternatives in order, every key length each allows.
func ruleOffer(sa *Phase1SA, pol *Phase1Policy, rule *IPsecRule) Phase2Offer {
	offer := acquireOffer(sa, pol)
	life, kb := offer.Proposals[0].ESP.LifetimeSecs, offer.Proposals[0].ESP.LifetimeKB
	offer.Proposals = nil
	for _, a := range rule.Actions {
		if a.Kind == IPsecApply {
			offer.Proposals = append(offer.Proposals, actionProposals(a, !rule.TunnelMode, life, kb)...)
		}
	}
	offer.Policy = fmt.Sprintf("ipsecconf %d", rule.Index)
	return offer
}

// quickModeFor runs the Quick Mode of an offer under sa, or tells both
// daemons' logs that the responder refused it.
func (h *Host) quickModeFor(sa *Phase1SA, offer Phase2Offer) error {
	spec, err := h.PlanPhase2(sa.Remote.First, offer)
	if err != nil {
		h.refusedPhase2(sa.Remote.First, offer, err)
		return err
	}
	_, err = h.QuickMode(sa, spec)
	return err
}

// actionProposals are the phase 2 proposals of one IPsec action.
func actionProposals(a IPsecAction, transport bool, life, kb uint32) []Proposal {
	var ah *IPsecTransform
	if a.AH {
		ah = &IPsecTransform{Auth: Hash(a.AHAuth.ID), Transport: transport, LifetimeSecs: life, LifetimeKB: kb}
	}
	if !a.ESP {
		return []Proposal{{AH: ah}}
	}
	var out []Proposal
	for _, c := range wildCiphers(a.ESPEncr.ID) {
		for _, bits := range keyLengths(c, a.ESPEncr) {
			esp := &IPsecTransform{Cipher: espCipher(c), KeyBits: bits, Auth: Hash(a.ESPAuth.ID),
				Transport: transport, LifetimeSecs: life, LifetimeKB: kb}
			out = append(out, Proposal{ESP: esp, AH: ah})
		}
	}
	return out
}

// SADB numbers of the ESP ciphers whose key length is negotiated.
const (
	sadbNullEncr = 11
)

// wildCiphers expands "any cipher" (0) to the ones the SADB offers.
func wildCiphers(id int) []int {
	if id == 0 {
		return []int{int(CipherAES), int(Cipher3DES)}
	}
	return []int{id}
}

func espCipher(id int) Cipher {
	if id == sadbNullEncr {
		return CipherNone
	}
	return Cipher(id)
}

// keyLengths are the key lengths of a cipher a request allows, in
// proposal order; 0 stands for a fixed-length cipher.
func keyLengths(id int, req IPsecAlgReq) []int {
	var sizes []int
	switch Cipher(id) {
	case CipherAES:
		sizes = []int{128, 192, 256}
	case CipherBlowfish:
		sizes = []int{128}
	default:
		return []int{0}
	}
	var out []int
	for _, s := range sizes {
		if (req.MinBits == 0 || s >= req.MinBits) && (req.MaxBits == 0 || s <= req.MaxBits) {
			out = append(out, s)
		}
	}
	return out
}

// spdResponder is the phase 2 policy a Solaris responder's IPsec policy
// gives the offer's mirrored traffic: the protecting rule's proposals, or
// a policy with none (a refusal) when no rule protects it. ok is false
// when the host has no IPsec policy.
func (h *Host) spdResponder(offer Phase2Offer) (*Phase2Policy, bool, error) {
	if h.IPsecPolicy().Len() == 0 {
		return nil, false, nil
	}
	t := Traffic{Local: offer.Remote.First, Remote: offer.Local.First}
	rule, err := h.IPsecPolicy().Match(t, IPsecInbound)
	if err != nil {
		return nil, true, err
	}
	p := &Phase2Policy{Local: Selector{Addrs: []AddrRange{offer.Remote}},
		Remote: Selector{Addrs: []AddrRange{offer.Local}}, PFSGroup: offer.PFS}
	if rule == nil {
		return p, true, nil
	}
	p.Name = fmt.Sprintf("ipsecconf %d", rule.Index)
	for _, a := range rule.Actions {
		if a.Kind == IPsecApply {
			for _, prop := range actionProposals(a, !rule.TunnelMode, 0, 0) {
				p.Proposals = append(p.Proposals, prop)
				if prop.ESP != nil && prop.ESP.KeyBits == 128 {
					// an offer without a key length means the default
					dflt := *prop.ESP
					dflt.KeyBits = 0
					p.Proposals = append(p.Proposals, Proposal{ESP: &dflt, AH: prop.AH})
				}
			}
		}
	}
	return p, true, nil
}
