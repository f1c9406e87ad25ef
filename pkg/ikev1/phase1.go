package ikev1

import (
	"bytes"
	"crypto/hmac"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// phase1 is the state both ends of a Main or Aggressive Mode keep.
type phase1 struct {
	side          Side
	mode          Mode
	local, remote netip.Addr
	entropy       Entropy
	auth          Authenticator
	nonceLen      int

	ckyI, ckyR [8]byte
	saiB       []byte // SAi_b, the body of the initiator's SA payload
	suite      Suite
	group      *ikecrypto.Group
	dh         *ikecrypto.PrivateKey
	ni, nr     []byte
	gxi, gxr   []byte
	psk        []byte
	keys       *ikecrypto.Phase1Keys
	chain      *ivChain
	me         *Identity
	peerID     isakmp.ID
	peerCerts  [][]byte

	step     int
	done     bool
	sa       *SA
	lastIn   []byte // the last message accepted, to answer its retransmission
	lastOut  []byte
	finalErr error
}

// drawKE draws this end's nonce, then its DH key (in that order: a
// seeded lab's stream depends on it), and returns the nonce and the
// public value.
func (p *phase1) drawKE() (nonce, public []byte, err error) {
	if nonce, err = p.entropy.Nonce(p.nonceLen); err != nil {
		return nil, nil, err
	}
	if p.dh, err = p.entropy.DHKey(p.group); err != nil {
		return nil, nil, err
	}
	return nonce, p.dh.PublicBytes(), nil
}

func (p *phase1) peerSide() Side {
	if p.side == SideInitiator {
		return SideResponder
	}
	return SideInitiator
}

func (p *phase1) header(mid uint32) isakmp.Header {
	return isakmp.Header{InitiatorCookie: p.ckyI, ResponderCookie: p.ckyR,
		Major: isakmp.MajorVersion, Minor: isakmp.MinorVersion, Exchange: p.mode.exchange(), MessageID: mid}
}

func (p *phase1) encode(ps ...isakmp.Payload) ([]byte, error) {
	m := isakmp.Message{Header: p.header(0), Payloads: ps}
	return m.Encode()
}

// refuse ends the exchange with notify n sent to the peer in the clear
// (no phase 1 SA protects it yet).
func (p *phase1) refuse(n isakmp.NotifyType, err error, format string, args ...any) ([]byte, bool, error) {
	f := failf(p.side, n, err, format, args...)
	return p.refuseWith(f)
}

func (p *phase1) refuseWith(f *Failure) ([]byte, bool, error) {
	f.Side = p.side
	p.done, p.finalErr = true, f
	if f.Notify == 0 {
		return nil, true, f
	}
	mid, err := p.entropy.MessageID()
	if err != nil {
		return nil, true, err
	}
	h := p.header(mid)
	h.Exchange = isakmp.ExchangeInformational
	n := isakmp.Notify{DOI: isakmp.DOIIPsec, Protocol: isakmp.ProtocolISAKMP,
		SPI: append(append([]byte(nil), p.ckyI[:]...), p.ckyR[:]...), MessageType: f.Notify}
	m := isakmp.Message{Header: h, Payloads: []isakmp.Payload{n}}
	out, err := m.Encode()
	if err != nil {
		return nil, true, err
	}
	return out, true, f
}

// startFailure ends the exchange before its first message: nothing is
// sent, the failure is this end's.
func (p *phase1) startFailure(err error) error {
	if f, ok := err.(*Failure); ok {
		f.Side = p.side
	}
	p.done, p.finalErr = true, err
	return err
}

// callbackErr turns an owner's callback error into this end's refusal:
// a *Failure keeps its notify, anything else is a local fault.
func (p *phase1) callbackErr(err error) ([]byte, bool, error) {
	if f, ok := err.(*Failure); ok {
		return p.refuseWith(f)
	}
	p.done, p.finalErr = true, err
	return nil, true, err
}

// received checks the header of an incoming message: our cookies, the
// exchange. A peer's notify ends the exchange; a retransmission gets our
// last answer again.
func (p *phase1) received(msg []byte) (isakmp.Header, []byte, bool, error) {
	if p.done {
		if p.lastIn != nil && bytes.Equal(msg, p.lastIn) {
			return isakmp.Header{}, p.lastOut, true, nil
		}
		return isakmp.Header{}, nil, true, dropped(p.side, nil, "exchange already ended")
	}
	if p.lastIn != nil && bytes.Equal(msg, p.lastIn) {
		return isakmp.Header{}, p.lastOut, false, nil
	}
	h, err := isakmp.DecodeHeader(msg)
	if err != nil {
		return h, nil, false, dropped(p.side, err, "undecodable header")
	}
	if h.InitiatorCookie != p.ckyI || (p.ckyR != [8]byte{} && h.ResponderCookie != p.ckyR) {
		return h, nil, false, dropped(p.side, nil, "unknown cookies")
	}
	if h.Exchange == isakmp.ExchangeInformational {
		return h, nil, true, p.peerNotify(h, msg)
	}
	if h.Exchange != p.mode.exchange() || h.MessageID != 0 {
		return h, nil, false, dropped(p.side, nil, "unexpected %v message, ID %#x", h.Exchange, h.MessageID)
	}
	return h, nil, false, nil
}

// peerNotify reads an informational message during phase 1: in the
// clear, or encrypted once keys exist (ignored if it does not open).
func (p *phase1) peerNotify(h isakmp.Header, msg []byte) error {
	var ps []isakmp.Payload
	if h.Flags&isakmp.FlagEncryption == 0 {
		m, err := isakmp.Decode(msg)
		if err != nil {
			return dropped(p.side, err, "undecodable informational message")
		}
		ps = m.Payloads
	} else if p.keys != nil {
		prf, _ := ikecrypto.NewPRF(p.suite.Hash)
		b, err := newBlock(p.suite.Cipher, p.keys.EncKey)
		if err != nil {
			return err
		}
		last := p.keys.IV
		if p.chain != nil {
			last = p.chain.iv
		}
		c := &ivChain{block: b, iv: phase2IV(prf, last, h.MessageID, b.BlockSize())}
		if ps, _, _, err = openMessage(h, msg, c); err != nil {
			return dropped(p.side, err, "undecryptable informational message")
		}
	} else {
		return dropped(p.side, nil, "encrypted informational message before keys")
	}
	for _, pl := range ps {
		if n, ok := pl.(*isakmp.Notify); ok && n.MessageType.IsError() {
			p.done = true
			p.finalErr = &Failure{Notify: n.MessageType, Side: p.peerSide(), Received: true,
				Reason: fmt.Sprintf("peer sent notify %d", n.MessageType)}
			return p.finalErr
		}
	}
	return dropped(p.side, nil, "informational message without an error notify")
}

// answer records an accepted message and the reply to it.
func (p *phase1) answer(in, out []byte, done bool) ([]byte, bool, error) {
	p.lastIn, p.lastOut = append([]byte(nil), in...), out
	p.done = done
	return out, done, nil
}

// groupFor looks the suite's group up.
func groupFor(s Suite) (*ikecrypto.Group, error) { return ikecrypto.LookupGroup(s.Group) }

// saPayload is the PROTO_ISAKMP SA offering suites in order.
func saPayload(suites []Suite, numbers []uint8) (*isakmp.SA, error) {
	p := isakmp.Proposal{Number: 1, Protocol: isakmp.ProtocolISAKMP}
	for i, s := range suites {
		n := uint8(i + 1)
		if numbers != nil {
			n = numbers[i]
		}
		t, err := s.transform(n)
		if err != nil {
			return nil, err
		}
		p.Transforms = append(p.Transforms, t)
	}
	return &isakmp.SA{DOI: isakmp.DOIIPsec, Situation: isakmp.SituationIdentityOnly,
		Proposals: []isakmp.Proposal{p}}, nil
}

// keyExchange computes g^xy and the keys once both KE and nonces are in.
func (p *phase1) keyExchange(peerKE []byte) error {
	gxy, err := p.dh.SharedSecret(peerKE)
	if err != nil {
		return err
	}
	in := ikecrypto.Phase1Input{Method: p.suite.Auth, Hash: p.suite.Hash, PSK: p.psk, Ni: p.ni, Nr: p.nr,
		GXY: gxy, GXi: p.gxi, GXr: p.gxr, CookieI: p.ckyI, CookieR: p.ckyR,
		Cipher: p.suite.Cipher, KeyBits: p.suite.KeyBits}
	if p.keys, err = ikecrypto.DerivePhase1(in); err != nil {
		return err
	}
	b, err := newBlock(p.suite.Cipher, p.keys.EncKey)
	if err != nil {
		return err
	}
	p.chain = &ivChain{block: b, iv: append([]byte(nil), p.keys.IV...)}
	return nil
}

// credentials asks the owner for what this end's method needs: the
// preshared key (by address, and by identity when known) and the
// identity to send.
func (p *phase1) credentials(peerID *isakmp.ID) error {
	if p.suite.Auth == ikealg.AuthPreshared && p.psk == nil {
		k, err := p.auth.PresharedKey(p.remote, peerID)
		if err != nil {
			return err
		}
		if len(k) == 0 {
			return &Failure{Notify: isakmp.NotifyAuthenticationFailed, Reason: fmt.Sprintf("no preshared key for %s", p.remote)}
		}
		p.psk = k
	}
	if p.me == nil {
		me, err := p.auth.Identity(p.suite.Auth)
		if err != nil {
			return err
		}
		if me == nil {
			return &Failure{Notify: isakmp.NotifyAuthenticationFailed, Reason: "no identity to authenticate with"}
		}
		p.me = me
	}
	return nil
}

// checkMethod refuses methods this package does not run.
func checkMethod(m ikealg.AuthMethod) bool {
	return m == ikealg.AuthPreshared || m == ikealg.AuthRSASig
}

// myHash is HASH_I or HASH_R of this end.
func (p *phase1) myHash() ([]byte, error) {
	id, err := isakmp.Body(p.me.ID)
	if err != nil {
		return nil, err
	}
	if p.side == SideInitiator {
		return p.keys.HashI(p.saiB, id), nil
	}
	return p.keys.HashR(p.saiB, id), nil
}

// proof is this end's identification and authentication payloads.
func (p *phase1) proof() ([]isakmp.Payload, error) {
	hash, err := p.myHash()
	if err != nil {
		return nil, err
	}
	ps := []isakmp.Payload{p.me.ID}
	if p.suite.Auth == ikealg.AuthPreshared {
		return append(ps, isakmp.Hash{Data: hash}), nil
	}
	for _, c := range p.me.Certs {
		ps = append(ps, isakmp.Cert{Encoding: isakmp.CertX509Signature, Data: c})
	}
	if p.me.Sign == nil {
		return nil, &Failure{Notify: isakmp.NotifyAuthenticationFailed, Reason: "no signing key"}
	}
	sig, err := p.me.Sign(hash)
	if err != nil {
		return nil, err
	}
	return append(ps, isakmp.Signature{Data: sig}), nil
}

// peerIdentity takes the peer's ID payload from ps.
func (p *phase1) peerIdentity(ps []isakmp.Payload) error {
	for _, pl := range ps {
		if id, ok := pl.(*isakmp.ID); ok {
			p.peerID = *id
			return nil
		}
	}
	return &Failure{Notify: isakmp.NotifyPayloadMalformed, Reason: "no identification payload"}
}

// verify checks the peer's HASH or SIG payload in ps.
func (p *phase1) verify(ps []isakmp.Payload) error {
	id, err := isakmp.Body(p.peerID)
	if err != nil {
		return err
	}
	want := p.keys.HashR(p.saiB, id)
	if p.side == SideResponder {
		want = p.keys.HashI(p.saiB, id)
	}
	var hash, sig []byte
	p.peerCerts = nil
	for _, pl := range ps {
		switch x := pl.(type) {
		case *isakmp.Hash:
			hash = x.Data
		case *isakmp.Signature:
			sig = x.Data
		case *isakmp.Cert:
			if x.Encoding == isakmp.CertX509Signature {
				p.peerCerts = append(p.peerCerts, x.Data)
			}
		}
	}
	if p.suite.Auth == ikealg.AuthPreshared {
		if hash == nil {
			return &Failure{Notify: isakmp.NotifyPayloadMalformed, Reason: "no hash payload"}
		}
		if !hmac.Equal(hash, want) {
			return &Failure{Notify: isakmp.NotifyAuthenticationFailed, Reason: "hash mismatch (preshared key differs)"}
		}
		return nil
	}
	if sig == nil {
		return &Failure{Notify: isakmp.NotifyPayloadMalformed, Reason: "no signature payload"}
	}
	return p.auth.VerifyPeer(p.suite.Auth, p.peerID, p.peerCerts, want, sig)
}

// finish records the established SA.
func (p *phase1) finish() {
	last := p.keys.IV
	if p.chain != nil {
		last = p.chain.iv
	}
	p.sa = &SA{Mode: p.mode, Initiator: p.side == SideInitiator, CookieI: p.ckyI, CookieR: p.ckyR,
		Suite: p.suite, Local: p.local, Remote: p.remote, LocalID: p.me.ID, PeerID: p.peerID,
		PeerCerts: p.peerCerts, PSK: p.psk, SKEYID: p.keys.SKEYID, SKEYIDd: p.keys.SKEYIDd,
		SKEYIDa: p.keys.SKEYIDa, SKEYIDe: p.keys.SKEYIDe, EncKey: p.keys.EncKey, IV: p.keys.IV,
		LastBlock: append([]byte(nil), last...)}
}

// sealed encrypts payloads as the next message of phase 1.
func (p *phase1) sealed(ps ...isakmp.Payload) ([]byte, error) {
	first, body, err := isakmp.EncodePayloads(ps)
	if err != nil {
		return nil, err
	}
	return sealMessage(p.header(0), p.chain, body, first)
}

// opened decrypts the next phase 1 message and moves the chain on.
func (p *phase1) opened(h isakmp.Header, msg []byte) ([]isakmp.Payload, error) {
	if h.Flags&isakmp.FlagEncryption == 0 {
		return nil, fmt.Errorf("message is not encrypted")
	}
	ps, _, next, err := openMessage(h, msg, p.chain)
	if err != nil {
		return nil, err
	}
	p.chain.iv = next
	return ps, nil
}

// plain decodes a message sent in the clear.
func plain(msg []byte) ([]isakmp.Payload, error) {
	m, err := isakmp.Decode(msg)
	if err != nil {
		return nil, err
	}
	return m.Payloads, nil
}

func findKE(ps []isakmp.Payload) []byte {
	for _, pl := range ps {
		if k, ok := pl.(*isakmp.KE); ok {
			return k.Data
		}
	}
	return nil
}

func findNonce(ps []isakmp.Payload) []byte {
	for _, pl := range ps {
		if n, ok := pl.(*isakmp.Nonce); ok {
			return n.Data
		}
	}
	return nil
}

func findSA(ps []isakmp.Payload) *isakmp.SA {
	for _, pl := range ps {
		if s, ok := pl.(*isakmp.SA); ok {
			return s
		}
	}
	return nil
}

// malformedNotify is the notify a decoding error calls for.
func malformedNotify(err error) isakmp.NotifyType {
	if n, ok := isakmp.NotifyFor(err); ok {
		return n
	}
	return isakmp.NotifyPayloadMalformed
}
