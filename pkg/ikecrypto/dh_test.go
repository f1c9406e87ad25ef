package ikecrypto

import (
	"bytes"
	"errors"
	"io"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// seeded stands in for the lab's seeded reader.
func seeded(n byte) io.Reader {
	var seed [32]byte
	seed[0] = n
	return rand.NewChaCha8(seed)
}

// zeroReader never yields an acceptable private value or cookie.
type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

func TestSupportedGroups(t *testing.T) {
	want := []int{1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}
	if got := SupportedGroups(); !slices.Equal(got, want) {
		t.Errorf("SupportedGroups = %v, want %v", got, want)
	}
}

func TestLookupGroupRefusals(t *testing.T) {
	for _, c := range []struct {
		n    int
		want error
	}{
		{3, ErrGroupUnsupported}, {4, ErrGroupUnsupported},
		{25, ErrGroupUnsupported}, {26, ErrGroupUnsupported},
		{0, ErrUnknownGroup}, {6, ErrUnknownGroup}, {27, ErrUnknownGroup}, {-1, ErrUnknownGroup},
	} {
		g, err := LookupGroup(c.n)
		if g != nil || !errors.Is(err, c.want) {
			t.Errorf("LookupGroup(%d) = %v, %v; want %v", c.n, g, err, c.want)
			continue
		}
		var ge *GroupError
		if !errors.As(err, &ge) || ge.Number != c.n {
			t.Errorf("LookupGroup(%d): error %v does not carry the number", c.n, err)
		}
		if !bytes.Contains([]byte(err.Error()), []byte(strconv.Itoa(c.n))) {
			t.Errorf("LookupGroup(%d): message %q lacks the number", c.n, err)
		}
	}
}

func TestLookupGroupReturnsCopies(t *testing.T) {
	g := mustGroup(t, 14)
	g.Name, g.Bits = "changed", 1
	if h := mustGroup(t, 14); h.Name != "2048-bit MODP group" || h.Bits != 2048 {
		t.Errorf("LookupGroup shares state: %q %d", h.Name, h.Bits)
	}
}

func TestGroupSizes(t *testing.T) {
	for _, c := range []struct{ n, bits, pub, shared int }{
		{1, 768, 96, 96}, {2, 1024, 128, 128}, {5, 1536, 192, 192},
		{14, 2048, 256, 256}, {15, 3072, 384, 384}, {16, 4096, 512, 512},
		{17, 6144, 768, 768}, {18, 8192, 1024, 1024},
		{19, 256, 64, 32}, {20, 384, 96, 48}, {21, 521, 132, 66},
		{22, 1024, 128, 128}, {23, 2048, 256, 256}, {24, 2048, 256, 256},
	} {
		g := mustGroup(t, c.n)
		if g.Number != c.n || g.Bits != c.bits || g.PublicLen() != c.pub || g.SharedLen() != c.shared {
			t.Errorf("group %d: bits %d pub %d shared %d, want %d %d %d",
				c.n, g.Bits, g.PublicLen(), g.SharedLen(), c.bits, c.pub, c.shared)
		}
		if g.IsECP() != (c.n >= 19 && c.n <= 21) {
			t.Errorf("group %d: IsECP = %v", c.n, g.IsECP())
		}
	}
}

// The tables are also checked structurally, independently of kat.py:
// safe primes for 1-14 (larger ones cost too much test time; kat.py checks
// them), and p, q prime with g of order q for 22-24.
func TestGroupStructure(t *testing.T) {
	for _, n := range []int{1, 2, 5, 14} {
		g := mustGroup(t, n)
		half := new(big.Int).Rsh(g.p, 1)
		if !g.p.ProbablyPrime(1) || !half.ProbablyPrime(1) {
			t.Errorf("group %d: p is not a safe prime", n)
		}
	}
	for _, n := range []int{22, 23, 24} {
		g := mustGroup(t, n)
		rem := new(big.Int).Mod(new(big.Int).Sub(g.p, bigOne), g.q)
		gq := new(big.Int).Exp(g.g, g.q, g.p)
		if !g.p.ProbablyPrime(1) || !g.q.ProbablyPrime(1) || rem.Sign() != 0 || gq.Cmp(bigOne) != 0 {
			t.Errorf("group %d: bad subgroup structure", n)
		}
	}
}

func TestDHAgreementAllGroups(t *testing.T) {
	for _, n := range SupportedGroups() {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			g := mustGroup(t, n)
			a, err := g.GenerateKey(seeded(1))
			if err != nil {
				t.Fatal(err)
			}
			b, err := g.GenerateKey(seeded(2))
			if err != nil {
				t.Fatal(err)
			}
			za, errA := a.SharedSecret(b.PublicBytes())
			zb, errB := b.SharedSecret(a.PublicBytes())
			if errA != nil || errB != nil || !bytes.Equal(za, zb) {
				t.Fatalf("ends disagree: %x (%v) vs %x (%v)", za, errA, zb, errB)
			}
			if len(za) != g.SharedLen() || len(a.PublicBytes()) != g.PublicLen() {
				t.Errorf("lengths: shared %d public %d", len(za), len(a.PublicBytes()))
			}
		})
	}
}

