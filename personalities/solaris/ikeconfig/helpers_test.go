package ikeconfig

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/pkg/engine"
)

// Building blocks for test configurations.
const (
	pskXform  = "p1_xform { encr_alg 3des auth_alg sha1 oakley_group 2 auth_method preshared }"
	certXform = "p1_xform { encr_alg aes auth_alg sha256 oakley_group 14 auth_method rsa_sig }"
	v4Addrs   = "local_addr 10.0.0.1 remote_addr 10.0.0.2"
	certIDs   = `local_id_type dn local_id "CN=me" remote_id "CN=peer"`
)

// pskRule is a minimal preshared rule with extra elements added.
func pskRule(extra string) string {
	return "{ label \"r\" " + v4Addrs + " " + extra + " " + pskXform + " }\n"
}

// certRule is a minimal certificate rule with extra elements added.
func certRule(extra string) string {
	return "{ label \"r\" " + v4Addrs + " " + certIDs + " " + extra + " " + certXform + " }\n"
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func one(s string) engine.AddrRange { return engine.AddrRange{First: addr(s), Last: addr(s)} }

func span(a, b string) engine.AddrRange { return engine.AddrRange{First: addr(a), Last: addr(b)} }

// pskPolicy is what pskRule("") parses to.
func pskPolicy() engine.Phase1Policy {
	return engine.Phase1Policy{
		Label:          "r",
		Mode:           engine.XchgAny,
		LocalIDType:    engine.IDIPv4,
		LocalAddrs:     []engine.AddrRange{one("10.0.0.1")},
		RemoteAddrs:    []engine.AddrRange{one("10.0.0.2")},
		P1NonceLen:     64,
		P2NonceLen:     64,
		P2LifetimeSecs: 28800,
		P2SoftSecs:     24000,
		P2IdleSecs:     13333,
		P2LifetimeKB:   29491200,
		P2SoftKB:       24576000,
		Transforms: []engine.Transform{{
			Auth: engine.AuthPreshared, Cipher: engine.Cipher3DES, Hash: engine.HashSHA1,
			Group: 2, LifetimeSecs: 3600,
		}},
		Origin: "solaris",
	}
}

// certPolicy is what certRule("") parses to.
func certPolicy() engine.Phase1Policy {
	p := pskPolicy()
	p.LocalIDType = engine.IDDN
	p.LocalIDs = engine.Selectors{Include: []string{"CN=me"}}
	p.RemoteIDs = engine.Selectors{Include: []string{"CN=peer"}}
	p.Transforms = []engine.Transform{{
		Auth: engine.AuthRSASig, Cipher: engine.CipherAES, KeyMin: 128, KeyMax: 256,
		Hash: engine.HashSHA256, Group: 14, LifetimeSecs: 3600,
	}}
	return p
}

// cmpOpts compares netip addresses by value.
func cmpOpts() cmp.Option {
	return cmp.Comparer(func(a, b netip.Addr) bool { return a == b })
}

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatalf("Parse: %v\ninput:\n%s", err, src)
	}
	return f
}

func mustParseRule(t *testing.T, src string) engine.Phase1Policy {
	t.Helper()
	f := mustParse(t, src)
	if len(f.Rules) != 1 {
		t.Fatalf("got %d rules, want 1", len(f.Rules))
	}
	return f.Rules[0]
}
