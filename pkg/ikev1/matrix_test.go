package ikev1

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/netip"
	"testing"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

func TestPhase1Matrix(t *testing.T) {
	ciphers := []struct {
		name string
		c    ikealg.Cipher
		bits int
		h    ikealg.Hash
	}{
		{"3des-sha1", ikealg.Cipher3DES, 192, ikealg.HashSHA1},
		{"aes128-sha1", ikealg.CipherAES, 128, ikealg.HashSHA1},
		{"aes256-sha256", ikealg.CipherAES, 256, ikealg.HashSHA256},
		{"aes128-sha256", ikealg.CipherAES, 128, ikealg.HashSHA256},
		{"des-md5", ikealg.CipherDES, 64, ikealg.HashMD5},
	}
	key := []byte("a shared secret")
	for _, mode := range []Mode{MainMode, AggressiveMode} {
		for _, g := range []int{2, 14, 19} {
			for _, c := range ciphers {
				t.Run(fmt.Sprintf("%s/%d/%s", mode, g, c.name), func(t *testing.T) {
					s := Suite{Auth: ikealg.AuthPreshared, Cipher: c.c, KeyBits: c.bits, Hash: c.h, Group: g, LifetimeSecs: 28800}
					in, r := pskPair(t, mode, []Suite{s}, []Suite{s}, key, key)
					if ierr, rerr := exchange(t, in, r); ierr != nil || rerr != nil {
						t.Fatalf("initiator %v, responder %v", ierr, rerr)
					}
					sameKeys(t, in.SA(), r.SA())
					if in.SA().Mode != mode || !in.SA().Suite.SameAlgorithms(s) {
						t.Fatalf("agreed %+v", in.SA())
					}
				})
			}
		}
	}
}

func TestResponderChoosesFromOffer(t *testing.T) {
	key := []byte("k")
	offer := []Suite{aes128SHA1(19), aes128SHA1(14), aes128SHA1(2)}
	in, r := pskPair(t, MainMode, offer, []Suite{aes128SHA1(2), aes128SHA1(14)}, key, key)
	if ierr, rerr := exchange(t, in, r); ierr != nil || rerr != nil {
		t.Fatalf("%v / %v", ierr, rerr)
	}
	if in.SA().Suite.Group != 14 {
		t.Fatalf("chose group %d, want the initiator's first acceptable (14)", in.SA().Suite.Group)
	}
}

// failureOf checks that err is a *Failure with notify n on side s.
func failureOf(t *testing.T, who string, err error, n isakmp.NotifyType, s Side, received bool) {
	t.Helper()
	var f *Failure
	if !errors.As(err, &f) || f.Notify != n || f.Side != s || f.Received != received {
		t.Fatalf("%s: got %v, want notify %d from %v (received %v)", who, err, n, s, received)
	}
}

func TestPresharedKeyMismatch(t *testing.T) {
	for _, mode := range []Mode{MainMode, AggressiveMode} {
		in, r := pskPair(t, mode, []Suite{aes128SHA1(14)}, []Suite{aes128SHA1(14)}, []byte("one"), []byte("two"))
		ierr, rerr := exchange(t, in, r)
		if in.SA() != nil && r.SA() != nil {
			t.Fatalf("%s: both ends established with different keys", mode)
		}
		if mode == MainMode {
			failureOf(t, "responder", rerr, isakmp.NotifyAuthenticationFailed, SideResponder, false)
			failureOf(t, "initiator", ierr, isakmp.NotifyAuthenticationFailed, SideResponder, true)
		} else {
			failureOf(t, "initiator", ierr, isakmp.NotifyAuthenticationFailed, SideInitiator, false)
		}
	}
}

func TestNoProposalChosen(t *testing.T) {
	offer := []Suite{aes128SHA1(14)}
	accept := []Suite{aes128SHA1(2)}
	for _, mode := range []Mode{MainMode, AggressiveMode} {
		in, r := pskPair(t, mode, offer, accept, []byte("k"), []byte("k"))
		ierr, rerr := exchange(t, in, r)
		failureOf(t, "responder", rerr, isakmp.NotifyNoProposalChosen, SideResponder, false)
		failureOf(t, "initiator", ierr, isakmp.NotifyNoProposalChosen, SideResponder, true)
	}
	// A responder that takes only aggressive mode refuses main mode.
	in, r := pskPair(t, MainMode, offer, offer, []byte("k"), []byte("k"))
	r.policy.(staticPolicy).terms.Modes = []Mode{AggressiveMode}
	_, rerr := exchange(t, in, r)
	failureOf(t, "responder", rerr, isakmp.NotifyNoProposalChosen, SideResponder, false)
}

