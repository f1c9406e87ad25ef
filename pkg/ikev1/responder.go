package ikev1

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// ResponderConfig is what a responder answers a new phase 1 with: the
// addresses the first message came to and from, where its random values
// come from and whom it asks for its terms.
type ResponderConfig struct {
	Local, Remote netip.Addr
	Entropy       Entropy
	Policy        ResponderPolicy
}

// Responder is the answering end of a phase 1 exchange; its first Handle
// call takes the initiator's first message.
type Responder struct {
	p      phase1
	policy ResponderPolicy
	terms  *Terms
}

// NewResponder returns a responder waiting for a first message.
func NewResponder(cfg ResponderConfig) (*Responder, error) {
	if cfg.Entropy == nil || cfg.Policy == nil {
		return nil, errors.New("ikev1: responder without entropy or policy")
	}
	return &Responder{policy: cfg.Policy, p: phase1{side: SideResponder, local: cfg.Local,
		remote: cfg.Remote, entropy: cfg.Entropy}}, nil
}

// SA is the established phase 1 SA, nil until the exchange succeeded.
func (r *Responder) SA() *SA {
	if r.p.finalErr != nil {
		return nil
	}
	return r.p.sa
}

// Cookies are the exchange's cookies as far as they are known.
func (r *Responder) Cookies() (ckyI, ckyR [8]byte) { return r.p.ckyI, r.p.ckyR }

// Mode is the exchange the initiator started (zero before the first
// message).
func (r *Responder) Mode() Mode { return r.p.mode }

// Suite is the suite this end chose (zero before).
func (r *Responder) Suite() Suite { return r.p.suite }

// Handle takes the initiator's next message. It never panics, whatever
// the bytes.
func (r *Responder) Handle(msg []byte) ([]byte, bool, error) {
	p := &r.p
	if p.mode == 0 {
		return r.first(msg)
	}
	h, again, done, err := p.received(msg)
	if err != nil || again != nil {
		return again, done, err
	}
	if p.mode == AggressiveMode {
		return r.aggressive3(h, msg)
	}
	if p.step == 1 {
		return r.main3(msg)
	}
	return r.main5(h, msg)
}

// first answers message 1 of either mode.
func (r *Responder) first(msg []byte) ([]byte, bool, error) {
	p := &r.p
	h, err := isakmp.DecodeHeader(msg)
	if err != nil {
		return nil, false, dropped(p.side, err, "undecodable header")
	}
	switch {
	case h.ResponderCookie != [8]byte{}:
		p.mode, p.ckyI, p.ckyR = MainMode, h.InitiatorCookie, h.ResponderCookie
		return p.refuse(isakmp.NotifyInvalidCookie, nil, "first message carries a responder cookie")
	case h.InitiatorCookie == [8]byte{}:
		return nil, false, dropped(p.side, nil, "zero initiator cookie")
	case h.MessageID != 0:
		return nil, false, dropped(p.side, nil, "first message with message ID %#x", h.MessageID)
	case h.Exchange == isakmp.ExchangeMainMode:
		p.mode = MainMode
	case h.Exchange == isakmp.ExchangeAggressive:
		p.mode = AggressiveMode
	default:
		return nil, false, dropped(p.side, nil, "%v exchange does not start a phase 1", h.Exchange)
	}
	p.ckyI = h.InitiatorCookie
	ps, err := plain(msg)
	if err != nil {
		return p.refuse(malformedNotify(err), err, "message 1")
	}
	sa := findSA(ps)
	if sa == nil {
		return p.refuse(isakmp.NotifyPayloadMalformed, nil, "message 1 without an SA payload")
	}
	if p.saiB, err = isakmp.Body(sa); err != nil {
		return p.refuse(isakmp.NotifyPayloadMalformed, err, "SA payload")
	}
	if r.terms, err = r.policy.Phase1Terms(p.local, p.remote); err != nil {
		return p.callbackErr(err)
	}
	if r.terms == nil {
		return p.refuse(isakmp.NotifyNoProposalChosen, nil, "no policy for %s -> %s", p.local, p.remote)
	}
	if !r.terms.accepts(p.mode) {
		return p.refuse(isakmp.NotifyNoProposalChosen, nil, "%s mode not accepted", p.mode)
	}
	p.auth, p.nonceLen = r.terms.Auth, r.terms.NonceLen
	if p.nonceLen == 0 {
		p.nonceLen = 32
	}
	if p.auth == nil {
		return p.callbackErr(errors.New("ikev1: terms without an authenticator"))
	}
	reply, err := r.choose(sa)
	if err != nil {
		return p.callbackErr(err)
	}
	if p.ckyR, err = p.entropy.Cookie(); err != nil {
		return p.callbackErr(err)
	}
	if p.mode == AggressiveMode {
		return r.aggressive2(msg, ps, reply)
	}
	out, err := p.encode(reply)
	if err != nil {
		return p.callbackErr(err)
	}
	p.step = 1
	return p.answer(msg, out, false)
}

