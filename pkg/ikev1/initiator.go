package ikev1

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// InitiatorConfig is what an initiator starts a phase 1 with.
type InitiatorConfig struct {
	Mode          Mode
	Local, Remote netip.Addr
	// Suites is the offer, in preference order. Aggressive Mode needs
	// one group and one authentication method across all of them.
	Suites   []Suite
	NonceLen int // 0: 32 bytes
	Entropy  Entropy
	Auth     Authenticator
	// Chosen, when set, learns the responder's choice before this end
	// goes on; an error (a *Failure to refuse with a notify) ends the
	// exchange.
	Chosen func(Suite) error
}

// Initiator is the initiating end of a phase 1 exchange.
type Initiator struct {
	p        phase1
	suites   []Suite
	onChosen func(Suite) error
}

// NewInitiator checks the configuration; Start sends the first message.
func NewInitiator(cfg InitiatorConfig) (*Initiator, error) {
	if len(cfg.Suites) == 0 {
		return nil, errors.New("ikev1: initiator without suites")
	}
	if cfg.Entropy == nil || cfg.Auth == nil {
		return nil, errors.New("ikev1: initiator without entropy or authenticator")
	}
	if cfg.Mode != MainMode && cfg.Mode != AggressiveMode {
		return nil, fmt.Errorf("ikev1: unknown mode %d", cfg.Mode)
	}
	if cfg.Mode == AggressiveMode {
		for _, s := range cfg.Suites[1:] {
			if s.Group != cfg.Suites[0].Group || s.Auth != cfg.Suites[0].Auth {
				return nil, errors.New("ikev1: aggressive mode offers one group and one method")
			}
		}
	}
	n := cfg.NonceLen
	if n == 0 {
		n = 32
	}
	return &Initiator{suites: cfg.Suites, onChosen: cfg.Chosen, p: phase1{side: SideInitiator, mode: cfg.Mode, local: cfg.Local,
		remote: cfg.Remote, entropy: cfg.Entropy, auth: cfg.Auth, nonceLen: n}}, nil
}

// CookieI is this exchange's initiator cookie (set by Start).
func (in *Initiator) CookieI() [8]byte { return in.p.ckyI }

// SA is the established phase 1 SA, nil until the exchange succeeded.
func (in *Initiator) SA() *SA {
	if in.p.finalErr != nil {
		return nil
	}
	return in.p.sa
}

// Suite is the suite the responder chose (zero before its answer).
func (in *Initiator) Suite() Suite { return in.p.suite }

// Start returns the first message.
func (in *Initiator) Start() ([]byte, error) {
	p := &in.p
	var err error
	if p.ckyI, err = p.entropy.Cookie(); err != nil {
		return nil, err
	}
	sa, err := saPayload(in.suites, nil)
	if err != nil {
		return nil, err
	}
	if p.saiB, err = isakmp.Body(sa); err != nil {
		return nil, err
	}
	if p.mode == MainMode {
		out, err := p.encode(sa)
		p.lastOut = out
		return out, err
	}
	// Aggressive Mode: SA, KE, Ni, IDii in one message.
	// The preshared key is looked up by address: the responder's
	// identity comes only with its answer.
	p.suite = in.suites[0]
	if err := p.credentials(nil); err != nil {
		return nil, p.startFailure(err)
	}
	if !checkMethod(p.suite.Auth) {
		return nil, p.startFailure(&Failure{Notify: isakmp.NotifyAttributesNotSupported,
			Reason: fmt.Sprintf("authentication method %d not supported", p.suite.Auth)})
	}
	if p.group, err = groupFor(p.suite); err != nil {
		return nil, p.startFailure(&Failure{Notify: isakmp.NotifyAttributesNotSupported, Reason: "group", Err: err})
	}
	if err := in.drawKE(); err != nil {
		return nil, err
	}
	out, err := p.encode(sa, isakmp.KE{Data: p.gxi}, isakmp.Nonce{Data: p.ni}, p.me.ID)
	p.lastOut = out
	return out, err
}

func (in *Initiator) drawKE() error {
	var err error
	in.p.ni, in.p.gxi, err = in.p.drawKE()
	return err
}

// Handle takes the responder's next message.
func (in *Initiator) Handle(msg []byte) ([]byte, bool, error) {
	p := &in.p
	h, again, done, err := p.received(msg)
	if err != nil || again != nil {
		return again, done, err
	}
	if p.ckyR == ([8]byte{}) {
		if h.ResponderCookie == ([8]byte{}) {
			return nil, false, dropped(p.side, nil, "responder cookie is zero")
		}
		p.ckyR = h.ResponderCookie
	}
	if p.mode == AggressiveMode {
		return in.aggressive2(h, msg)
	}
	switch p.step {
	case 0:
		return in.main2(msg)
	case 1:
		return in.main4(msg)
	}
	return in.main6(h, msg)
}

