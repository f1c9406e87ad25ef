package engine

import (
	"bytes"
	"fmt"
	"net/netip"
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

// SACarrier is an SA that carries a flow without an ACQUIRE: a manual SA
// (ipseckey add), or the outbound half of a negotiated pair.
type SACarrier struct {
	Protocol string // "ESP" or "AH"
	SPI      uint32
	Dst      netip.Addr
	Manual   bool
	Phase2   *Phase2SA // the negotiated pair; nil for a manual SA
}

// PeerReceipt is what the flow's destination does with the packets the
// carriers bring.
type PeerReceipt int

const (
	PeerOutside     PeerReceipt = iota // no lab host owns the destination
	PeerAccepts                        // its inbound SAs and policy take them
	PeerNoSA                           // it holds no inbound SA of that SPI
	PeerKeyMismatch                    // its SA of that SPI has other algorithms or keys
	PeerPolicyDrops                    // its IPsec policy refuses them
)

// saCandidate is one live SA toward the flow's destination, in the terms
// the policy's actions are checked in.
type saCandidate struct {
	carrier SACarrier
	cipher  Cipher
	keyBits int
	auth    Hash
	encKey  []byte
	authKey []byte
	added   time.Time
	dying   bool // past its soft lifetime
	anySrc  bool // a manual SA without a source address
	manual  *ManualSA
}

// CarryTraffic is the kernel's outbound decision for one flow, before
// any ACQUIRE: the policy entry's verdict and, when it asks for IPsec,
// the live SAs that carry the flow under one of its alternatives. A
// flow carried this way marks its SAs used and is judged by the
// destination when a lab host owns it. Carriers stays empty when an
// ACQUIRE is needed; a host without IPsec policy has no carriers.
func (h *Host) CarryTraffic(t Traffic) (AcquireResult, error) {
	t.Local, t.Remote = t.Local.Unmap(), t.Remote.Unmap()
	res := AcquireResult{Verdict: VerdictProtect}
	if h.IPsecPolicy().Len() == 0 {
		return res, nil
	}
	rule, err := h.IPsecPolicy().Match(t, IPsecOutbound)
	if err != nil {
		return res, err
	}
	res.Rule, res.Verdict = rule, VerdictBypass
	if rule == nil || len(rule.Actions) == 0 {
		return res, nil
	}
	switch rule.Actions[0].Kind {
	case IPsecPass:
		return res, nil
	case IPsecDrop:
		res.Verdict = VerdictDrop
		return res, nil
	}
	res.Verdict = VerdictProtect
	chosen, err := h.carriersFor(t, rule)
	if err != nil || len(chosen) == 0 {
		return res, err
	}
	for _, c := range chosen {
		res.Carriers = append(res.Carriers, c.carrier)
		if err := h.markUsed(c.manual); err != nil {
			return res, err
		}
	}
	res.Peer, err = h.peerReceipt(t, chosen)
	return res, err
}

// carriersFor picks, for the first of the rule's shared IPsec
// alternatives that live SAs satisfy, an ESP SA when it asks for ESP and
// an AH SA when it asks for AH (bestCandidate). An "sa unique"
// alternative takes none: each of its flows negotiates its own.
func (h *Host) carriersFor(t Traffic, rule *IPsecRule) ([]saCandidate, error) {
	cands, err := h.manualCandidates(t)
	if err != nil {
		return nil, err
	}
	negotiated, err := h.negotiatedCandidates(t)
	if err != nil {
		return nil, err
	}
	cands = append(cands, negotiated...)
	for _, a := range rule.Actions {
		if a.Kind != IPsecApply || a.Unique {
			continue
		}
		var got []saCandidate
		for _, proto := range []string{"ESP", "AH"} {
			if (proto == "ESP" && !a.ESP) || (proto == "AH" && !a.AH) {
				continue
			}
			if c, ok := bestCandidate(cands, proto, a); ok {
				got = append(got, c)
			} else {
				got = nil
				break
			}
		}
		if len(got) > 0 {
			return got, nil
		}
	}
	return nil, nil
}

// bestCandidate is the SA of a protocol that action a accepts: mature
// before dying, then in the order the kernel's outbound bucket keeps
// them (sadb.c sadb_insertassoc: SAs with a source address first, each
// group newest first).
func bestCandidate(cands []saCandidate, proto string, a IPsecAction) (saCandidate, bool) {
	var best saCandidate
	found := false
	for _, c := range cands {
		if c.carrier.Protocol != proto || !a.accepts(c) {
			continue
		}
		if !found || c.before(best) {
			best, found = c, true
		}
	}
	return best, found
}

// before reports whether the kernel would take c before d.
func (c saCandidate) before(d saCandidate) bool {
	if c.dying != d.dying {
		return !c.dying
	}
	if c.anySrc != d.anySrc {
		return !c.anySrc
	}
	return c.added.After(d.added)
}

// accepts reports whether an SA meets the action's algorithms: the
// cipher (any the SADB offers when none is given) with a key length in
// the action's range, and the authentication algorithm when one is
// given.
func (a IPsecAction) accepts(c saCandidate) bool {
	if c.carrier.Protocol == "AH" {
		return a.AH && (a.AHAuth.ID == 0 || Hash(a.AHAuth.ID) == c.auth)
	}
	if !a.ESP || (a.ESPAuth.ID != 0 && Hash(a.ESPAuth.ID) != c.auth) {
		return false
	}
	for _, id := range wildCiphers(a.ESPEncr.ID) {
		if espCipher(id) != c.cipher {
			continue
		}
		for _, bits := range keyLengths(id, a.ESPEncr) {
			if bits == 0 || bits == c.keyBits || (c.keyBits == 0 && bits == 128) {
				return true
			}
		}
	}
	return false
}

// manualCandidates are the host's live manual SAs to the flow's
// destination, from its source or from any (an SA without a source),
// transport mode only.
func (h *Host) manualCandidates(t Traffic) ([]saCandidate, error) {
	var out []saCandidate
	now := h.tx.now
	err := h.ManualSAs().Scan(func(sa *ManualSA) error {
		if sa.Dst.Unmap() != t.Remote || (sa.Src.IsValid() && !sa.Src.IsUnspecified() && sa.Src.Unmap() != t.Local) ||
			sa.InnerSrc.First.IsValid() || sa.InnerDst.First.IsValid() {
			return nil
		}
		out = append(out, manualCandidate(sa, now))
		return nil
	})
	return out, err
}

func manualCandidate(sa *ManualSA, now time.Time) saCandidate {
	return saCandidate{
		carrier: SACarrier{Protocol: sa.Protocol, SPI: sa.SPI, Dst: sa.Dst.Unmap(), Manual: true},
		cipher:  sa.Cipher, keyBits: len(sa.EncKey) * 8, auth: sa.Auth, encKey: sa.EncKey, authKey: sa.AuthKey,
		added: sa.Added, manual: sa, anySrc: !sa.Src.IsValid() || sa.Src.IsUnspecified(),
		dying: sa.SoftSecs != 0 && !now.Before(sa.Added.Add(time.Duration(sa.SoftSecs)*time.Second)),
	}
}

// negotiatedCandidates are the outbound halves of the host's live phase
// 2 pairs for the host pair, except those an "sa unique" rule made for
// its own flow. It walks the traffic index, not every SA.
func (h *Host) negotiatedCandidates(t Traffic) ([]saCandidate, error) {
	unique, err := h.uniqueRules()
	if err != nil {
		return nil, err
	}
	var out []saCandidate
	err = h.phase2For(single(t.Local), single(t.Remote), func(sa *Phase2SA) bool {
		var n uint64
		if _, err := fmt.Sscanf(sa.PolicyName, "ipsecconf %d", &n); err == nil && unique[n] {
			return true
		}
		p := sa.Proposal
		out = append(out, saCandidate{
			carrier: SACarrier{Protocol: p.Protocol, SPI: sa.SPIOut, Dst: t.Remote, Phase2: sa},
			cipher:  p.Cipher, keyBits: p.KeyBits, auth: p.Auth, encKey: sa.Keys.EncOut, authKey: sa.Keys.AuthOut,
			added: sa.Created,
		})
		return true
	})
	return out, err
}

// uniqueRules are the indexes of the rules whose IPsec alternatives are
// all "sa unique".
func (h *Host) uniqueRules() (map[uint64]bool, error) {
	out := map[uint64]bool{}
	err := h.IPsecPolicy().Scan(func(r *IPsecRule) error {
		apply, unique := 0, 0
		for _, a := range r.Actions {
			if a.Kind == IPsecApply {
				apply++
				if a.Unique {
					unique++
				}
			}
		}
		if apply > 0 && apply == unique {
			out[r.Index] = true
		}
		return nil
	})
	return out, err
}

// phase2For calls fn, newest first, for each live phase 2 SA protecting
// exactly local <-> remote, until fn returns false: a walk of the traffic
// index, or of every SA in a lab written before it.
func (h *Host) phase2For(local, remote AddrRange, fn func(*Phase2SA) bool) error {
	sas := phase2SAs()
	t := sas.of(h)
	now := h.tx.now
	_, indexed, err := t.Lookup(trafficIndexed)
	if err != nil {
		return err
	}
	if !indexed {
		var all []*Phase2SA
		err := h.SAs().ScanPhase2(func(sa *Phase2SA) error {
			if !sa.Expired(now) && sa.Local == local && sa.Remote == remote {
				all = append(all, sa)
			}
			return nil
		})
		for i := len(all) - 1; i >= 0 && err == nil; i-- {
			if !fn(all[i]) {
				break
			}
		}
		return err
	}
	return t.ScanSeqIndexReverse(trafficKey(local, remote), func(s store.Seq) (bool, error) {
		sa, err := sas.get(t, s)
		if err != nil || sa == nil {
			return err == nil, err
		}
		if sa.Expired(now) {
			return true, nil
		}
		return fn(sa), nil
	})
}

// markUsed records a manual SA's first use, as the kernel flags an SA it
// sends or receives on (X_USED) and keeps the time.
func (h *Host) markUsed(sa *ManualSA) error {
	if sa == nil || !sa.Used.IsZero() {
		return nil
	}
	sa.Used = h.tx.now
	return h.ManualSAs().note(sa)
}

// peerReceipt is what the lab host that owns the destination does with
// the carried packets: each needs its inbound SA of the same SPI with
// the same algorithms and keys, and its IPsec policy for the mirrored
// traffic must take them.
func (h *Host) peerReceipt(t Traffic, carriers []saCandidate) (PeerReceipt, error) {
	name, ok := h.tx.HostByAddr(t.Remote)
	if !ok {
		return PeerOutside, nil
	}
	peer, err := h.tx.Host(name)
	if err != nil {
		return PeerOutside, err
	}
	mirrored := Traffic{Local: t.Remote, Remote: t.Local, Protocol: t.Protocol,
		LocalPort: t.RemotePort, RemotePort: t.LocalPort}
	var inbound []saCandidate
	for _, c := range carriers {
		in, err := peer.inboundSA(mirrored, c.carrier)
		if err != nil || in == nil {
			return PeerNoSA, err
		}
		if in.cipher != c.cipher || in.auth != c.auth || !bytes.Equal(in.encKey, c.encKey) ||
			!bytes.Equal(in.authKey, c.authKey) {
			return PeerKeyMismatch, nil
		}
		inbound = append(inbound, *in)
	}
	if ok, err := peer.policyTakes(mirrored, inbound); err != nil || !ok {
		return PeerPolicyDrops, err
	}
	for _, in := range inbound {
		if err := peer.markUsed(in.manual); err != nil {
			return PeerAccepts, err
		}
	}
	return PeerAccepts, nil
}

// inboundSA is the host's live SA that takes what c carries to it: a
// manual SA of the protocol, SPI and destination (from the sender, or
// from any source), or the inbound half of a phase 2 pair with that SPI.
// t is the flow from this host's side.
func (h *Host) inboundSA(t Traffic, c SACarrier) (*saCandidate, error) {
	sa, err := h.ManualSAs().Get(ManualSAKey{Protocol: c.Protocol, SPI: c.SPI, Dst: c.Dst})
	if err != nil {
		return nil, err
	}
	if sa != nil && (!sa.Src.IsValid() || sa.Src.IsUnspecified() || sa.Src.Unmap() == t.Remote) {
		in := manualCandidate(sa, h.tx.now)
		return &in, nil
	}
	var found *saCandidate
	err = h.phase2For(single(t.Local), single(t.Remote), func(sa *Phase2SA) bool {
		if sa.SPIIn != c.SPI || sa.Proposal.Protocol != c.Protocol {
			return true
		}
		p := sa.Proposal
		found = &saCandidate{carrier: SACarrier{Protocol: p.Protocol, SPI: sa.SPIIn, Dst: t.Local, Phase2: sa},
			cipher: p.Cipher, keyBits: p.KeyBits, auth: p.Auth, encKey: sa.Keys.EncIn, authKey: sa.Keys.AuthIn,
			added: sa.Created}
		return false
	})
	return found, err
}

// policyTakes reports whether the host's IPsec policy for inbound flow t
// takes packets protected by the SAs in: no policy or no entry for it, a
// bypass entry, or an IPsec alternative that accepts each of them.
func (h *Host) policyTakes(t Traffic, in []saCandidate) (bool, error) {
	if h.IPsecPolicy().Len() == 0 {
		return true, nil
	}
	rule, err := h.IPsecPolicy().Match(t, IPsecInbound)
	if err != nil || rule == nil || len(rule.Actions) == 0 {
		return err == nil, err
	}
	for _, a := range rule.Actions {
		switch a.Kind {
		case IPsecPass:
			return true, nil
		case IPsecApply:
			if a.acceptsAll(in) {
				return true, nil
			}
		}
	}
	return false, nil
}

// acceptsAll reports whether the action accepts every SA of in and has
// one for each protocol it asks for.
func (a IPsecAction) acceptsAll(in []saCandidate) bool {
	esp, ah := false, false
	for _, c := range in {
		if !a.accepts(c) {
			return false
		}
		esp = esp || c.carrier.Protocol == "ESP"
		ah = ah || c.carrier.Protocol == "AH"
	}
	return esp == a.ESP && ah == a.AH
}
