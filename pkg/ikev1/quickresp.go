package ikev1

import (
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// QuickResponderConfig is what a responder answers a Quick Mode with.
type QuickResponderConfig struct {
	SA       *SA
	Policy   Phase2Policy
	NonceLen int
	Entropy  Entropy
}

// QuickResponder is the answering end of a Quick Mode; its first Handle
// call takes message 1 and fixes the message ID.
type QuickResponder struct {
	q      *quick
	policy Phase2Policy
}

// NewQuickResponder returns a responder waiting for message 1.
func NewQuickResponder(cfg QuickResponderConfig) (*QuickResponder, error) {
	if cfg.Policy == nil {
		return nil, errors.New("ikev1: quick mode responder without a policy")
	}
	q, err := newQuick(SideResponder, cfg.SA, cfg.Entropy, cfg.NonceLen)
	if err != nil {
		return nil, err
	}
	return &QuickResponder{q: q, policy: cfg.Policy}, nil
}

// MessageID is the exchange's message ID.
func (qr *QuickResponder) MessageID() uint32 { return qr.q.mid }

// Result is the established phase 2, nil until message 3 checked out.
func (qr *QuickResponder) Result() *Phase2 {
	if qr.q.finalErr != nil || !qr.q.done {
		return nil
	}
	return qr.q.result
}

// Handle takes message 1 (answering with message 2) or message 3.
func (qr *QuickResponder) Handle(msg []byte) ([]byte, bool, error) {
	q := qr.q
	if q.chain == nil {
		h, err := isakmp.DecodeHeader(msg)
		if err != nil {
			return nil, false, dropped(q.side, err, "undecodable header")
		}
		if h.Exchange != isakmp.ExchangeQuickMode || h.MessageID == 0 {
			return nil, false, dropped(q.side, nil, "not a quick mode (%v, ID %#x)", h.Exchange, h.MessageID)
		}
		if err := q.startChain(h.MessageID); err != nil {
			return nil, true, err
		}
	}
	if out, done, err, stop := q.screen(msg); stop {
		return out, done, err
	}
	if q.accepting {
		return qr.third(msg)
	}
	ps, err := q.open(msg, func([]isakmp.Payload) [][]byte { return [][]byte{midBytes(q.mid)} })
	if err != nil {
		q.chain = nil // not a message of this exchange: wait for one
		return nil, false, dropped(q.side, err, "message 1 rejected")
	}
	reply, err := qr.second(ps)
	if err != nil {
		return q.fault(err)
	}
	q.accepting = true
	return q.answer(msg, reply, false)
}

// second reads message 1, asks the policy and builds message 2.
func (qr *QuickResponder) second(ps []isakmp.Payload) ([]byte, error) {
	q := qr.q
	offer, alts, err := qr.offer(ps)
	if err != nil {
		return nil, err
	}
	choice, err := qr.policy.AcceptPhase2(offer)
	if err != nil {
		return nil, err
	}
	if choice == nil || choice.Index < 0 || choice.Index >= len(offer.Suites) {
		return nil, &Failure{Notify: isakmp.NotifyNoProposalChosen, Reason: "no proposal acceptable"}
	}
	alt := alts[choice.Index]
	q.suite, q.peerSPI = choice.Suite, alt.spi
	if q.spi, err = q.entropy.SPI(); err != nil {
		return nil, err
	}
	if q.nr, err = q.entropy.Nonce(q.nonceLen); err != nil {
		return nil, err
	}
	p, err := q.suite.proposal(alt.proposal, alt.transform, q.spi, q.pfs)
	if err != nil {
		return nil, err
	}
	rest := []isakmp.Payload{isakmp.SA{DOI: isakmp.DOIIPsec, Situation: isakmp.SituationIdentityOnly,
		Proposals: []isakmp.Proposal{p}}, isakmp.Nonce{Data: q.nr}}
	if q.pfs != 0 {
		g, err := ikecrypto.LookupGroup(q.pfs)
		if err != nil {
			return nil, &Failure{Notify: isakmp.NotifyNoProposalChosen, Reason: fmt.Sprintf("PFS group %d", q.pfs), Err: err}
		}
		if q.dh, err = q.entropy.DHKey(g); err != nil {
			return nil, err
		}
		q.gxr = q.dh.PublicBytes()
		rest = append(rest, isakmp.KE{Data: q.gxr})
	}
	if q.idci.IDType != 0 {
		rest = append(rest, q.idci, q.idcr)
	}
	out, err := q.seal([][]byte{midBytes(q.mid), q.ni}, rest...)
	if err != nil {
		return nil, err
	}
	if err := q.finish(q.idcr, q.idci); err != nil {
		return nil, err
	}
	return out, nil
}

// offer decodes message 1's proposals, nonce, KE and selectors.
func (qr *QuickResponder) offer(ps []isakmp.Payload) (Phase2Offer, []offeredSuite, error) {
	q := qr.q
	sa := findSA(ps)
	if sa == nil {
		return Phase2Offer{}, nil, &Failure{Notify: isakmp.NotifyPayloadMalformed, Reason: "no SA payload"}
	}
	offer := Phase2Offer{SA: q.sa, PFS: -1}
	var alts []offeredSuite
	for _, p := range sa.Proposals {
		as, err := phase2SuitesOf(p)
		if err != nil {
			continue // a proposal we cannot run is one we do not choose
		}
		for _, a := range as {
			if offer.PFS != -1 && a.pfs != offer.PFS {
				return Phase2Offer{}, nil, &Failure{Notify: isakmp.NotifyBadProposalSyntax, Reason: "proposals disagree on PFS"}
			}
			offer.PFS = a.pfs
			offer.Suites, alts = append(offer.Suites, a.suite), append(alts, a)
		}
	}
	if len(alts) == 0 {
		return Phase2Offer{}, nil, &Failure{Notify: isakmp.NotifyNoProposalChosen, Reason: "no proposal this end can run"}
	}
	q.pfs = offer.PFS
	if q.ni = findNonce(ps); q.ni == nil || ikecrypto.CheckNonceLen(len(q.ni)) != nil {
		return Phase2Offer{}, nil, &Failure{Notify: isakmp.NotifyPayloadMalformed, Reason: "no valid nonce"}
	}
	if q.pfs != 0 {
		g, err := ikecrypto.LookupGroup(q.pfs)
		if err != nil {
			return Phase2Offer{}, nil, &Failure{Notify: isakmp.NotifyNoProposalChosen, Reason: fmt.Sprintf("PFS group %d", q.pfs)}
		}
		if q.gxi = findKE(ps); len(q.gxi) != g.PublicLen() {
			return Phase2Offer{}, nil, &Failure{Notify: isakmp.NotifyInvalidKeyInformation, Reason: "PFS KE"}
		}
	}
	var ids []isakmp.ID
	for _, pl := range ps {
		if id, ok := pl.(*isakmp.ID); ok {
			ids = append(ids, *id)
		}
	}
	switch len(ids) {
	case 0:
	case 2:
		q.idci, q.idcr = ids[0], ids[1]
		offer.Remote, offer.Local = ids[0], ids[1]
	default:
		return Phase2Offer{}, nil, &Failure{Notify: isakmp.NotifyInvalidIDInformation, Reason: fmt.Sprintf("%d identities", len(ids))}
	}
	return offer, alts, nil
}

// third checks HASH(3).
func (qr *QuickResponder) third(msg []byte) ([]byte, bool, error) {
	q := qr.q
	_, err := q.open(msg, func([]isakmp.Payload) [][]byte { return [][]byte{{0}, midBytes(q.mid), q.ni, q.nr} })
	if err != nil {
		return q.refuse(&Failure{Notify: isakmp.NotifyAuthenticationFailed, Reason: "HASH(3)", Err: err})
	}
	return q.answer(msg, nil, true)
}
