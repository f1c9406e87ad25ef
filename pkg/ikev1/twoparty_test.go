package ikev1

import (
	"bytes"
	"crypto/rand"
	"errors"
	"net/netip"
	"testing"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// pskAuth authenticates with a preshared key and the end's address.
type pskAuth struct {
	addr netip.Addr
	key  []byte
}

func (a pskAuth) PresharedKey(netip.Addr, *isakmp.ID) ([]byte, error) { return a.key, nil }

func (a pskAuth) Identity(ikealg.AuthMethod) (*Identity, error) {
	return &Identity{ID: AddressIdentity(a.addr)}, nil
}

func (a pskAuth) VerifyPeer(ikealg.AuthMethod, isakmp.ID, [][]byte, []byte, []byte) error {
	return errors.New("no signatures here")
}

// staticPolicy answers every phase 1 with the same terms.
type staticPolicy struct{ terms *Terms }

func (s staticPolicy) Phase1Terms(netip.Addr, netip.Addr) (*Terms, error) { return s.terms, nil }

var (
	addrI = netip.MustParseAddr("192.0.2.1")
	addrR = netip.MustParseAddr("192.0.2.2")
)

func aes128SHA1(group int) Suite {
	return Suite{Auth: ikealg.AuthPreshared, Cipher: ikealg.CipherAES, KeyBits: 128, Hash: ikealg.HashSHA1,
		Group: group, LifetimeSecs: 3600}
}

// exchange runs an initiator against a responder until both are done,
// passing the encoded messages, and returns the last errors of each.
func exchange(t testing.TB, in *Initiator, r *Responder) (ierr, rerr error) {
	t.Helper()
	msg, err := in.Start()
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	for range 10 {
		reply, rdone, err := r.Handle(msg)
		if err != nil {
			rerr = err
			if reply != nil {
				_, _, ierr = in.Handle(reply)
			}
			return ierr, rerr
		}
		if reply == nil {
			return nil, nil
		}
		next, idone, err := in.Handle(reply)
		if err != nil {
			if next != nil {
				_, _, rerr = r.Handle(next)
			}
			return err, rerr
		}
		if next == nil {
			if !idone || !rdone {
				t.Fatalf("initiator stopped (done %v), responder done %v", idone, rdone)
			}
			return nil, nil
		}
		msg = next
	}
	t.Fatal("exchange did not end in 10 rounds")
	return nil, nil
}

func pskPair(t testing.TB, mode Mode, offer []Suite, accept []Suite, ikey, rkey []byte) (*Initiator, *Responder) {
	t.Helper()
	e := ReaderEntropy{R: rand.Reader}
	in, err := NewInitiator(InitiatorConfig{Mode: mode, Local: addrI, Remote: addrR, Suites: offer,
		Entropy: e, Auth: pskAuth{addrI, ikey}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewResponder(ResponderConfig{Local: addrR, Remote: addrI, Entropy: e,
		Policy: staticPolicy{&Terms{Suites: accept, Auth: pskAuth{addrR, rkey}}}})
	if err != nil {
		t.Fatal(err)
	}
	return in, r
}

func sameKeys(t *testing.T, a, b *SA) {
	t.Helper()
	if a == nil || b == nil {
		t.Fatalf("SA missing: initiator %v responder %v", a, b)
	}
	for _, x := range [][2][]byte{{a.SKEYID, b.SKEYID}, {a.SKEYIDd, b.SKEYIDd}, {a.SKEYIDa, b.SKEYIDa},
		{a.SKEYIDe, b.SKEYIDe}, {a.EncKey, b.EncKey}, {a.IV, b.IV}, {a.LastBlock, b.LastBlock}} {
		if len(x[0]) == 0 || !bytes.Equal(x[0], x[1]) {
			t.Fatalf("keys differ: %x vs %x", x[0], x[1])
		}
	}
	if a.CookieI != b.CookieI || a.CookieR != b.CookieR || !a.Suite.SameAlgorithms(b.Suite) {
		t.Fatalf("SAs disagree: %+v vs %+v", a, b)
	}
}

func TestMainModePreshared(t *testing.T) {
	key := []byte("0123456789abcdef")
	in, r := pskPair(t, MainMode, []Suite{aes128SHA1(14)}, []Suite{aes128SHA1(14)}, key, key)
	ierr, rerr := exchange(t, in, r)
	if ierr != nil || rerr != nil {
		t.Fatalf("initiator %v, responder %v", ierr, rerr)
	}
	sameKeys(t, in.SA(), r.SA())
	if !in.SA().Initiator || r.SA().Initiator || in.SA().Mode != MainMode {
		t.Fatalf("roles: %+v %+v", in.SA(), r.SA())
	}
	ckyI, ckyR := r.Cookies()
	if in.CookieI() != ckyI || ckyR != in.SA().CookieR || r.Mode() != MainMode || in.Suite() != r.Suite() {
		t.Fatalf("accessors disagree: %x %x %v %+v %+v", ckyI, ckyR, r.Mode(), in.Suite(), r.Suite())
	}
}
