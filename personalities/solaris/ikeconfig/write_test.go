package ikeconfig

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/pkg/engine"
)

func writeString(t *testing.T, p *engine.Phase1Policy) string {
	t.Helper()
	var b strings.Builder
	if err := WriteRule(&b, p); err != nil {
		t.Fatalf("WriteRule: %v", err)
	}
	return b.String()
}

func TestWriteRuleFormat(t *testing.T) {
	p := certPolicy()
	p.Label = `host "a" \ b`
	p.Mode = engine.XchgMain
	p.LocalAddrs = []engine.AddrRange{one("10.1.86.51"), span("10.1.87.0", "10.1.87.255")}
	p.RemoteAddrs = []engine.AddrRange{span("10.1.80.0", "10.1.80.255")}
	p.LocalIDs = engine.Selectors{Include: []string{"CN=me"}, Exclude: []string{"CN=old"}}
	p.RemoteIDs = engine.Selectors{Include: []string{""}}
	p.P2PFS = 5
	p.Transforms = append(p.Transforms, engine.Transform{
		Auth: engine.AuthRevRSAEncrypt, Cipher: engine.CipherBlowfish, Hash: engine.HashSHA512,
		Group: 20, LifetimeSecs: 60,
	})
	want := "{\n" +
		"\tlabel\t\"host \\\"a\\\" \\\\ b\"\n" +
		"\tlocal_id_type\tdn\n" +
		"\tp1_mode\tmain\n" +
		"\tlocal_addr\t10.1.86.51\n" +
		"\tlocal_addr\t10.1.87.0 - 10.1.87.255\n" +
		"\tremote_addr\t10.1.80.0 - 10.1.80.255\n" +
		"\tlocal_id\t\"CN=me\"\n" +
		"\tlocal_id\t\"!CN=old\"\n" +
		"\tremote_id\t\"\"\n" +
		"\tp2_lifetime_secs\t28800\n" +
		"\tp2_softlife_secs\t24000\n" +
		"\tp2_idletime_secs\t13333\n" +
		"\tp2_lifetime_kb\t29491200\n" +
		"\tp2_softlife_kb\t24576000\n" +
		"\tp2_pfs\t5\n" +
		"\tp1_xform { encr_alg aes-cbc auth_alg sha256 oakley_group 14 auth_method rsa_sig p1_lifetime_secs 3600 }\n" +
		"\tp1_xform { encr_alg blowfish-cbc auth_alg sha512 oakley_group 20 auth_method improved_rsa_encrypt p1_lifetime_secs 60 }\n" +
		"}\n"
	if diff := cmp.Diff(want, writeString(t, &p)); diff != "" {
		t.Errorf("WriteRule (-want +got):\n%s", diff)
	}
}

