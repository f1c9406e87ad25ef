package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// The wire path: a phase 1 with a real peer over UDP (ikemu serve, and
// acquire/activate toward a peer set to behave "wire"). The exchange
// runs outside any transaction, so the lab is never locked while a
// datagram is in flight: a short read takes a snapshot of what the host
// offers or accepts (WireInitiator, WireTerms), pkg/ikev1 negotiates from
// the snapshot alone, and a short write records the outcome
// (RecordWirePhase1, RecordWireFailure).

// WireInitiator is what host h offers a wire peer for local -> remote:
// its rule and the ikev1 configuration (suites, mode, preshared key,
// identity) as they stand now. No matching rule is a *NegotiationError.
func (h *Host) WireInitiator(local, remote netip.Addr, ent ikev1.Entropy) (*Phase1Policy, ikev1.InitiatorConfig, error) {
	local, remote = local.Unmap(), remote.Unmap()
	pol, err := h.Policies().Phase1For(local, remote)
	if err != nil {
		return nil, ikev1.InitiatorConfig{}, err
	}
	if pol == nil {
		return nil, ikev1.InitiatorConfig{}, h.fail(nil, FailNoPolicy, DebugPolicy, false,
			"no rule matches %s -> %s; ACQUIRE dropped", local, remote)
	}
	auth, err := h.wireAuth(local, remote, pol)
	if err != nil {
		return nil, ikev1.InitiatorConfig{}, err
	}
	mode := ikev1.MainMode
	if pol.Mode == XchgAggressive {
		mode = ikev1.AggressiveMode
	}
	suites := offerOf(pol.Transforms) // as the lab path offers
	if mode == ikev1.AggressiveMode && len(suites) > 1 {
		// Aggressive Mode offers one group and one method: the first's.
		keep := suites[:0]
		for _, s := range suites {
			if s.Group == suites[0].Group && s.Auth == suites[0].Auth {
				keep = append(keep, s)
			}
		}
		suites = keep
	}
	return pol, ikev1.InitiatorConfig{Mode: mode, Local: local, Remote: remote, Suites: suites,
		NonceLen: nonceLen(pol.P1NonceLen), Entropy: ent, Auth: auth}, nil
}

// WireTerms is what host h accepts from remote to local, or nil when no
// rule matches (the responder then refuses with NO-PROPOSAL-CHOSEN).
func (h *Host) WireTerms(local, remote netip.Addr) (*Phase1Policy, *ikev1.Terms, error) {
	local, remote = local.Unmap(), remote.Unmap()
	pol, err := h.Policies().Phase1For(local, remote)
	if err != nil || pol == nil {
		return nil, nil, err
	}
	auth, err := h.wireAuth(local, remote, pol)
	if err != nil {
		return nil, nil, err
	}
	t := &ikev1.Terms{NonceLen: nonceLen(pol.P1NonceLen), Auth: auth, Suites: offerOf(pol.Transforms)}
	switch pol.Mode {
	case XchgMain:
		t.Modes = []ikev1.Mode{ikev1.MainMode}
	case XchgAggressive:
		t.Modes = []ikev1.Mode{ikev1.AggressiveMode}
	}
	rules := pol.Transforms
	t.Choose = func(offer []ikev1.Suite) (ikev1.Suite, int, bool) {
		for i, o := range offer {
			x, ok := selectProposal([]Transform{transformOf(o)}, rules)
			if ok {
				s := o
				s.LifetimeSecs, s.LifetimeKB = x.LifetimeSecs, x.LifetimeKB
				return s, i, true
			}
		}
		return ikev1.Suite{}, 0, false
	}
	return pol, t, nil
}

// wireAuth snapshots the host's credentials toward one peer under rule
// pol: the preshared key for the pair, and for signatures the signer
// pol's local_id selects (its signing resolved now) and the trust
// anchors the peer's certificate is checked against.
func (h *Host) wireAuth(local, remote netip.Addr, pol *Phase1Policy) (ikev1.Authenticator, error) {
	k, err := h.Keys().For(local, remote)
	if err != nil {
		return nil, err
	}
	a := &wireAuth{local: local, remote: remote, pol: pol}
	if k != nil {
		a.psk = bytes.Clone(k.Key)
	}
	if !usesSignatures(pol) {
		return a, nil
	}
	if a.signer, a.noSigner, err = h.signerFor(pol, local); err != nil {
		return nil, err
	}
	if a.signer != nil {
		if a.sign, err = h.signing(a.signer); err != nil {
			a.signer, a.noSigner = nil, err.Error()
		}
	}
	a.trust, err = h.trust()
	return a, err
}