func TestInvalidCookieAndMalformed(t *testing.T) {
	in, r := pskPair(t, MainMode, []Suite{aes128SHA1(14)}, []Suite{aes128SHA1(14)}, []byte("k"), []byte("k"))
	msg, err := in.Start()
	if err != nil {
		t.Fatal(err)
	}
	bad := append([]byte(nil), msg...)
	bad[8] = 1 // a responder cookie in a first message
	_, _, rerr := r.Handle(bad)
	failureOf(t, "responder", rerr, isakmp.NotifyInvalidCookie, SideResponder, false)

	_, r2 := pskPair(t, MainMode, []Suite{aes128SHA1(14)}, []Suite{aes128SHA1(14)}, []byte("k"), []byte("k"))
	bad = append([]byte(nil), msg...)
	bad[isakmp.HeaderLen+3]-- // SA payload length one short
	reply, _, rerr := r2.Handle(bad)
	failureOf(t, "responder", rerr, isakmp.NotifyPayloadMalformed, SideResponder, false)
	if _, _, ierr := in.Handle(reply); ierr == nil {
		t.Fatal("initiator ignored the notify")
	} else {
		failureOf(t, "initiator", ierr, isakmp.NotifyPayloadMalformed, SideResponder, true)
	}
}

func TestRetransmissionGetsSameAnswer(t *testing.T) {
	in, r := pskPair(t, MainMode, []Suite{aes128SHA1(2)}, []Suite{aes128SHA1(2)}, []byte("k"), []byte("k"))
	m1, _ := in.Start()
	m2, _, err := r.Handle(m1)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := r.Handle(m1)
	if err != nil || string(again) != string(m2) {
		t.Fatalf("retransmitted message 1 answered %v", err)
	}
}

// sigAuth signs with an RSA key and checks the peer's with a known one;
// the "certificate" is the public key's modulus, enough for the test.
type sigAuth struct {
	addr netip.Addr
	key  *rsa.PrivateKey
	peer *rsa.PublicKey
}

func (a sigAuth) PresharedKey(netip.Addr, *isakmp.ID) ([]byte, error) { return nil, nil }

func (a sigAuth) Identity(ikealg.AuthMethod) (*Identity, error) {
	return &Identity{ID: AddressIdentity(a.addr), Certs: [][]byte{a.key.N.Bytes()},
		Sign: func(h []byte) ([]byte, error) { return rsa.SignPKCS1v15(nil, a.key, crypto.Hash(0), h) }}, nil
}

func (a sigAuth) VerifyPeer(_ ikealg.AuthMethod, _ isakmp.ID, certs [][]byte, hash, sig []byte) error {
	if len(certs) != 1 {
		return Refuse(isakmp.NotifyAuthenticationFailed, "want one certificate")
	}
	if rsa.VerifyPKCS1v15(a.peer, crypto.Hash(0), hash, sig) != nil {
		return Refuse(isakmp.NotifyAuthenticationFailed, "bad signature")
	}
	return nil
}

func TestRSASignatures(t *testing.T) {
	ki, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	kr, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	s := aes128SHA1(14)
	s.Auth = ikealg.AuthRSASig
	e := ReaderEntropy{R: rand.Reader}
	for _, mode := range []Mode{MainMode, AggressiveMode} {
		for _, wrong := range []bool{false, true} {
			peerOfR := &ki.PublicKey
			if wrong {
				peerOfR = &kr.PublicKey
			}
			in, _ := NewInitiator(InitiatorConfig{Mode: mode, Local: addrI, Remote: addrR, Suites: []Suite{s},
				Entropy: e, Auth: sigAuth{addrI, ki, &kr.PublicKey}})
			r, _ := NewResponder(ResponderConfig{Local: addrR, Remote: addrI, Entropy: e,
				Policy: staticPolicy{&Terms{Suites: []Suite{s}, Auth: sigAuth{addrR, kr, peerOfR}}}})
			ierr, rerr := exchange(t, in, r)
			if !wrong {
				if ierr != nil || rerr != nil {
					t.Fatalf("%s: %v / %v", mode, ierr, rerr)
				}
				sameKeys(t, in.SA(), r.SA())
				continue
			}
			failureOf(t, "responder", rerr, isakmp.NotifyAuthenticationFailed, SideResponder, false)
			if r.SA() != nil {
				t.Fatal("responder established with a bad signature")
			}
		}
	}
}
