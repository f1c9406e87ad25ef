package ikev1

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// QuickConfig is what an initiator starts a Quick Mode with.
type QuickConfig struct {
	SA *SA // the phase 1 SA it runs under
	// Suites are the proposals, in preference order.
	Suites []Phase2Suite
	PFS    int // the PFS group, 0 for none
	// Local and Remote are IDci and IDcr; both zero sends none (the
	// traffic between the phase 1 addresses).
	Local, Remote isakmp.ID
	NonceLen      int // 0: 32
	Entropy       Entropy
}

// Phase2Offer is a Quick Mode offer as the responder sees it; Local is
// IDcr and Remote IDci (zero when the initiator sent none).
type Phase2Offer struct {
	SA            *SA
	Suites        []Phase2Suite
	PFS           int
	Local, Remote isakmp.ID
}

// Phase2Choice is the responder's answer: the offered suite it takes
// (lifetimes may be shortened) and its index in the offer.
type Phase2Choice struct {
	Index int
	Suite Phase2Suite
}

// Phase2Policy decides a responder's Quick Modes. A nil choice refuses
// with NO-PROPOSAL-CHOSEN; a *Failure (Refuse) with its own notify
// (INVALID-ID-INFORMATION for selectors it will not protect).
type Phase2Policy interface {
	AcceptPhase2(offer Phase2Offer) (*Phase2Choice, error)
}

// Phase2 is an established Quick Mode as one end holds it.
type Phase2 struct {
	MessageID     uint32
	Suite         Phase2Suite
	PFS           int
	SPIIn, SPIOut uint32    // this end receives on SPIIn
	Local, Remote isakmp.ID // this end's and the peer's selectors (zero: the phase 1 addresses)
	// KeyIn and KeyOut are the KEYMAT of each direction: encryption key
	// then integrity key.
	KeyIn, KeyOut []byte
}

// quick is the state both ends of a Quick Mode keep.
type quick struct {
	side      Side
	sa        *SA
	entropy   Entropy
	macA      *ikecrypto.KeyedPRF // prf under SKEYID_a: the HASH payloads
	macD      *ikecrypto.KeyedPRF // prf under SKEYID_d: KEYMAT
	chain     *ivChain
	mid       uint32
	nonceLen  int
	pfs       int
	dh        *ikecrypto.PrivateKey
	ni, nr    []byte
	gxi, gxr  []byte
	spi       uint32 // ours
	idci      isakmp.ID
	idcr      isakmp.ID
	result    *Phase2
	done      bool
	lastIn    []byte
	lastOut   []byte
	finalErr  error
	suite     Phase2Suite
	peerSPI   uint32
	accepting bool
}

func (q *quick) header() isakmp.Header { return q.sa.header(isakmp.ExchangeQuickMode, q.mid) }

// seal encrypts payloads behind HASH(prefix | rest).
func (q *quick) seal(prefix [][]byte, rest ...isakmp.Payload) ([]byte, error) {
	first, body, err := hashedBody(q.macA, prefix, rest)
	if err != nil {
		return nil, err
	}
	return sealMessage(q.header(), q.chain, body, first)
}

// open decrypts a message of this exchange and checks its HASH; prefix
// returns the bytes the hash covers before the rest of the message.
func (q *quick) open(msg []byte, prefix func(ps []isakmp.Payload) [][]byte) ([]isakmp.Payload, error) {
	h, err := isakmp.DecodeHeader(msg)
	if err != nil {
		return nil, err
	}
	if h.Flags&isakmp.FlagEncryption == 0 {
		return nil, errors.New("quick mode message is not encrypted")
	}
	ps, plainBody, next, err := openMessage(h, msg, q.chain)
	if err != nil {
		return nil, err
	}
	if err := checkHashed(q.macA, prefix(ps), h.NextPayload, plainBody, ps); err != nil {
		return nil, err
	}
	q.chain.iv = next
	return ps, nil
}

// keymat is RFC 2409 section 5.5's KEYMAT for the SA whose receiver
// chose spi.
func (q *quick) keymat(spi uint32, gxy []byte) []byte {
	n := q.suite.keymatLen()
	seed := [][]byte{gxy, {byte(q.suite.Protocol)}, spiBytes(spi), q.ni, q.nr}
	var out, k []byte
	for len(out) < n {
		k = q.macD.Sum(append([][]byte{k}, seed...)...)
		out = append(out, k...)
	}
	return out[:n]
}