// usesSignatures reports whether a transform of pol authenticates with
// RSA signatures.
func usesSignatures(pol *Phase1Policy) bool {
	for _, x := range pol.Transforms {
		if x.Auth == AuthRSASig {
			return true
		}
	}
	return false
}

// wireAuth is a host's credentials toward one peer, copied out of a
// transaction.
type wireAuth struct {
	local, remote netip.Addr
	pol           *Phase1Policy
	psk           []byte
	signer        *signer
	noSigner      string // why there is no signer
	sign          func(hash []byte) ([]byte, error)
	trust         trustSnapshot
}

func (a *wireAuth) PresharedKey(netip.Addr, *isakmp.ID) ([]byte, error) {
	if a.psk == nil {
		return nil, ikev1.Refuse(isakmp.NotifyAuthenticationFailed, "no preshared key for %s", a.local)
	}
	return a.psk, nil
}

func (a *wireAuth) Identity(m ikealg.AuthMethod) (*ikev1.Identity, error) {
	switch {
	case m == AuthPreshared:
		return &ikev1.Identity{ID: ikev1.AddressIdentity(a.local)}, nil
	case m != AuthRSASig:
		return nil, ikev1.Refuse(isakmp.NotifyAttributesNotSupported,
			"authentication method %s with %s is not supported (use rsa_sig or preshared)", authMethodWord(m), a.remote)
	case a.signer == nil:
		return nil, ikev1.Refuse(isakmp.NotifyAuthenticationFailed, "cannot authenticate to %s: %s", a.remote, a.noSigner)
	}
	id, err := idOf(a.signer.id)
	if err != nil {
		return nil, err
	}
	return &ikev1.Identity{ID: id, Certs: [][]byte{a.signer.entry.Cert.Raw}, Sign: a.sign}, nil
}

func (a *wireAuth) VerifyPeer(_ ikealg.AuthMethod, id isakmp.ID, certs [][]byte, hash, sig []byte) error {
	other, err := wireSigner(id, certs)
	if err != nil {
		return ikev1.Refuse(isakmp.NotifyInvalidCertificate, "authentication with %s failed: %v", a.remote, err)
	}
	if why := a.trust.checkSigned(a.pol, other, hash, sig, a.remote); why != "" {
		return ikev1.Refuse(isakmp.NotifyAuthenticationFailed, "authentication with %s failed: %s", a.remote, why)
	}
	return nil
}

// RecordWirePhase1 stores a phase 1 SA negotiated over the wire, counts
// it and reports it established; label is the host's rule.
func (h *Host) RecordWirePhase1(sa *ikev1.SA, pol *Phase1Policy, remotePort int) (*Phase1SA, error) {
	mode := XchgMain
	if sa.Mode == ikev1.AggressiveMode {
		mode = XchgAggressive
	}
	x := transformOf(sa.Suite)
	p := &Phase1SA{
		CookieI: binary.BigEndian.Uint64(sa.CookieI[:]), CookieR: binary.BigEndian.Uint64(sa.CookieR[:]),
		Initiator: sa.Initiator, Mode: mode, Created: h.tx.now, Xform: x,
		Local: single(sa.Local.Unmap()), Remote: single(sa.Remote.Unmap()), LocalPort: 500, RemotePort: remotePort,
		Keys: Phase1Keys{PSK: bytes.Clone(sa.PSK), SKEYID: sa.SKEYID, SKEYIDd: sa.SKEYIDd, SKEYIDa: sa.SKEYIDa,
			SKEYIDe: sa.SKEYIDe, EncKey: sa.EncKey, IV: sa.IV},
	}
	if pol != nil {
		p.PolicyLabel, p.PFS = pol.Label, pol.P2PFS
	}
	var err error
	if p.TunnelNum, err = h.Tunnels().next(1); err != nil {
		return nil, err
	}
	if err := h.SAs().AddPhase1(p); err != nil {
		return nil, err
	}
	if err := h.putWireSA(sa, remotePort); err != nil {
		return nil, err
	}
	err = h.Daemons().UpdateStats(func(s *Stats) {
		if sa.Initiator {
			s.InitTotal++
		} else {
			s.RespAttempts++
			s.RespTotal++
		}
	})
	if err != nil {
		return nil, err
	}
	h.emitEstablished(p)
	return p, nil
}

