package ikeconfig

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/pkg/engine"
)

// manPageExample is the example of spec 5.7 (the ike.config man page).
const manPageExample = `cert_root    "C=US, O=Sun Microsystems\\, Inc., CN=Sun CA"
p1_lifetime_secs 14400
p1_nonce_len 20
p1_xform { auth_method preshared oakley_group 5 auth_alg sha encr_alg 3des }
p2_pfs 2
{
   label "simple inheritor"
   local_id_type ip
   local_addr 10.1.1.1
   remote_addr 10.1.1.2
}
{
   label "host to .80 subnet"
   local_id_type ip
   local_id "10.1.86.51"
   remote_id ""
   local_addr 10.1.86.51
   remote_addr 10.1.80.0/24
   p1_xform { auth_method rsa_sig oakley_group 5 auth_alg md5 encr_alg 3des }
}
`

func TestParseManPageExample(t *testing.T) {
	base := engine.Phase1Policy{
		Mode:           engine.XchgAny,
		LocalIDType:    engine.IDIPv4,
		P1NonceLen:     20,
		P2NonceLen:     64,
		P2PFS:          2,
		P2LifetimeSecs: 28800,
		P2SoftSecs:     24000,
		P2IdleSecs:     13333,
		P2LifetimeKB:   29491200,
		P2SoftKB:       24576000,
		Origin:         "solaris",
	}
	r1, r2 := base, base
	r1.Label = "simple inheritor"
	r1.LocalAddrs = []engine.AddrRange{one("10.1.1.1")}
	r1.RemoteAddrs = []engine.AddrRange{one("10.1.1.2")}
	r1.Transforms = []engine.Transform{{
		Auth: engine.AuthPreshared, Cipher: engine.Cipher3DES, Hash: engine.HashSHA1,
		Group: 5, LifetimeSecs: 14400,
	}}
	r2.Label = "host to .80 subnet"
	r2.LocalIDs = engine.Selectors{Include: []string{"10.1.86.51"}}
	r2.RemoteIDs = engine.Selectors{Include: []string{""}}
	r2.LocalAddrs = []engine.AddrRange{one("10.1.86.51")}
	r2.RemoteAddrs = []engine.AddrRange{span("10.1.80.0", "10.1.80.255")}
	r2.Transforms = []engine.Transform{{
		Auth: engine.AuthRSASig, Cipher: engine.Cipher3DES, Hash: engine.HashMD5,
		Group: 5, LifetimeSecs: 14400,
	}}
	want := &File{
		Global: engine.GlobalConfig{
			Recorded: engine.ConfigDefaults{
				P1LifetimeSecs: 14400,
				P1NonceLen:     20,
				P2PFS:          2,
				P2SoftSecs:     24000,
				P2IdleSecs:     13333,
				P2SoftKB:       24576000,
			},
			CertRoot: []string{`C=US, O=Sun Microsystems\, Inc., CN=Sun CA`},
		},
		Rules:          []engine.Phase1Policy{r1, r2},
		P1LifetimeSecs: 14400,
	}
	got := mustParse(t, manPageExample)
	if diff := cmp.Diff(want, got, cmpOpts()); diff != "" {
		t.Errorf("man page example (-want +got):\n%s", diff)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "\n\n", "# only a comment\n", "// c++ comment"} {
		f := mustParse(t, src)
		if len(f.Rules) != 0 || len(f.Warnings) != 0 {
			t.Errorf("Parse(%q) = %+v, want nothing", src, f)
		}
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	if _, err := Parse(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("Parse(failing reader) error = %v, want %v", err, boom)
	}
}

func TestParseGlobals(t *testing.T) {
	src := `cert_root "root1"
cert_root "!root2"
cert_trust trusted1
cert_request "req1"
ignore_crls
use_http
ldap_server "ldap1:389"
ldap_server "ldap2"
proxy "http://proxy:8080"
socks "socks://s"
pkcs11_path "/usr/lib/libpkcs11.so"
max_certs 500
nat_t_port 4501
expire_timer 600
retry_limit 7
retry_timer_init 0.25
retry_timer_max 45
label_aware
wire_label inner
`
	f := mustParse(t, src)
	want := engine.GlobalConfig{
		Recorded:    engine.ConfigDefaults{MaxCerts: 500, NATTPort: 4501},
		CertRoot:    []string{"root1", "!root2"},
		CertTrust:   []string{"trusted1"},
		CertReq:     []string{"req1"},
		PKCS11Path:  "/usr/lib/libpkcs11.so",
		IgnoreCRLs:  true,
		UseHTTP:     true,
		LDAPServer:  "ldap2",
		Proxy:       "http://proxy:8080",
		Socks:       "socks://s",
		ExpireTimer: 600,
		RetryLimit:  7,

		RetryTimerInit: 250 * time.Millisecond,
		RetryTimerMax:  45 * time.Second,
	}
	if diff := cmp.Diff(want, f.Global); diff != "" {
		t.Errorf("globals (-want +got):\n%s", diff)
	}
	if f.RetryTimerInit != 250*time.Millisecond || f.RetryTimerMax != 45*time.Second {
		t.Errorf("retry timers = %v, %v; want 250ms, 45s", f.RetryTimerInit, f.RetryTimerMax)
	}
}

func TestParseWarnings(t *testing.T) {
	src := `ignore_crls
ignore_crls
use_http
use_http
proxy "a"
proxy "b"
socks "a"
socks "b"
pkcs11_path "x"
pkcs11_path "x"
pkcs11_path "y"
local_id_type ip
local_id_type dn
{ label "r" ` + v4Addrs + ` local_id_type ip
  local_id_type ipv4 ` + pskXform + ` }
`
	f := mustParse(t, src)
	want := []Warning{
		{2, warnIgnoreCRLs},
		{4, warnUseHTTP},
		{6, warnProxy},
		{8, warnSocks},
		{11, warnPKCS11},
		{15, msgHasIDType},
	}
	if diff := cmp.Diff(want, f.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	g := f.Global
	if g.Proxy != "a" || g.Socks != "a" || g.PKCS11Path != "y" {
		t.Errorf("proxy/socks/pkcs11 = %q/%q/%q; want first, first, last", g.Proxy, g.Socks, g.PKCS11Path)
	}
}

// TestParseRecorded checks what "get defaults" gets: first value wins for
// lifetimes, nonces and max_certs (transform lifetimes included), last for
// p2_pfs, and derived soft/idle values fill in after the first rule.
func TestParseRecorded(t *testing.T) {
	src := `p1_nonce_len 16
p1_nonce_len 32
p2_nonce_len 0
p2_nonce_len 24
max_certs 10
max_certs 20
p2_lifetime_secs 3600
p2_pfs 5
{ label "a" ` + v4Addrs + ` p2_lifetime_secs 7200 p2_lifetime_kb 4096
  p1_xform { encr_alg des auth_alg md5 oakley_group 1 auth_method preshared p1_lifetime_secs 999 } }
{ label "b" ` + v4Addrs + ` p2_pfs 14 p2_softlife_secs 1000 ` + pskXform + ` }
`
	f := mustParse(t, src)
	// Rule a is accepted before rule b's p2_softlife_secs is read, so the
	// soft lifetime recorded is the one derived for rule a: the global
	// 3600 s hard lifetime gives a global soft lifetime of 3240 s, which
	// rule a inherits.
	want := engine.ConfigDefaults{
		P1LifetimeSecs: 999,  // the transform's, the first seen
		P1NonceLen:     16,   // first value
		P2LifetimeSecs: 3600, // first value
		P2SoftSecs:     3240, // derived for rule a
		P2IdleSecs:     1800, // derived for rule a: 3240·5/9
		P2LifetimeKB:   4096, // first value
		P2SoftKB:       3686, // derived for rule a: 4096·9/10
		P2NonceLen:     24,   // 0 means "not set", so the later value counts
		P2PFS:          14,   // last value
		MaxCerts:       10,   // first value
	}
	if diff := cmp.Diff(want, f.Global.Recorded); diff != "" {
		t.Errorf("recorded (-want +got):\n%s", diff)
	}
	if f.Rules[0].P1NonceLen != 32 || f.Rules[0].P2NonceLen != 24 {
		t.Errorf("nonce lengths = %d/%d; want the last global values 32/24",
			f.Rules[0].P1NonceLen, f.Rules[0].P2NonceLen)
	}
}

func TestParseP1LifetimeCarryOver(t *testing.T) {
	rule := pskRule("")
	f, err := ParseWith(strings.NewReader(rule), Options{P1LifetimeSecs: 7200})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Rules[0].Transforms[0].LifetimeSecs; got != 7200 {
		t.Errorf("carried-over default: lifetime %d, want 7200", got)
	}
	if f.P1LifetimeSecs != 7200 || f.Global.Recorded.P1LifetimeSecs != 0 {
		t.Errorf("P1LifetimeSecs %d, recorded %d; want 7200 kept, 0 recorded",
			f.P1LifetimeSecs, f.Global.Recorded.P1LifetimeSecs)
	}
	f = mustParse(t, "p1_lifetime_secs 30\n"+rule)
	if f.P1LifetimeSecs != 60 || f.Rules[0].Transforms[0].LifetimeSecs != 60 ||
		f.Global.Recorded.P1LifetimeSecs != 30 {
		t.Errorf("p1_lifetime_secs 30: default %d, xform %d, recorded %d; want 60, 60, 30",
			f.P1LifetimeSecs, f.Rules[0].Transforms[0].LifetimeSecs, f.Global.Recorded.P1LifetimeSecs)
	}
}

// TestParseXformLifetimeOrder checks that a transform takes the global
// lifetime default in force where it is written.
func TestParseXformLifetimeOrder(t *testing.T) {
	src := "p1_xform { encr_alg des auth_alg md5 oakley_group 1 auth_method preshared }\n" +
		"p1_lifetime_secs 500\n" +
		"p1_xform { encr_alg des auth_alg md5 oakley_group 2 auth_method preshared }\n" +
		"{ label \"r\" " + v4Addrs + " }"
	p := mustParseRule(t, src)
	if p.Transforms[0].LifetimeSecs != 3600 || p.Transforms[1].LifetimeSecs != 500 {
		t.Errorf("lifetimes %d, %d; want 3600, 500", p.Transforms[0].LifetimeSecs, p.Transforms[1].LifetimeSecs)
	}
}