// Determinism: a seeded reader reproduces the key, for ECP in particular
// (crypto/ecdh's own GenerateKey would ignore the reader), and different
// seeds give different keys.
func TestGenerateKeyDeterministic(t *testing.T) {
	for _, n := range []int{2, 14, 19, 20, 21, 22, 24} {
		g := mustGroup(t, n)
		k1, err1 := g.GenerateKey(seeded(7))
		k2, err2 := g.GenerateKey(seeded(7))
		k3, err3 := g.GenerateKey(seeded(8))
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatalf("group %d: %v", n, err)
		}
		if !bytes.Equal(k1.PublicBytes(), k2.PublicBytes()) {
			t.Errorf("group %d: same seed, different public values", n)
		}
		if bytes.Equal(k1.PublicBytes(), k3.PublicBytes()) {
			t.Errorf("group %d: different seeds, same public value", n)
		}
	}
}

// GenerateKey must use exactly the reader's bytes as the private value
// (after masking the excess top bits), so the result equals NewPrivateKey.
func TestGenerateKeyUsesReaderBytes(t *testing.T) {
	for _, c := range []struct {
		n     int
		value string
	}{
		{19, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		{21, "015a" + "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a" +
			"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"},
		{14, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011223344556677"},
		{22, "0102030405060708090a0b0c0d0e0f1011121314"},
	} {
		b := mustHex(t, c.value)
		g := mustGroup(t, c.n)
		got, err := g.GenerateKey(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("group %d: %v", c.n, err)
		}
		want, err := g.NewPrivateKey(b)
		if err != nil {
			t.Fatalf("group %d: %v", c.n, err)
		}
		if !bytes.Equal(got.PublicBytes(), want.PublicBytes()) {
			t.Errorf("group %d: GenerateKey did not use the reader's bytes", c.n)
		}
	}
}

func TestGenerateKeyBadReader(t *testing.T) {
	for _, n := range []int{2, 14, 19, 21, 23} {
		g := mustGroup(t, n)
		if _, err := g.GenerateKey(zeroReader{}); !errors.Is(err, ErrRandomSource) {
			t.Errorf("group %d, zero reader: %v", n, err)
		}
		if _, err := g.GenerateKey(nil); !errors.Is(err, ErrRandomSource) {
			t.Errorf("group %d, nil reader: %v", n, err)
		}
		if _, err := g.GenerateKey(bytes.NewReader([]byte{1, 2, 3})); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("group %d, short reader: %v", n, err)
		}
	}
	var zero Group
	if _, err := zero.GenerateKey(seeded(1)); err == nil {
		t.Error("zero Group generated a key")
	}
	var nilGroup *Group
	if _, err := nilGroup.NewPrivateKey([]byte{1}); err == nil {
		t.Error("nil Group built a key")
	}
}

func TestNewPrivateKeyRange(t *testing.T) {
	g14, g22, g19 := mustGroup(t, 14), mustGroup(t, 22), mustGroup(t, 19)
	pm1 := new(big.Int).Sub(g14.p, bigOne).Bytes()
	for _, c := range []struct {
		g  *Group
		b  []byte
		ok bool
	}{
		{g14, nil, false}, {g14, []byte{0, 0}, false}, {g14, []byte{1}, true},
		{g14, pm1, false}, {g14, new(big.Int).Sub(g14.p, big.NewInt(2)).Bytes(), true},
		{g22, g22.q.Bytes(), false}, {g22, new(big.Int).Sub(g22.q, bigOne).Bytes(), true},
		{g19, make([]byte, 32), false}, {g19, []byte{1}, false},
	} {
		_, err := c.g.NewPrivateKey(c.b)
		if (err == nil) != c.ok {
			t.Errorf("group %d NewPrivateKey(%x): err %v, want ok=%v", c.g.Number, c.b, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidPrivate) {
			t.Errorf("group %d: error %v does not wrap ErrInvalidPrivate", c.g.Number, err)
		}
	}
}

func padded(g *Group, v *big.Int) []byte {
	return v.FillBytes(make([]byte, g.PublicLen()))
}

func TestSharedSecretRejectsMODP(t *testing.T) {
	for _, n := range []int{2, 14, 22, 24} {
		g := mustGroup(t, n)
		k, err := g.GenerateKey(seeded(3))
		if err != nil {
			t.Fatal(err)
		}
		pm1 := new(big.Int).Sub(g.p, bigOne)
		bad := map[string][]byte{
			"empty":    nil,
			"short":    k.PublicBytes()[1:],
			"long":     append([]byte{0}, k.PublicBytes()...),
			"zero":     padded(g, big.NewInt(0)),
			"one":      padded(g, bigOne),
			"p-1":      padded(g, pm1),
			"p":        padded(g, g.p),
			"all ones": bytes.Repeat([]byte{0xff}, g.PublicLen()),
		}
		if g.q != nil {
			// 2 generates far more than the order-q subgroup.
			bad["outside subgroup"] = padded(g, big.NewInt(2))
		}
		for name, v := range bad {
			if z, err := k.SharedSecret(v); z != nil || !errors.Is(err, ErrInvalidPublic) {
				t.Errorf("group %d, %s: %x, %v", n, name, z, err)
			}
		}
	}
}

func TestSharedSecretRejectsECP(t *testing.T) {
	for _, n := range []int{19, 20, 21} {
		g := mustGroup(t, n)
		k, err := g.GenerateKey(seeded(4))
		if err != nil {
			t.Fatal(err)
		}
		pub := k.PublicBytes()
		offCurve := slices.Clone(pub)
		offCurve[len(offCurve)-1] ^= 1
		for name, v := range map[string][]byte{
			"empty":     nil,
			"sec1 form": append([]byte{4}, pub...),
			"x only":    pub[:g.SharedLen()],
			"zeros":     make([]byte, g.PublicLen()),
			"off curve": offCurve,
			"all ones":  bytes.Repeat([]byte{0xff}, g.PublicLen()),
		} {
			if z, err := k.SharedSecret(v); z != nil || !errors.Is(err, ErrInvalidPublic) {
				t.Errorf("group %d, %s: %x, %v", n, name, z, err)
			}
		}
	}
}

func TestPrivateKeyNil(t *testing.T) {
	var k *PrivateKey
	if k.PublicBytes() != nil || k.Group() != nil {
		t.Error("nil key returned data")
	}
	if _, err := k.SharedSecret([]byte{1}); err == nil {
		t.Error("nil key computed a secret")
	}
	if _, err := (&PrivateKey{}).SharedSecret([]byte{1}); err == nil {
		t.Error("zero key computed a secret")
	}
}

func TestPublicBytesIsACopy(t *testing.T) {
	k, err := mustGroup(t, 19).GenerateKey(seeded(5))
	if err != nil {
		t.Fatal(err)
	}
	p := k.PublicBytes()
	p[0] ^= 0xff
	if bytes.Equal(p, k.PublicBytes()) {
		t.Error("PublicBytes exposes internal state")
	}
	if k.Group().Number != 19 {
		t.Error("Group() lost the number")
	}
}