func (q *quick) finish(local, remote isakmp.ID) error {
	var gxy []byte
	if q.dh != nil {
		peer := q.gxr
		if q.side == SideResponder {
			peer = q.gxi
		}
		var err error
		if gxy, err = q.dh.SharedSecret(peer); err != nil {
			return err
		}
	}
	q.result = &Phase2{MessageID: q.mid, Suite: q.suite, PFS: q.pfs, SPIIn: q.spi, SPIOut: q.peerSPI,
		Local: local, Remote: remote, KeyIn: q.keymat(q.spi, gxy), KeyOut: q.keymat(q.peerSPI, gxy)}
	return nil
}

// peerNotify reads an informational message of the peer's during a
// Quick Mode: an error notify ends the exchange.
func (q *quick) peerNotify(msg []byte) error {
	info, err := q.sa.ReadInformational(msg)
	if err != nil {
		return dropped(q.side, err, "unreadable informational message")
	}
	for _, n := range info.Notifies {
		if n.MessageType.IsError() {
			q.done = true
			peer := SideResponder
			if q.side == SideResponder {
				peer = SideInitiator
			}
			q.finalErr = &Failure{Notify: n.MessageType, Side: peer, Received: true,
				Reason: fmt.Sprintf("peer sent notify %d", n.MessageType)}
			return q.finalErr
		}
	}
	return dropped(q.side, nil, "informational message without an error notify")
}

// refuse ends the exchange with an encrypted informational notify.
func (q *quick) refuse(f *Failure) ([]byte, bool, error) {
	f.Side, q.done, q.finalErr = q.side, true, f
	if f.Notify == 0 {
		return nil, true, f
	}
	proto, spi := isakmp.ProtocolISAKMP, []byte(nil)
	if q.peerSPI != 0 {
		proto, spi = q.suite.Protocol, spiBytes(q.peerSPI)
	}
	out, err := q.sa.NotifyMessage(q.entropy, f.Notify, proto, spi)
	if err != nil {
		return nil, true, err
	}
	return out, true, f
}

func (q *quick) fault(err error) ([]byte, bool, error) {
	if f, ok := err.(*Failure); ok {
		return q.refuse(f)
	}
	q.done, q.finalErr = true, err
	return nil, true, err
}

// screen handles what every incoming message is checked for first.
func (q *quick) screen(msg []byte) ([]byte, bool, error, bool) {
	if q.lastIn != nil && bytes.Equal(msg, q.lastIn) {
		return q.lastOut, q.done, nil, true
	}
	if q.done {
		return nil, true, dropped(q.side, nil, "exchange already ended"), true
	}
	h, err := isakmp.DecodeHeader(msg)
	if err != nil {
		return nil, false, dropped(q.side, err, "undecodable header"), true
	}
	if h.InitiatorCookie != q.sa.CookieI || h.ResponderCookie != q.sa.CookieR {
		return nil, false, dropped(q.side, nil, "unknown cookies"), true
	}
	if h.Exchange == isakmp.ExchangeInformational {
		return nil, true, q.peerNotify(msg), true
	}
	if h.Exchange != isakmp.ExchangeQuickMode || h.MessageID != q.mid {
		return nil, false, dropped(q.side, nil, "not this quick mode (%v, ID %#x)", h.Exchange, h.MessageID), true
	}
	return nil, false, nil, false
}

func (q *quick) answer(in, out []byte, done bool) ([]byte, bool, error) {
	q.lastIn, q.lastOut, q.done = append([]byte(nil), in...), out, done
	return out, done, nil
}

func newQuick(side Side, sa *SA, e Entropy, nonceLen int) (*quick, error) {
	if sa == nil || e == nil {
		return nil, errors.New("ikev1: quick mode without a phase 1 SA or entropy")
	}
	if nonceLen == 0 {
		nonceLen = 32
	}
	prf, err := sa.prf()
	if err != nil {
		return nil, err
	}
	return &quick{side: side, sa: sa, entropy: e, macA: prf.Keyed(sa.SKEYIDa), macD: prf.Keyed(sa.SKEYIDd),
		nonceLen: nonceLen}, nil
}

func (q *quick) startChain(mid uint32) error {
	q.mid = mid
	c, _, err := q.sa.exchangeChain(mid)
	q.chain = c
	return err
}
