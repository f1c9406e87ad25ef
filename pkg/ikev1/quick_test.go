package ikev1

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// acceptFirst takes the first offered suite whose protocol it knows.
type acceptFirst struct {
	refuse isakmp.NotifyType
	got    *Phase2Offer
}

func (a *acceptFirst) AcceptPhase2(o Phase2Offer) (*Phase2Choice, error) {
	a.got = &o
	if a.refuse != 0 {
		return nil, Refuse(a.refuse, "refused by test")
	}
	return &Phase2Choice{Index: 0, Suite: o.Suites[0]}, nil
}

func phase1Pair(t *testing.T) (*SA, *SA) {
	t.Helper()
	key := []byte("k")
	in, r := pskPair(t, MainMode, []Suite{aes128SHA1(14)}, []Suite{aes128SHA1(14)}, key, key)
	if ierr, rerr := exchange(t, in, r); ierr != nil || rerr != nil {
		t.Fatalf("phase 1: %v / %v", ierr, rerr)
	}
	return in.SA(), r.SA()
}

// quickExchange runs one Quick Mode and returns both results.
func quickExchange(t *testing.T, isa, rsa *SA, cfg QuickConfig, pol Phase2Policy) (*Phase2, *Phase2, error, error) {
	t.Helper()
	e := ReaderEntropy{R: rand.Reader}
	cfg.SA, cfg.Entropy = isa, e
	qi, err := NewQuickInitiator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	qr, err := NewQuickResponder(QuickResponderConfig{SA: rsa, Policy: pol, Entropy: e})
	if err != nil {
		t.Fatal(err)
	}
	m1, err := qi.Start()
	if err != nil {
		t.Fatal(err)
	}
	m2, _, rerr := qr.Handle(m1)
	if rerr != nil {
		var ierr error
		if m2 != nil {
			_, _, ierr = qi.Handle(m2)
		}
		return nil, nil, ierr, rerr
	}
	m3, done, ierr := qi.Handle(m2)
	if ierr != nil || !done {
		return nil, nil, ierr, nil
	}
	if _, done, rerr = qr.Handle(m3); rerr != nil || !done {
		return nil, nil, nil, rerr
	}
	if qi.MessageID() == 0 || qi.MessageID() != qr.MessageID() {
		t.Fatalf("message IDs %#x and %#x", qi.MessageID(), qr.MessageID())
	}
	return qi.Result(), qr.Result(), nil, nil
}

func TestQuickModeWithPFS(t *testing.T) {
	isa, rsa := phase1Pair(t)
	suites := []Phase2Suite{{Protocol: isakmp.ProtocolESP, Cipher: ikealg.CipherAES, KeyBits: 256,
		Auth: ikealg.HashSHA256, Encapsulation: isakmp.EncapsulationTransport, LifetimeSecs: 28800}}
	for _, pfs := range []int{0, 2, 14, 19} {
		pol := &acceptFirst{}
		cfg := QuickConfig{Suites: suites, PFS: pfs, Local: isakmp.IDFromAddr(addrI), Remote: isakmp.IDFromAddr(addrR)}
		a, b, ierr, rerr := quickExchange(t, isa, rsa, cfg, pol)
		if ierr != nil || rerr != nil {
			t.Fatalf("pfs %d: %v / %v", pfs, ierr, rerr)
		}
		if a.SPIIn != b.SPIOut || a.SPIOut != b.SPIIn || a.SPIIn < 256 {
			t.Fatalf("SPIs: %+v %+v", a, b)
		}
		if !bytes.Equal(a.KeyIn, b.KeyOut) || !bytes.Equal(a.KeyOut, b.KeyIn) || len(a.KeyIn) != 32+32 {
			t.Fatalf("pfs %d: keys differ", pfs)
		}
		if pol.got.PFS != pfs || pol.got.Remote.IDType != isakmp.IDIPv4Addr {
			t.Fatalf("offer seen: %+v", pol.got)
		}
	}
}