func TestWriteRuleNames(t *testing.T) {
	p := pskPolicy()
	p.LocalIDType = engine.IDIPv6
	p.Mode = engine.XchgAggressive
	p.LocalAddrs = []engine.AddrRange{span("fe80::", "fe80::ffff")}
	p.RemoteAddrs = []engine.AddrRange{one("::1")}
	p.Transforms = []engine.Transform{
		{Auth: engine.AuthPreshared, Cipher: engine.CipherDES, Hash: engine.HashMD5, Group: 1, LifetimeSecs: 100},
		{Auth: engine.AuthDSSSig, Cipher: engine.Cipher3DES, Hash: engine.HashSHA1, Group: 2, LifetimeSecs: 100},
		{Auth: engine.AuthRSAEncrypt, Cipher: engine.CipherAES, KeyMin: 192, KeyMax: 256,
			Hash: engine.HashSHA384, Group: 5, LifetimeSecs: 100},
	}
	got := writeString(t, &p)
	for _, want := range []string{
		"\tlocal_id_type\tipv6\n",
		"\tp1_mode\taggressive\n",
		"\tlocal_addr\tfe80:: - fe80::ffff\n",
		"\tremote_addr\t::1\n",
		"encr_alg des-cbc auth_alg md5 oakley_group 1 auth_method preshared",
		"encr_alg 3des-cbc auth_alg sha1 oakley_group 2 auth_method dss_sig",
		"encr_alg aes-cbc auth_alg sha384 oakley_group 5 auth_method rsa_encrypt",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for kind, word := range map[engine.IDKind]string{
		engine.IDIPv4: "ip", engine.IDIPv4Prefix: "ipv4_prefix", engine.IDIPv6Prefix: "ipv6_prefix",
		engine.IDIPv4Range: "ipv4_range", engine.IDIPv6Range: "ipv6_range", engine.IDFQDN: "fqdn",
		engine.IDUserFQDN: "user_fqdn", engine.IDGN: "gn", engine.IDKeyID: "keyid",
	} {
		p.LocalIDType = kind
		if got := writeString(t, &p); !strings.Contains(got, "\tlocal_id_type\t"+word+"\n") {
			t.Errorf("kind %d: output lacks %q:\n%s", kind, word, got)
		}
	}
	p.LocalIDType, p.Mode = engine.IDUnset, engine.XchgAny
	if got := writeString(t, &p); strings.Contains(got, "local_id_type") || strings.Contains(got, "p1_mode") {
		t.Errorf("unset id type / any mode written:\n%s", got)
	}
}

// roundTripFile has one rule of every shape; it sets no nonce lengths,
// which are globals and not written.
const roundTripFile = `p1_lifetime_secs 7200
p2_pfs 2
p2_lifetime_secs 14400
local_id "CN=global"
remote_id "CN=gpeer"
{ label "plain" local_addr 10.0.0.1 remote_addr 10.0.0.2
  p1_xform { encr_alg 3des auth_alg sha oakley_group 2 auth_method preshared } }
{ label "ranges \"q\" \\" local_id_type ipv4_range p1_mode main
  local_addr 10.0.0.0/8 local_addr 11.0.0.1-11.0.0.9 remote_addr 0.0.0.0/0
  p2_lifetime_secs 3600 p2_softlife_secs 3600 p2_pfs 0 local_id "!x"
  p1_xform { encr_alg des auth_alg md5 oakley_group 1 auth_method preshared p1_lifetime_secs 30 }
  p1_xform { encr_alg blowfish auth_alg sha512 oakley_group 26 auth_method preshared } }
{ label v6 local_id_type ipv6_prefix p1_mode aggressive
  local_addr fe80::/10 remote_addr ::/0 remote_addr 2001:db8::1
  p2_idletime_secs 31 p2_lifetime_kb 536870912 p2_pfs 24
  p1_xform { encr_alg aes auth_alg sha384 oakley_group 20 auth_method preshared } }
{ label "cert" local_id_type dn local_addr 10.0.0.1 remote_addr 10.0.0.0-10.0.0.255
  local_id "C=US, O=Ex\\, Inc." local_id "!CN=revoked" remote_id "" remote_id "!CN=evil"
  p2_softlife_kb 1000 p2_lifetime_kb 1024
  p1_xform { encr_alg aes auth_alg sha256 oakley_group 14 auth_method rsa_sig }
  p1_xform { encr_alg 3des auth_alg sha1 oakley_group 5 auth_method dss_sig }
  p1_xform { encr_alg 3des auth_alg md5 oakley_group 5 auth_method rsa_encrypt }
  p1_xform { encr_alg 3des auth_alg md5 oakley_group 5 auth_method improved_rsa_encrypt }
  p1_xform { encr_alg des auth_alg md5 oakley_group 5 auth_method preshared } }
{ label "inherits ids" local_id_type fqdn local_addr 10.0.0.1 remote_addr 10.0.0.2
  p1_xform { encr_alg aes auth_alg sha256 oakley_group 14 auth_method rsa_sig } }
`

func TestWriteRuleRoundTrip(t *testing.T) {
	f := mustParse(t, roundTripFile)
	if len(f.Rules) != 5 {
		t.Fatalf("got %d rules", len(f.Rules))
	}
	for i := range f.Rules {
		p := &f.Rules[i]
		out := writeString(t, p)
		back := mustParseRule(t, out)
		if diff := cmp.Diff(*p, back, cmpOpts()); diff != "" {
			t.Errorf("rule %q changed through write/read (-before +after):\n%s\nwritten:\n%s", p.Label, diff, out)
		}
		// Writing again gives the same text.
		if again := writeString(t, &back); again != out {
			t.Errorf("rule %q: second write differs:\n%s\nvs\n%s", p.Label, out, again)
		}
	}
}

// TestWriteRuleNotWritten checks what a write/read round trip loses: the
// AES key range (always read back as 128..256) and the nonce lengths,
// which are global parameters.
func TestWriteRuleNotWritten(t *testing.T) {
	src := "p1_nonce_len 20\np2_nonce_len 32\n" + `{ label "r" ` + v4Addrs +
		" p1_xform { encr_alg aes(192..256) auth_alg md5 oakley_group 2 auth_method preshared } }"
	p := mustParseRule(t, src)
	if x := p.Transforms[0]; x.KeyMin != 192 || x.KeyMax != 256 || p.P1NonceLen != 20 || p.P2NonceLen != 32 {
		t.Fatalf("parsed %+v", p)
	}
	out := writeString(t, &p)
	back := mustParseRule(t, out)
	want := p
	want.Transforms = []engine.Transform{p.Transforms[0]}
	want.Transforms[0].KeyMin, want.Transforms[0].KeyMax = 128, 256
	want.P1NonceLen, want.P2NonceLen = 64, 64
	if diff := cmp.Diff(want, back, cmpOpts()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s\nwritten:\n%s", diff, out)
	}
}

func TestWriteRuleErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *engine.Phase1Policy)
	}{
		{"newline in label", func(p *engine.Phase1Policy) { p.Label = "a\nb" }},
		{"newline in selector", func(p *engine.Phase1Policy) { p.RemoteIDs.Exclude = []string{"a\n"} }},
		{"include starting with !", func(p *engine.Phase1Policy) { p.LocalIDs.Include = []string{"!x"} }},
		{"invalid address", func(p *engine.Phase1Policy) { p.LocalAddrs = []engine.AddrRange{{}} }},
		{"zoned address", func(p *engine.Phase1Policy) {
			a := netip.MustParseAddr("fe80::1%eth0")
			p.LocalAddrs = []engine.AddrRange{{First: a, Last: a}}
		}},
		{"mixed range", func(p *engine.Phase1Policy) { p.LocalAddrs = []engine.AddrRange{span("10.0.0.1", "::1")} }},
		{"unknown cipher", func(p *engine.Phase1Policy) { p.Transforms[0].Cipher = 99 }},
		{"unknown hash", func(p *engine.Phase1Policy) { p.Transforms[0].Hash = engine.HashNone }},
		{"unknown method", func(p *engine.Phase1Policy) { p.Transforms[0].Auth = 0 }},
		{"negative group", func(p *engine.Phase1Policy) { p.Transforms[0].Group = -1 }},
		{"negative pfs", func(p *engine.Phase1Policy) { p.P2PFS = -1 }},
	}
	for _, tt := range tests {
		p := certPolicy()
		tt.edit(&p)
		var b strings.Builder
		if err := WriteRule(&b, &p); err == nil {
			t.Errorf("%s: WriteRule succeeded:\n%s", tt.name, b.String())
		} else if b.Len() != 0 {
			t.Errorf("%s: WriteRule wrote %d bytes before failing", tt.name, b.Len())
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteRuleWriterError(t *testing.T) {
	p := pskPolicy()
	if err := WriteRule(failWriter{}, &p); err == nil || err.Error() != "disk full" {
		t.Errorf("WriteRule error = %v, want the writer's", err)
	}
}
