package interop

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
	"github.com/ikemu/ikemu/pkg/wire"
)

// pskAuth: a preshared key and the end's address as identity.
type pskAuth struct {
	addr netip.Addr
	key  []byte
}

func (a pskAuth) PresharedKey(netip.Addr, *isakmp.ID) ([]byte, error) { return a.key, nil }

func (a pskAuth) Identity(ikealg.AuthMethod) (*ikev1.Identity, error) {
	return &ikev1.Identity{ID: ikev1.AddressIdentity(a.addr)}, nil
}

func (a pskAuth) VerifyPeer(ikealg.AuthMethod, isakmp.ID, [][]byte, []byte, []byte) error {
	return errors.New("preshared keys only")
}

// charonSide is one charon on side B of a fresh NetPair, for ikemu on A.
func charonSide(t testing.TB, conf func(local, remote string) string) (*NetPair, *Charon) {
	t.Helper()
	net, err := NewNetPair("wire")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(net.Close)
	c, err := StartCharon(net.B.NS, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	if err := c.Load(conf(net.B.Addr, net.A.Addr)); err != nil {
		t.Fatal(err)
	}
	return net, c
}

// dialFrom opens a wire.Link from side a's address, port 500, to b's.
func dialFrom(t testing.TB, a, b Side) *wire.Link {
	t.Helper()
	var l *wire.Link
	err := InNetns(a.NS, func() error {
		var err error
		l, err = wire.Dial(netip.MustParseAddrPort(a.Addr+":500"), netip.MustParseAddrPort(b.Addr+":500"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// TestWireMainModeToCharon: pkg/ikev1's initiator over a wire.Link
// negotiates Main Mode PSK with charon; both derive the same keys and
// name the SA by the same cookies.
func TestWireMainModeToCharon(t *testing.T) {
	skipUnlessInterop(t)
	net, c := charonSide(t, func(l, r string) string {
		return pskConn(l, r, "aes128-sha1-modp2048", "aes128-sha1", "interop secret", false)
	})
	link := dialFrom(t, net.A, net.B)
	in, err := ikev1.NewInitiator(ikev1.InitiatorConfig{
		Mode:  ikev1.MainMode,
		Local: netip.MustParseAddr(net.A.Addr), Remote: netip.MustParseAddr(net.B.Addr),
		Suites: []ikev1.Suite{{Auth: ikealg.AuthPreshared, Cipher: ikealg.CipherAES, KeyBits: 128,
			Hash: ikealg.HashSHA1, Group: 14, LifetimeSecs: 3600}},
		Entropy: ikev1.ReaderEntropy{R: rand.Reader},
		Auth:    pskAuth{netip.MustParseAddr(net.A.Addr), []byte("interop secret")},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rec := &recording{Initiator: in}
	if err := link.Run(ctx, rec, wire.Retransmit{Init: time.Second, Max: 4 * time.Second, Limit: 3}); err != nil {
		t.Fatalf("Main Mode: %v\n%s", err, grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]"))
	}
	if err := rec.saveCorpus("main-mode"); err != nil {
		t.Fatal(err)
	}
	sa := in.SA()
	checkAgreement(t, c, sa)
}

// checkAgreement compares an ikemu phase 1 SA with what charon lists and
// logs.
func checkAgreement(t *testing.T, c *Charon, sa *ikev1.SA) {
	t.Helper()
	if sa == nil {
		t.Fatal("no SA")
	}
	out, err := c.Swanctl("--list-sas")
	if err != nil {
		t.Fatal(err)
	}
	sas := ListedIKESAs(out)
	if len(sas) != 1 || sas[0].State != "ESTABLISHED" {
		t.Fatalf("charon lists %v:\n%s", sas, out)
	}
	if sas[0].InitSPI != hex.EncodeToString(sa.CookieI[:]) || sas[0].RespSPI != hex.EncodeToString(sa.CookieR[:]) {
		t.Errorf("charon's SPIs %s_i %s_r, ikemu's cookies %x %x", sas[0].InitSPI, sas[0].RespSPI, sa.CookieI, sa.CookieR)
	}
	k, err := LoggedPhase1Keys(c.Log())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		name          string
		charon, ikemu []byte
	}{{"SKEYID", k.SKEYID, sa.SKEYID}, {"SKEYID_d", k.SKEYIDd, sa.SKEYIDd}, {"SKEYID_a", k.SKEYIDa, sa.SKEYIDa},
		{"SKEYID_e", k.SKEYIDe, sa.SKEYIDe}, {"encryption key", k.Ka, sa.EncKey}} {
		if !bytes.Equal(p.charon, p.ikemu) {
			t.Errorf("%s: charon %x, ikemu %x", p.name, p.charon, p.ikemu)
		}
	}
}