// choose picks one transform of the offer and returns the SA payload
// answering it.
func (r *Responder) choose(sa *isakmp.SA) (*isakmp.SA, error) {
	p := &r.p
	if len(sa.Proposals) == 0 {
		return nil, &Failure{Notify: isakmp.NotifyBadProposalSyntax, Reason: "SA without proposals"}
	}
	prop := sa.Proposals[0]
	if prop.Protocol != isakmp.ProtocolISAKMP {
		return nil, &Failure{Notify: isakmp.NotifyInvalidProtocolID, Reason: fmt.Sprintf("proposal protocol %v", prop.Protocol)}
	}
	var offer []Suite
	var numbers []uint8
	for _, t := range prop.Transforms {
		s, err := suiteOf(t)
		if err != nil {
			continue // an offer we cannot read is one we do not choose
		}
		if r.terms.Choose == nil && !runnable(s) {
			continue
		}
		offer, numbers = append(offer, s), append(numbers, t.Number)
	}
	s, i, ok := r.terms.choose(offer)
	if !ok || i < 0 || i >= len(offer) {
		return nil, &Failure{Notify: isakmp.NotifyNoProposalChosen, Reason: "no offered transform is acceptable"}
	}
	p.suite = s
	if !checkMethod(s.Auth) {
		return nil, &Failure{Notify: isakmp.NotifyAttributesNotSupported, Reason: fmt.Sprintf("authentication method %d", s.Auth)}
	}
	var err error
	if p.group, err = groupFor(s); err != nil {
		return nil, &Failure{Notify: isakmp.NotifyAttributesNotSupported, Reason: fmt.Sprintf("group %d", s.Group), Err: err}
	}
	return saPayload([]Suite{s}, []uint8{numbers[i]})
}

// runnable reports whether this package can run a suite: its method
// and group.
func runnable(s Suite) bool {
	_, err := groupFor(s)
	return err == nil && checkMethod(s.Auth)
}

// drawKE draws the responder's nonce and DH key.
func (r *Responder) drawKE() error {
	var err error
	r.p.nr, r.p.gxr, err = r.p.drawKE()
	return err
}

// peerKE takes the initiator's KE and nonce.
func (r *Responder) peerKE(ps []isakmp.Payload) error {
	p := &r.p
	p.gxi, p.ni = findKE(ps), findNonce(ps)
	if p.gxi == nil || p.ni == nil {
		return &Failure{Notify: isakmp.NotifyPayloadMalformed, Reason: "no KE or nonce"}
	}
	if len(p.gxi) != p.group.PublicLen() {
		return &Failure{Notify: isakmp.NotifyInvalidKeyInformation, Reason: fmt.Sprintf("KE of %d bytes", len(p.gxi))}
	}
	if ikecrypto.CheckNonceLen(len(p.ni)) != nil {
		return &Failure{Notify: isakmp.NotifyPayloadMalformed, Reason: fmt.Sprintf("nonce of %d bytes", len(p.ni))}
	}
	return nil
}

func (r *Responder) main3(msg []byte) ([]byte, bool, error) {
	p := &r.p
	ps, err := plain(msg)
	if err != nil {
		return p.refuse(malformedNotify(err), err, "message 3")
	}
	if err := r.peerKE(ps); err != nil {
		return p.callbackErr(err)
	}
	if err := p.credentials(nil); err != nil {
		return p.callbackErr(err)
	}
	if err := r.drawKE(); err != nil {
		return p.callbackErr(err)
	}
	if err := p.keyExchange(p.gxi); err != nil {
		return p.refuse(isakmp.NotifyInvalidKeyInformation, err, "key exchange")
	}
	out, err := p.encode(isakmp.KE{Data: p.gxr}, isakmp.Nonce{Data: p.nr})
	if err != nil {
		return p.callbackErr(err)
	}
	p.step = 2
	return p.answer(msg, out, false)
}

func (r *Responder) main5(h isakmp.Header, msg []byte) ([]byte, bool, error) {
	p := &r.p
	ps, err := p.opened(h, msg)
	if err != nil {
		return p.refuse(isakmp.NotifyAuthenticationFailed, err, "message 5 does not decrypt (preshared key differs?)")
	}
	if err := p.peerIdentity(ps); err != nil {
		return p.callbackErr(err)
	}
	if err := p.verify(ps); err != nil {
		return p.callbackErr(err)
	}
	proof, err := p.proof()
	if err != nil {
		return p.callbackErr(err)
	}
	out, err := p.sealed(proof...)
	if err != nil {
		return p.callbackErr(err)
	}
	p.finish()
	return p.answer(msg, out, true)
}

func (r *Responder) aggressive2(msg []byte, ps []isakmp.Payload, reply *isakmp.SA) ([]byte, bool, error) {
	p := &r.p
	if err := r.peerKE(ps); err != nil {
		return p.callbackErr(err)
	}
	if err := p.peerIdentity(ps); err != nil {
		return p.callbackErr(err)
	}
	if err := p.credentials(&p.peerID); err != nil {
		return p.callbackErr(err)
	}
	if err := r.drawKE(); err != nil {
		return p.callbackErr(err)
	}
	if err := p.keyExchange(p.gxi); err != nil {
		return p.refuse(isakmp.NotifyInvalidKeyInformation, err, "key exchange")
	}
	proof, err := p.proof()
	if err != nil {
		return p.callbackErr(err)
	}
	pl := append([]isakmp.Payload{reply, isakmp.KE{Data: p.gxr}, isakmp.Nonce{Data: p.nr}}, proof...)
	out, err := p.encode(pl...)
	if err != nil {
		return p.callbackErr(err)
	}
	p.step = 1
	return p.answer(msg, out, false)
}

func (r *Responder) aggressive3(h isakmp.Header, msg []byte) ([]byte, bool, error) {
	p := &r.p
	var ps []isakmp.Payload
	var err error
	if h.Flags&isakmp.FlagEncryption != 0 {
		ps, err = p.opened(h, msg)
	} else {
		ps, err = plain(msg)
	}
	if err != nil {
		return p.refuse(isakmp.NotifyAuthenticationFailed, err, "message 3")
	}
	if err := p.verify(ps); err != nil {
		return p.callbackErr(err)
	}
	p.finish()
	p.lastIn, p.lastOut, p.done = append([]byte(nil), msg...), nil, true
	return nil, true, nil
}
