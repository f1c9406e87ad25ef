// Known-answer tests. The expected values in testdata/kat.json were NOT
// produced by this package: they come from testdata/kat.py, a separate
// implementation that uses only the Python 3.11.7 standard library
// (hashlib, hmac and the built-in big-integer pow), generated with
//
//	cd pkg/ikecrypto && python3 testdata/kat.py > testdata/kat.json
//
// The script rebuilds the MODP safe primes from the pi formula of RFC 2409
// and RFC 3526 and checks them prime, checks the RFC 5114 parameters
// structurally, computes ECP values with its own affine point arithmetic
// (first checked against the RFC 5903 section 8 vectors, which are also
// carried in the JSON), and computes HMAC, SKEYID, SKEYID_d/a/e, the
// appendix B key expansion, the IV and HASH_I/HASH_R from fixed inputs
// (fixed exponents, nonces, cookies and PSK derived from SHAKE-256 labels).
// The "generator" field of the JSON records the Python version.
package ikecrypto

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/ikemu/ikemu/pkg/ikealg"
)

type katDH struct {
	Group                 int
	XI, XR, GXI, GXR, GXY hexBytes
}

type katPRF struct {
	Hash                   ikealg.Hash
	Key, Data, MAC, Digest hexBytes
}

type katPhase1 struct {
	Name                        string
	Method                      ikealg.AuthMethod
	Hash                        ikealg.Hash
	Cipher                      ikealg.Cipher
	KeyBits                     int
	PSK, Ni, Nr, GXI, GXR, GXY  hexBytes
	CkyI, CkyR, SAi, IDii, IDir hexBytes
	SKEYID                      hexBytes
	SKEYIDd                     hexBytes `json:"skeyid_d"`
	SKEYIDa                     hexBytes `json:"skeyid_a"`
	SKEYIDe                     hexBytes `json:"skeyid_e"`
	Key, IV                     hexBytes
	HashI                       hexBytes `json:"hash_i"`
	HashR                       hexBytes `json:"hash_r"`
}

type katFile struct {
	Generator string
	MODP      map[string]struct{ P, G, Q string }
	DH        []katDH
	RFC5903   []katDH
	PRF       []katPRF
	Phase1    []katPhase1
}

// hexBytes decodes the JSON hex strings.
type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := hex.DecodeString(s)
	*h = v
	return err
}

var loadKAT = sync.OnceValues(func() (*katFile, error) {
	b, err := os.ReadFile("testdata/kat.json")
	if err != nil {
		return nil, err
	}
	var k katFile
	return &k, json.Unmarshal(b, &k)
})

func kat(t *testing.T) *katFile {
	t.Helper()
	k, err := loadKAT()
	if err != nil {
		t.Fatalf("testdata/kat.json: %v", err)
	}
	return k
}

func mustGroup(t testing.TB, n int) *Group {
	t.Helper()
	g, err := LookupGroup(n)
	if err != nil {
		t.Fatalf("LookupGroup(%d): %v", n, err)
	}
	return g
}

func TestKATGenerator(t *testing.T) {
	if k := kat(t); k.Generator == "" || len(k.DH) == 0 || len(k.Phase1) == 0 {
		t.Fatalf("kat.json incomplete: generator %q, %d DH, %d phase 1", k.Generator, len(k.DH), len(k.Phase1))
	}
}

// The Go tables must match the primes the script rebuilt from pi (and the
// RFC 5114 values it checked), for every MODP group.
func TestKATGroupParameters(t *testing.T) {
	k := kat(t)
	if len(k.MODP) != 11 {
		t.Fatalf("kat.json has %d MODP groups, want 11", len(k.MODP))
	}
	for num, want := range k.MODP {
		n, _ := strconv.Atoi(num)
		g := mustGroup(t, n)
		if got := hex.EncodeToString(g.p.FillBytes(make([]byte, g.PublicLen()))); got != want.P {
			t.Errorf("group %d: p differs from kat.py", n)
		}
		if got := g.g.Text(16); got != want.G {
			t.Errorf("group %d: g = %s, want %s", n, got, want.G)
		}
		if want.Q != "" && (g.q == nil || g.q.Text(16) != want.Q) {
			t.Errorf("group %d: q differs from kat.py", n)
		}
		if want.Q == "" && g.q != nil {
			t.Errorf("group %d: unexpected q", n)
		}
	}
}