func TestQuickModeRefused(t *testing.T) {
	isa, rsa := phase1Pair(t)
	suites := []Phase2Suite{{Protocol: isakmp.ProtocolESP, Cipher: ikealg.Cipher3DES, Auth: ikealg.HashSHA1,
		Encapsulation: isakmp.EncapsulationTunnel}}
	for _, n := range []isakmp.NotifyType{isakmp.NotifyNoProposalChosen, isakmp.NotifyInvalidIDInformation} {
		_, _, ierr, rerr := quickExchange(t, isa, rsa, QuickConfig{Suites: suites}, &acceptFirst{refuse: n})
		rf, ok := rerr.(*Failure)
		if !ok || rf.Notify != n || rf.Side != SideResponder || rf.Received {
			t.Fatalf("responder: %v", rerr)
		}
		inf, ok := ierr.(*Failure)
		if !ok || inf.Notify != n || !inf.Received || inf.Side != SideResponder {
			t.Fatalf("initiator: %v", ierr)
		}
	}
}

func TestDeleteBothWays(t *testing.T) {
	isa, rsa := phase1Pair(t)
	e := ReaderEntropy{R: rand.Reader}
	for _, pair := range [][2]*SA{{isa, rsa}, {rsa, isa}} {
		msg, err := pair[0].DeleteMessage(e)
		if err != nil {
			t.Fatal(err)
		}
		info, err := pair[1].ReadInformational(msg)
		if err != nil || !info.DeletesSA(pair[1]) {
			t.Fatalf("delete not read: %v %+v", err, info)
		}
		msg[isakmp.HeaderLen+1] ^= 1
		if _, err := pair[1].ReadInformational(msg); err == nil {
			t.Fatal("a damaged delete was accepted")
		}
	}
}

// A proposal whose transforms are alternatives (charon's way): the
// responder answers with the one it took, numbers echoed.
func TestQuickModeAlternativeTransforms(t *testing.T) {
	isa, rsa := phase1Pair(t)
	e := ReaderEntropy{R: rand.Reader}
	a := Phase2Suite{Protocol: isakmp.ProtocolESP, Cipher: ikealg.Cipher3DES, Auth: ikealg.HashSHA1,
		Encapsulation: isakmp.EncapsulationTunnel}
	b := a
	b.Cipher, b.KeyBits = ikealg.CipherAES, 128
	pa, _ := a.proposal(1, 1, 0x1234, 0)
	pb, _ := b.proposal(1, 2, 0x1234, 0)
	pa.Transforms = append(pa.Transforms, pb.Transforms...)
	q, err := newQuick(SideInitiator, isa, e, 0)
	if err != nil {
		t.Fatal(err)
	}
	q.spi = 0x1234
	if err := q.startChain(7); err != nil {
		t.Fatal(err)
	}
	q.ni, _ = e.Nonce(32)
	m1, err := q.seal([][]byte{midBytes(7)}, isakmp.SA{DOI: isakmp.DOIIPsec, Situation: isakmp.SituationIdentityOnly,
		Proposals: []isakmp.Proposal{pa}}, isakmp.Nonce{Data: q.ni})
	if err != nil {
		t.Fatal(err)
	}
	pol := &pickSecond{}
	qr, _ := NewQuickResponder(QuickResponderConfig{SA: rsa, Policy: pol, Entropy: e})
	m2, _, err := qr.Handle(m1)
	if err != nil || len(pol.seen) != 2 {
		t.Fatalf("responder: %v, saw %d alternatives", err, len(pol.seen))
	}
	ps, err := q.open(m2, func([]isakmp.Payload) [][]byte { return [][]byte{midBytes(7), q.ni} })
	if err != nil {
		t.Fatal(err)
	}
	got := findSA(ps).Proposals[0]
	if got.Number != 1 || len(got.Transforms) != 1 || got.Transforms[0].Number != 2 || got.Transforms[0].ID != isakmp.TransformESPAES {
		t.Fatalf("answer %+v", got)
	}
}

type pickSecond struct{ seen []Phase2Suite }

func (p *pickSecond) AcceptPhase2(o Phase2Offer) (*Phase2Choice, error) {
	p.seen = o.Suites
	return &Phase2Choice{Index: 1, Suite: o.Suites[1]}, nil
}