// RecordWireAttempt counts an initiation toward a wire peer and reports
// it initiated (the initiator's half of negotiate's bookkeeping).
func (h *Host) RecordWireAttempt(pol *Phase1Policy, local, remote netip.Addr) error {
	if err := h.Daemons().UpdateStats(func(s *Stats) { s.InitAttempts++ }); err != nil {
		return err
	}
	h.Emit(Event{Kind: EventPhase1Initiated, Category: DebugPhase1, Local: local, Remote: remote, Rule: pol.Label})
	return nil
}

// RecordWireFailure counts and reports a failed wire exchange on the
// initiator's side and returns the *NegotiationError the front ends
// print, worded as the in-process negotiation words the same failure;
// timedOut tells a silent peer from a refusal.
func (h *Host) RecordWireFailure(remote netip.Addr, err error, timedOut bool) error {
	if timedOut {
		return h.fail(nil, FailNoResponse, DebugPhase1, true, "no response from %s", remote)
	}
	var f *ikev1.Failure
	if !errors.As(err, &f) {
		return h.fail(nil, FailNoProposal, DebugPhase1, true, "%s: %v", remote, err)
	}
	switch {
	case f.Notify == isakmp.NotifyNoProposalChosen && f.Received:
		return h.fail(nil, FailNoProposal, DebugProp, true, "%s rejected every proposal (NO-PROPOSAL-CHOSEN)", remote)
	case f.Notify == isakmp.NotifyNoProposalChosen:
		return h.fail(nil, FailNoProposal, DebugProp, true, "%s chose no transform we offered: %s", remote, f.Reason)
	case f.Notify == isakmp.NotifyAuthenticationFailed || f.Notify == isakmp.NotifyInvalidHashInformation ||
		f.Notify == isakmp.NotifyInvalidSignature:
		who := "we rejected the peer's hash"
		if f.Received {
			who = "peer rejected our hash"
		}
		return h.fail(nil, FailAuth, DebugPhase1, true, "authentication with %s failed (%s)", remote, who)
	case f.Side == ikev1.SideInitiator && !f.Received && strings.HasPrefix(f.Reason, "undecryptable"):
		// The peer's answer to our encrypted message 5 does not decrypt
		// under our keys: its SKEYID differs, so do the preshared keys.
		return h.fail(nil, FailAuth, DebugPhase1, true,
			"authentication with %s failed: its answer does not decrypt (preshared keys differ)", remote)
	}
	return h.fail(nil, FailNoProposal, DebugPhase1, true, "negotiation with %s failed: %v", remote, f)
}

// RecordWireResponderFailure counts a phase 1 this host refused or lost
// as responder.
func (h *Host) RecordWireResponderFailure(remote netip.Addr, err error) error {
	h.Emit(Event{Kind: EventPhase1Failed, Category: DebugPhase1, Remote: remote, Failure: FailNoProposal,
		Detail: fmt.Sprintf("phase 1 from %s: %v", remote, err)})
	return h.Daemons().UpdateStats(func(s *Stats) { s.RespAttempts++; s.RespFail++ })
}

// WireQuickConfig is the Quick Mode a kernel ACQUIRE asks of a wire peer
// under sa: the default protection (ESP, AES-128, HMAC-SHA1, transport)
// host to host, with the rule's PFS group and phase 2 lifetimes.
func WireQuickConfig(pol *Phase1Policy, sa *ikev1.SA, ent ikev1.Entropy) ikev1.QuickConfig {
	s := ikev1.Phase2Suite{Protocol: isakmp.ProtocolESP, Cipher: CipherAES, KeyBits: 128, Auth: HashSHA1,
		Encapsulation: isakmp.EncapsulationTransport, LifetimeSecs: 28800}
	cfg := ikev1.QuickConfig{SA: sa, Entropy: ent}
	if pol != nil {
		cfg.PFS = pol.P2PFS
		if pol.P2LifetimeSecs != 0 {
			s.LifetimeSecs = pol.P2LifetimeSecs
		}
		s.LifetimeKB = pol.P2LifetimeKB
		cfg.NonceLen = nonceLen(pol.P2NonceLen)
	}
	cfg.Suites = []ikev1.Phase2Suite{s}
	return cfg
}