// chosen reads the responder's answer to our SA offer.
func (in *Initiator) chosen(ps []isakmp.Payload) error {
	sa := findSA(ps)
	if sa == nil || len(sa.Proposals) != 1 || len(sa.Proposals[0].Transforms) != 1 {
		return &Failure{Notify: isakmp.NotifyBadProposalSyntax, Reason: "answer does not hold one proposal with one transform"}
	}
	s, err := suiteOf(sa.Proposals[0].Transforms[0])
	if err != nil {
		return &Failure{Notify: isakmp.NotifyBadProposalSyntax, Reason: "answer's transform", Err: err}
	}
	for _, o := range in.suites {
		if o.SameAlgorithms(s) {
			in.p.suite = s
			if in.onChosen != nil {
				return in.onChosen(s)
			}
			return nil
		}
	}
	return &Failure{Notify: isakmp.NotifyNoProposalChosen, Reason: "responder chose a transform we did not offer"}
}

func (in *Initiator) main2(msg []byte) ([]byte, bool, error) {
	p := &in.p
	ps, err := plain(msg)
	if err != nil {
		return p.refuse(malformedNotify(err), err, "message 2")
	}
	if err := in.chosen(ps); err != nil {
		return p.callbackErr(err)
	}
	if !checkMethod(p.suite.Auth) {
		return p.refuse(isakmp.NotifyAttributesNotSupported, nil, "authentication method %d not supported", p.suite.Auth)
	}
	if p.group, err = groupFor(p.suite); err != nil {
		return p.refuse(isakmp.NotifyAttributesNotSupported, err, "group %d", p.suite.Group)
	}
	if err := p.credentials(nil); err != nil {
		return p.callbackErr(err)
	}
	if err := in.drawKE(); err != nil {
		return p.callbackErr(err)
	}
	out, err := p.encode(isakmp.KE{Data: p.gxi}, isakmp.Nonce{Data: p.ni})
	if err != nil {
		return p.callbackErr(err)
	}
	p.step = 1
	return p.answer(msg, out, false)
}

func (in *Initiator) main4(msg []byte) ([]byte, bool, error) {
	p := &in.p
	ps, err := plain(msg)
	if err != nil {
		return p.refuse(malformedNotify(err), err, "message 4")
	}
	if err := in.peerKE(ps); err != nil {
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
	p.step = 2
	return p.answer(msg, out, false)
}

// peerKE takes the responder's KE and nonce and derives the keys.
func (in *Initiator) peerKE(ps []isakmp.Payload) error {
	p := &in.p
	p.gxr, p.nr = findKE(ps), findNonce(ps)
	if p.gxr == nil || p.nr == nil {
		return &Failure{Notify: isakmp.NotifyPayloadMalformed, Reason: "no KE or nonce"}
	}
	if len(p.gxr) != p.group.PublicLen() {
		return &Failure{Notify: isakmp.NotifyInvalidKeyInformation, Reason: fmt.Sprintf("KE of %d bytes", len(p.gxr))}
	}
	if ikecrypto.CheckNonceLen(len(p.nr)) != nil {
		return &Failure{Notify: isakmp.NotifyPayloadMalformed, Reason: fmt.Sprintf("nonce of %d bytes", len(p.nr))}
	}
	if err := p.keyExchange(p.gxr); err != nil {
		return &Failure{Notify: isakmp.NotifyInvalidKeyInformation, Reason: "key exchange", Err: err}
	}
	return nil
}

func (in *Initiator) main6(h isakmp.Header, msg []byte) ([]byte, bool, error) {
	p := &in.p
	ps, err := p.opened(h, msg)
	if err != nil {
		return p.refuse(isakmp.NotifyAuthenticationFailed, err, "message 6 does not decrypt")
	}
	if err := p.peerIdentity(ps); err != nil {
		return p.callbackErr(err)
	}
	if err := p.verify(ps); err != nil {
		return p.callbackErr(err)
	}
	p.finish()
	p.lastIn, p.lastOut, p.done = append([]byte(nil), msg...), nil, true
	return nil, true, nil
}

func (in *Initiator) aggressive2(h isakmp.Header, msg []byte) ([]byte, bool, error) {
	p := &in.p
	ps, err := plain(msg)
	if err != nil {
		return p.refuse(malformedNotify(err), err, "message 2")
	}
	if err := in.chosen(ps); err != nil {
		return p.callbackErr(err)
	}
	if err := p.peerIdentity(ps); err != nil {
		return p.callbackErr(err)
	}
	if err := p.credentials(&p.peerID); err != nil {
		return p.callbackErr(err)
	}
	if err := in.peerKE(ps); err != nil {
		return p.callbackErr(err)
	}
	if err := p.verify(ps); err != nil {
		return p.callbackErr(err)
	}
	proof, err := p.proof()
	if err != nil {
		return p.callbackErr(err)
	}
	out, err := p.encode(proof[1:]...) // the identity went in message 1
	if err != nil {
		return p.callbackErr(err)
	}
	p.finish()
	return p.answer(msg, out, true)
}
