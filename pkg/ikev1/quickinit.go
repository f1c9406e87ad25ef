package ikev1

import (
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// QuickInitiator is the initiating end of a Quick Mode.
type QuickInitiator struct {
	q   *quick
	cfg QuickConfig
}

// NewQuickInitiator checks the configuration; Start sends message 1.
func NewQuickInitiator(cfg QuickConfig) (*QuickInitiator, error) {
	if len(cfg.Suites) == 0 {
		return nil, errors.New("ikev1: quick mode without suites")
	}
	q, err := newQuick(SideInitiator, cfg.SA, cfg.Entropy, cfg.NonceLen)
	if err != nil {
		return nil, err
	}
	q.pfs = cfg.PFS
	return &QuickInitiator{q: q, cfg: cfg}, nil
}

// MessageID is the exchange's message ID.
func (qi *QuickInitiator) MessageID() uint32 { return qi.q.mid }

// Result is the established phase 2, nil until the exchange succeeded.
func (qi *QuickInitiator) Result() *Phase2 {
	if qi.q.finalErr != nil {
		return nil
	}
	return qi.q.result
}

// Start returns message 1: HASH(1), SA, Ni [, KE] [, IDci, IDcr].
func (qi *QuickInitiator) Start() ([]byte, error) {
	q, cfg := qi.q, qi.cfg
	var err error
	if q.spi, err = q.entropy.SPI(); err != nil {
		return nil, err
	}
	mid, err := q.entropy.MessageID()
	if err != nil {
		return nil, err
	}
	if err := q.startChain(mid); err != nil {
		return nil, err
	}
	if q.ni, err = q.entropy.Nonce(q.nonceLen); err != nil {
		return nil, err
	}
	sa := isakmp.SA{DOI: isakmp.DOIIPsec, Situation: isakmp.SituationIdentityOnly}
	for i, s := range cfg.Suites {
		p, err := s.proposal(uint8(i+1), 1, q.spi, q.pfs)
		if err != nil {
			return nil, err
		}
		sa.Proposals = append(sa.Proposals, p)
	}
	rest := []isakmp.Payload{sa, isakmp.Nonce{Data: q.ni}}
	if q.pfs != 0 {
		g, err := ikecrypto.LookupGroup(q.pfs)
		if err != nil {
			return nil, err
		}
		if q.dh, err = q.entropy.DHKey(g); err != nil {
			return nil, err
		}
		q.gxi = q.dh.PublicBytes()
		rest = append(rest, isakmp.KE{Data: q.gxi})
	}
	if cfg.Local.IDType != 0 || cfg.Remote.IDType != 0 {
		q.idci, q.idcr = cfg.Local, cfg.Remote
		rest = append(rest, cfg.Local, cfg.Remote)
	}
	out, err := q.seal([][]byte{midBytes(q.mid)}, rest...)
	q.lastOut = out
	return out, err
}

// Handle takes message 2 and returns message 3.
func (qi *QuickInitiator) Handle(msg []byte) ([]byte, bool, error) {
	q := qi.q
	if out, done, err, stop := q.screen(msg); stop {
		return out, done, err
	}
	ps, err := q.open(msg, func([]isakmp.Payload) [][]byte { return [][]byte{midBytes(q.mid), q.ni} })
	if err != nil {
		return nil, false, dropped(q.side, err, "message 2 rejected")
	}
	if err := qi.accept(ps); err != nil {
		return q.fault(err)
	}
	out, err := q.seal([][]byte{{0}, midBytes(q.mid), q.ni, q.nr})
	if err != nil {
		return q.fault(err)
	}
	// HASH(3) has nothing after it: seal put an empty chain behind it,
	// and RFC 2409 hashes 0 | M-ID | Ni_b | Nr_b.
	if err := q.finish(q.idci, q.idcr); err != nil {
		return q.fault(err)
	}
	return q.answer(msg, out, true)
}

// accept reads the responder's choice, nonce, KE and selectors.
func (qi *QuickInitiator) accept(ps []isakmp.Payload) error {
	q := qi.q
	sa := findSA(ps)
	if sa == nil || len(sa.Proposals) != 1 {
		return &Failure{Notify: isakmp.NotifyBadProposalSyntax, Reason: "answer does not hold one proposal"}
	}
	alts, err := phase2SuitesOf(sa.Proposals[0])
	if err == nil && len(sa.Proposals[0].Transforms) != 1 {
		err = errors.New("answer with more than one transform")
	}
	if err != nil {
		return &Failure{Notify: isakmp.NotifyBadProposalSyntax, Reason: "answer's proposal", Err: err}
	}
	s, spi, pfs := alts[0].suite, alts[0].spi, alts[0].pfs
	ok := false
	for _, o := range qi.cfg.Suites {
		ok = ok || o.SameAlgorithms(s)
	}
	if !ok || pfs != q.pfs {
		return &Failure{Notify: isakmp.NotifyNoProposalChosen, Reason: "responder chose a proposal we did not offer"}
	}
	q.suite, q.peerSPI = s, spi
	if q.nr = findNonce(ps); q.nr == nil || ikecrypto.CheckNonceLen(len(q.nr)) != nil {
		return &Failure{Notify: isakmp.NotifyPayloadMalformed, Reason: "no valid nonce"}
	}
	if q.pfs != 0 {
		if q.gxr = findKE(ps); len(q.gxr) != q.dh.Group().PublicLen() {
			return &Failure{Notify: isakmp.NotifyInvalidKeyInformation, Reason: fmt.Sprintf("PFS KE of %d bytes", len(q.gxr))}
		}
	}
	return nil
}