// RecordWirePhase2 stores a Quick Mode negotiated over the wire under
// phase 1 SA p1 and counts it on p1.
func (h *Host) RecordWirePhase2(p1 *Phase1SA, q *ikev1.Phase2) (*Phase2SA, error) {
	bump := func(x *Phase1SA) bool { x.QMCreated++; return true }
	if err := h.SAs().UpdatePhase1ByCookies(p1.CookieI, p1.CookieR, bump); err != nil {
		return nil, err
	}
	p1.QMCreated++
	proto, mode := "ESP", "Transport"
	if q.Suite.Protocol == isakmp.ProtocolAH {
		proto = "AH"
	}
	if q.Suite.Encapsulation == isakmp.EncapsulationTunnel {
		mode = "Tunnel"
	}
	spec := QuickModeSpec{Local: p1.Local, Remote: p1.Remote, PFS: q.PFS, LifetimeSecs: q.Suite.LifetimeSecs,
		LifetimeKB: q.Suite.LifetimeKB, Proposal: P2Transform{Protocol: proto, Cipher: q.Suite.Cipher,
			KeyBits: q.Suite.KeyBits, Auth: q.Suite.Auth, Encapsulate: mode}}
	return h.addP2(p1, spec, spec.Local, spec.Remote, "", q)
}

// WirePhase2Policy is what a host accepts in a wire peer's Quick Mode:
// the engine's phase 2 selection (SelectPhase2) over the host's phase 2
// definitions and what its IPsec policy says of the offer's traffic, as
// for a lab initiator (PlanPhase2). A host without either takes the
// first ESP or AH suite offered. The lifetime is cut to 28800 s when
// longer or absent. View reads the host in a short transaction of its
// own (no transaction is open while a datagram is in flight).
type WirePhase2Policy struct {
	View func(fn func(h *Host) error) error
}

// AcceptPhase2 is ikev1.Phase2Policy.
func (p WirePhase2Policy) AcceptPhase2(o ikev1.Phase2Offer) (*ikev1.Phase2Choice, error) {
	offer, index, err := offerOfWire(o)
	if err != nil || len(index) == 0 {
		return nil, err
	}
	var (
		prop Proposal
		ok   bool
	)
	err = p.View(func(h *Host) error {
		list, err := h.responderPolicies(offer)
		if err == nil {
			prop, _, ok = SelectPhase2(offer, list)
		}
		return err
	})
	if err != nil || !ok {
		return nil, err
	}
	for i, m := range offer.Proposals {
		if m.ESP == prop.ESP && m.AH == prop.AH {
			s := o.Suites[index[i]]
			if s.LifetimeSecs == 0 || s.LifetimeSecs > 28800 {
				s.LifetimeSecs = 28800
			}
			return &ikev1.Phase2Choice{Index: index[i], Suite: s}, nil
		}
	}
	return nil, nil
}

// offerOfWire is a wire peer's Quick Mode offer as the engine's phase 2
// selection reads it, from the initiator's side: its selectors (the
// phase 1 addresses when it sent none) and each ESP or AH suite as a
// proposal; index maps the proposals to the suites they came from.
func offerOfWire(o ikev1.Phase2Offer) (Phase2Offer, []int, error) {
	offer := Phase2Offer{PFS: o.PFS}
	if o.SA != nil {
		offer.Local, offer.Remote = single(o.SA.Remote.Unmap()), single(o.SA.Local.Unmap())
	}
	if o.Remote.IDType != 0 {
		var err error
		if offer.Local, err = rangeOfID(o.Remote); err != nil {
			return offer, nil, err
		}
		if offer.Remote, err = rangeOfID(o.Local); err != nil {
			return offer, nil, err
		}
	}
	var index []int
	for i, s := range o.Suites {
		x := &IPsecTransform{Cipher: s.Cipher, KeyBits: s.KeyBits, Auth: s.Auth,
			Transport: s.Encapsulation == isakmp.EncapsulationTransport, LifetimeSecs: s.LifetimeSecs, LifetimeKB: s.LifetimeKB}
		switch s.Protocol {
		case isakmp.ProtocolESP:
			offer.Proposals = append(offer.Proposals, Proposal{ESP: x})
		case isakmp.ProtocolAH:
			x.Cipher, x.KeyBits = CipherNone, 0
			offer.Proposals = append(offer.Proposals, Proposal{AH: x})
		default:
			continue
		}
		index = append(index, i)
	}
	return offer, index, nil
}
