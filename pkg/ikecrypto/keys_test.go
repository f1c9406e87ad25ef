package ikecrypto

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/pkg/ikealg"
)

// side is one end of a simulated phase 1 exchange.
type side struct {
	key    *PrivateKey
	nonce  []byte
	cookie [8]byte
}

func newSide(t *testing.T, g *Group, seed byte) side {
	t.Helper()
	r := seeded(seed)
	k, err := g.GenerateKey(r)
	if err != nil {
		t.Fatal(err)
	}
	n, err := NewNonce(r, 32)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCookie(r)
	if err != nil {
		t.Fatal(err)
	}
	return side{k, n, c}
}

// derive computes the keys as the local end sees them: its own secret, the
// peer's public value from the wire, and its own PSK.
func derive(t *testing.T, local, peer side, initiator bool, psk string, m ikealg.AuthMethod) *Phase1Keys {
	t.Helper()
	gxy, err := local.key.SharedSecret(peer.key.PublicBytes())
	if err != nil {
		t.Fatal(err)
	}
	i, r := local, peer
	if !initiator {
		i, r = peer, local
	}
	k, err := DerivePhase1(Phase1Input{Method: m, Hash: ikealg.HashSHA256, PSK: []byte(psk),
		Ni: i.nonce, Nr: r.nonce, GXY: gxy, GXi: i.key.PublicBytes(), GXr: r.key.PublicBytes(),
		CookieI: i.cookie, CookieR: r.cookie, Cipher: ikealg.CipherAES, KeyBits: 256})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func keyFields(k *Phase1Keys) [][]byte {
	return [][]byte{k.SKEYID, k.SKEYIDd, k.SKEYIDa, k.SKEYIDe, k.EncKey, k.IV}
}

func TestPhase1BothEndsAgree(t *testing.T) {
	for _, n := range []int{2, 19, 24} {
		g := mustGroup(t, n)
		ini, res := newSide(t, g, 10), newSide(t, g, 11)
		for _, m := range []ikealg.AuthMethod{ikealg.AuthPreshared, ikealg.AuthRSASig, ikealg.AuthRSAEncrypt} {
			a := derive(t, ini, res, true, "secret", m)
			b := derive(t, res, ini, false, "secret", m)
			if d := cmp.Diff(keyFields(a), keyFields(b)); d != "" {
				t.Errorf("group %d method %d: ends disagree (-initiator +responder):\n%s", n, m, d)
			}
			sa, id := []byte("SA payload"), []byte{1, 0, 0, 0, 10, 0, 0, 1}
			if !bytes.Equal(a.HashI(sa, id), b.HashI(sa, id)) || !bytes.Equal(a.HashR(sa, id), b.HashR(sa, id)) {
				t.Errorf("group %d method %d: HASH_I/HASH_R disagree", n, m)
			}
		}
	}
}

func TestPhase1PSKMismatch(t *testing.T) {
	g := mustGroup(t, 14)
	ini, res := newSide(t, g, 12), newSide(t, g, 13)
	a := derive(t, ini, res, true, "secret", ikealg.AuthPreshared)
	b := derive(t, res, ini, false, "Secret", ikealg.AuthPreshared)
	for i, f := range keyFields(a)[:5] {
		if bytes.Equal(f, keyFields(b)[i]) {
			t.Errorf("field %d equal despite PSK mismatch", i)
		}
	}
	// The IV depends only on the public values, so it still matches.
	if !bytes.Equal(a.IV, b.IV) {
		t.Error("IV differs; it should not depend on the PSK")
	}
	if bytes.Equal(a.HashI(nil, nil), b.HashI(nil, nil)) {
		t.Error("HASH_I equal despite PSK mismatch")
	}
}

func validInput() Phase1Input {
	return Phase1Input{Method: ikealg.AuthPreshared, Hash: ikealg.HashSHA1, PSK: []byte("k"),
		Ni: make([]byte, 16), Nr: make([]byte, 16), GXY: []byte{1}, GXi: []byte{2}, GXr: []byte{3},
		CookieI: [8]byte{1}, CookieR: [8]byte{2}, Cipher: ikealg.Cipher3DES}
}

func TestDerivePhase1Errors(t *testing.T) {
	if _, err := DerivePhase1(validInput()); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	for _, c := range []struct {
		name string
		edit func(*Phase1Input)
		want error
	}{
		{"hash", func(in *Phase1Input) { in.Hash = ikealg.HashNone }, ErrUnknownHash},
		{"cipher", func(in *Phase1Input) { in.Cipher = ikealg.CipherNone }, ErrUnknownCipher},
		{"key bits", func(in *Phase1Input) { in.Cipher, in.KeyBits = ikealg.CipherAES, 100 }, ErrKeyLength},
		{"short Ni", func(in *Phase1Input) { in.Ni = in.Ni[:7] }, ErrNonceLength},
		{"long Nr", func(in *Phase1Input) { in.Nr = make([]byte, 257) }, ErrNonceLength},
		{"no g^xy", func(in *Phase1Input) { in.GXY = nil }, ErrPhase1Input},
		{"no g^xr", func(in *Phase1Input) { in.GXr = nil }, ErrPhase1Input},
		{"zero CKY-R", func(in *Phase1Input) { in.CookieR = [8]byte{} }, ErrPhase1Input},
		{"empty PSK", func(in *Phase1Input) { in.PSK = nil }, ErrPhase1Input},
		{"method", func(in *Phase1Input) { in.Method = 99 }, ErrPhase1Input},
		{"IV block", func(in *Phase1Input) { in.Hash, in.Cipher = ikealg.HashMD5, ikealg.CipherAES }, nil},
	} {
		in := validInput()
		c.edit(&in)
		k, err := DerivePhase1(in)
		if c.want == nil {
			if err != nil {
				t.Errorf("%s: unexpected %v", c.name, err)
			}
			continue
		}
		if k != nil || !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestCipherSizes(t *testing.T) {
	for _, c := range []struct {
		c             ikealg.Cipher
		bits, key, bs int
		ok            bool
	}{
		{ikealg.CipherDES, 0, 8, 8, true}, {ikealg.CipherDES, 64, 8, 8, true}, {ikealg.CipherDES, 128, 0, 0, false},
		{ikealg.Cipher3DES, 0, 24, 8, true}, {ikealg.Cipher3DES, 168, 24, 8, true},
		{ikealg.CipherBlowfish, 0, 16, 8, true}, {ikealg.CipherBlowfish, 448, 56, 8, true},
		{ikealg.CipherBlowfish, 20, 0, 0, false}, {ikealg.CipherBlowfish, 129, 0, 0, false},
		{ikealg.CipherAES, 0, 16, 16, true}, {ikealg.CipherAES, 192, 24, 16, true},
		{ikealg.CipherAES, 256, 32, 16, true}, {ikealg.CipherAES, 512, 0, 0, false},
		{ikealg.CipherNone, 0, 0, 0, false}, {99, 0, 0, 0, false},
	} {
		k, b, err := CipherSizes(c.c, c.bits)
		if k != c.key || b != c.bs || (err == nil) != c.ok {
			t.Errorf("CipherSizes(%d, %d) = %d, %d, %v", c.c, c.bits, k, b, err)
		}
	}
}

func TestExpandKey(t *testing.T) {
	p, err := NewPRF(ikealg.HashMD5)
	if err != nil {
		t.Fatal(err)
	}
	e := bytes.Repeat([]byte{7}, 16)
	k1 := p.Sum(e, []byte{0})
	k2 := p.Sum(e, k1)
	k3 := p.Sum(e, k2)
	want := append(append(append([]byte{}, k1...), k2...), k3...)
	if got := ExpandKey(p, e, 40); !bytes.Equal(got, want[:40]) {
		t.Errorf("ExpandKey(40) = %x, want %x", got, want[:40])
	}
	if got := ExpandKey(p, e, 16); !bytes.Equal(got, e) {
		t.Error("ExpandKey of exactly |SKEYID_e| must not expand")
	}
	if got := ExpandKey(p, e, 0); len(got) != 0 {
		t.Error("ExpandKey(0) not empty")
	}
	if got := ExpandKey(PRF{}, e, 40); got != nil {
		t.Error("zero PRF expanded")
	}
}

func TestHashRSwapsRoles(t *testing.T) {
	p, _ := NewPRF(ikealg.HashSHA1)
	sk, gxi, gxr := []byte("skeyid"), []byte("gxi"), []byte("gxr")
	ci, cr := [8]byte{1}, [8]byte{2}
	want := p.Sum(sk, gxr, gxi, cr[:], ci[:], []byte("sa"), []byte("id"))
	if got := HashR(p, sk, gxi, gxr, ci, cr, []byte("sa"), []byte("id")); !bytes.Equal(got, want) {
		t.Error("HashR does not swap initiator and responder values")
	}
	if bytes.Equal(HashI(p, sk, gxi, gxr, ci, cr, []byte("sa"), []byte("id")), want) {
		t.Error("HashI equals HashR")
	}
}

func TestPRFSelection(t *testing.T) {
	for h, size := range map[ikealg.Hash]int{ikealg.HashMD5: 16, ikealg.HashSHA1: 20,
		ikealg.HashSHA256: 32, ikealg.HashSHA384: 48, ikealg.HashSHA512: 64} {
		p, err := NewPRF(h)
		if err != nil || p.Size() != size || p.Alg() != h {
			t.Errorf("NewPRF(%d) = size %d alg %d, %v", h, p.Size(), p.Alg(), err)
		}
	}
	for _, h := range []ikealg.Hash{ikealg.HashNone, 1, 4, 8} {
		if _, err := NewPRF(h); !errors.Is(err, ErrUnknownHash) {
			t.Errorf("NewPRF(%d): %v", h, err)
		}
	}
	var zero PRF
	if zero.Sum([]byte("k")) != nil || zero.Digest() != nil || zero.Size() != 0 {
		t.Error("zero PRF produced output")
	}
	if _, err := Phase1IV(zero, nil, nil, 8); err == nil {
		t.Error("Phase1IV with zero PRF succeeded")
	}
	var nk *Phase1Keys
	if nk.HashI(nil, nil) != nil || nk.HashR(nil, nil) != nil {
		t.Error("nil Phase1Keys hashed")
	}
}

// TestKeyedPRF: a keyed PRF gives what Sum gives under its key, however
// often it is used, for keys shorter and longer than the hash's block.
func TestKeyedPRF(t *testing.T) {
	for _, alg := range []ikealg.Hash{ikealg.HashMD5, ikealg.HashSHA1, ikealg.HashSHA256, ikealg.HashSHA384, ikealg.HashSHA512} {
		prf, err := NewPRF(alg)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range [][]byte{{}, []byte("short"), bytes.Repeat([]byte{7}, 200)} {
			k := prf.Keyed(key)
			for i := range 4 {
				data := [][]byte{[]byte("a"), bytes.Repeat([]byte{byte(i)}, 100*i)}
				if got, want := k.Sum(data...), prf.Sum(key, data...); !bytes.Equal(got, want) {
					t.Errorf("hash %d, %d-byte key, use %d: %x, want %x", alg, len(key), i, got, want)
				}
			}
		}
	}
	if got := (PRF{}).Keyed([]byte("k")).Sum([]byte("x")); got != nil {
		t.Errorf("zero PRF keyed: %x, want nil", got)
	}
}