func checkDHVector(t *testing.T, v katDH) {
	t.Helper()
	g := mustGroup(t, v.Group)
	ki, err := g.NewPrivateKey(v.XI)
	if err != nil {
		t.Fatalf("NewPrivateKey(xi): %v", err)
	}
	if got := ki.PublicBytes(); !bytes.Equal(got, v.GXI) {
		t.Errorf("g^xi = %x\nwant   %x", got, v.GXI)
	}
	z, err := ki.SharedSecret(v.GXR)
	if err != nil || !bytes.Equal(z, v.GXY) {
		t.Errorf("initiator g^xy = %x, %v\nwant             %x", z, err, v.GXY)
	}
	if len(v.XR) == 0 {
		return // RFC 5903 8.2 publishes no responder secret
	}
	kr, err := g.NewPrivateKey(v.XR)
	if err != nil {
		t.Fatalf("NewPrivateKey(xr): %v", err)
	}
	if got := kr.PublicBytes(); !bytes.Equal(got, v.GXR) {
		t.Errorf("g^xr = %x\nwant   %x", got, v.GXR)
	}
	z, err = kr.SharedSecret(v.GXI)
	if err != nil || !bytes.Equal(z, v.GXY) {
		t.Errorf("responder g^xy = %x, %v\nwant             %x", z, err, v.GXY)
	}
}

func TestKATDiffieHellman(t *testing.T) {
	k := kat(t)
	seen := map[int]bool{}
	for _, v := range k.DH {
		seen[v.Group] = true
		t.Run(strconv.Itoa(v.Group), func(t *testing.T) { checkDHVector(t, v) })
	}
	for _, n := range SupportedGroups() {
		if !seen[n] {
			t.Errorf("no KAT for group %d", n)
		}
	}
}

// The script searched for exponents whose values start with a zero octet
// in groups 2 and 19, so that the padding is really exercised.
func TestKATCoversLeadingZeros(t *testing.T) {
	for _, v := range kat(t).DH {
		if (v.Group == 2 || v.Group == 19) && (v.GXI[0] != 0 || v.GXY[0] != 0) {
			t.Errorf("group %d: KAT lacks a leading zero octet", v.Group)
		}
	}
}

func TestKATRFC5903(t *testing.T) {
	for _, v := range kat(t).RFC5903 {
		t.Run(strconv.Itoa(v.Group), func(t *testing.T) { checkDHVector(t, v) })
	}
}

func TestKATPRF(t *testing.T) {
	for _, v := range kat(t).PRF {
		p, err := NewPRF(v.Hash)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Sum(v.Key, v.Data[:10], v.Data[10:]); !bytes.Equal(got, v.MAC) {
			t.Errorf("hash %d key %d bytes: prf = %x, want %x", v.Hash, len(v.Key), got, v.MAC)
		}
		if got := p.Digest(v.Data); !bytes.Equal(got, v.Digest) {
			t.Errorf("hash %d: digest = %x, want %x", v.Hash, got, v.Digest)
		}
		if p.Size() != len(v.MAC) {
			t.Errorf("hash %d: Size = %d, want %d", v.Hash, p.Size(), len(v.MAC))
		}
	}
}

func (v katPhase1) input() Phase1Input {
	in := Phase1Input{Method: v.Method, Hash: v.Hash, PSK: v.PSK, Ni: v.Ni, Nr: v.Nr,
		GXY: v.GXY, GXi: v.GXI, GXr: v.GXR, Cipher: v.Cipher, KeyBits: v.KeyBits}
	copy(in.CookieI[:], v.CkyI)
	copy(in.CookieR[:], v.CkyR)
	return in
}

func TestKATPhase1(t *testing.T) {
	for _, v := range kat(t).Phase1 {
		t.Run(v.Name, func(t *testing.T) {
			k, err := DerivePhase1(v.input())
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name      string
				got, want []byte
			}{
				{"SKEYID", k.SKEYID, v.SKEYID},
				{"SKEYID_d", k.SKEYIDd, v.SKEYIDd},
				{"SKEYID_a", k.SKEYIDa, v.SKEYIDa},
				{"SKEYID_e", k.SKEYIDe, v.SKEYIDe},
				{"key", k.EncKey, v.Key},
				{"IV", k.IV, v.IV},
				{"HASH_I", k.HashI(v.SAi, v.IDii), v.HashI},
				{"HASH_R", k.HashR(v.SAi, v.IDir), v.HashR},
			} {
				if !bytes.Equal(c.got, c.want) {
					t.Errorf("%s = %x\nwant %x", c.name, c.got, c.want)
				}
			}
		})
	}
}

// The phase 1 vectors must exercise both branches of appendix B.
func TestKATPhase1CoversExpansion(t *testing.T) {
	var expanded, truncated bool
	for _, v := range kat(t).Phase1 {
		if len(v.Key) > len(v.SKEYIDe) {
			expanded = true
		} else {
			truncated = true
		}
	}
	if !expanded || !truncated {
		t.Errorf("expanded=%v truncated=%v, want both", expanded, truncated)
	}
}
