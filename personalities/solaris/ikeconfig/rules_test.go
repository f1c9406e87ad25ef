package ikeconfig

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/pkg/engine"
)

// ruleCase is one rule-level grammar test: src parses to one policy equal
// to base() after edit.
type ruleCase struct {
	name string
	src  string
	base func() engine.Phase1Policy
	edit func(p *engine.Phase1Policy)
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.base()
			if tt.edit != nil {
				tt.edit(&want)
			}
			got := mustParseRule(t, tt.src)
			if diff := cmp.Diff(want, got, cmpOpts()); diff != "" {
				t.Errorf("(-want +got):\n%s\ninput:\n%s", diff, tt.src)
			}
		})
	}
}

func TestParseLabel(t *testing.T) {
	bare := strings.Replace(pskRule(""), `"r"`, "my-rule_1", 1)
	long := strings.Replace(pskRule(""), `"r"`, strings.Repeat("x", maxLabelLen), 1)
	runRuleCases(t, []ruleCase{
		{"quoted", pskRule(""), pskPolicy, nil},
		{"bare word", bare, pskPolicy, func(p *engine.Phase1Policy) { p.Label = "my-rule_1" }},
		{"escapes", strings.Replace(pskRule(""), `"r"`, `"a \"b\" \\c"`, 1), pskPolicy,
			func(p *engine.Phase1Policy) { p.Label = `a "b" \c` }},
		{"empty", strings.Replace(pskRule(""), `"r"`, `""`, 1), pskPolicy,
			func(p *engine.Phase1Policy) { p.Label = "" }},
		{"longest", long, pskPolicy, func(p *engine.Phase1Policy) { p.Label = strings.Repeat("x", maxLabelLen) }},
		{"label last", "{ " + v4Addrs + " " + pskXform + " label \"r\" }", pskPolicy, nil},
		{"multi-line rule with comments", "{\n  label \"r\" # the label\n  " +
			"local_addr 10.0.0.1 // local\n remote_addr\n 10.0.0.2\n" + pskXform + "\n}\n", pskPolicy, nil},
	})
}

func TestParseIDTypes(t *testing.T) {
	kinds := map[string]engine.IDKind{
		"ip": engine.IDIPv4, "IP": engine.IDIPv4, "ipv4": engine.IDIPv4, "ipv6": engine.IDIPv6,
		"ipv4_prefix": engine.IDIPv4Prefix, "ipv6_prefix": engine.IDIPv6Prefix,
		"ipv4_range": engine.IDIPv4Range, "ipv6_range": engine.IDIPv6Range,
		"dns": engine.IDFQDN, "DNS": engine.IDFQDN, "fqdn": engine.IDFQDN, "FQDN": engine.IDFQDN,
		"mbox": engine.IDUserFQDN, "MBOX": engine.IDUserFQDN, "email": engine.IDUserFQDN,
		"EMAIL": engine.IDUserFQDN, "user_fqdn": engine.IDUserFQDN,
		"dn": engine.IDDN, "DN": engine.IDDN, "gn": engine.IDGN, "GN": engine.IDGN,
	}
	var cases []ruleCase
	for word, kind := range kinds {
		src := "{ label \"r\" " + v4Addrs + ` local_id "CN=me" remote_id "CN=peer" local_id_type ` +
			word + " " + certXform + " }"
		cases = append(cases, ruleCase{word, src, certPolicy,
			func(p *engine.Phase1Policy) { p.LocalIDType = kind }})
	}
	for _, word := range []string{"ipv6", "ipv4_prefix", "ipv6_prefix", "ipv4_range", "ipv6_range"} {
		cases = append(cases, ruleCase{"preshared " + word, pskRule("local_id_type " + word), pskPolicy,
			func(p *engine.Phase1Policy) { p.LocalIDType = kinds[word] }})
	}
	cases = append(cases,
		ruleCase{"preshared defaults to ip", pskRule(""), pskPolicy, nil},
		ruleCase{"preshared ignores global type", "local_id_type dn\n" + pskRule(""), pskPolicy, nil},
		ruleCase{"certificate inherits global type", "local_id_type fqdn\n" +
			strings.Replace(certRule(""), "local_id_type dn", "", 1), certPolicy,
			func(p *engine.Phase1Policy) { p.LocalIDType = engine.IDFQDN }},
		ruleCase{"second type replaces", certRule("local_id_type gn"), certPolicy,
			func(p *engine.Phase1Policy) { p.LocalIDType = engine.IDGN }},
	)
	runRuleCases(t, cases)
}

func TestParseMode(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"absent is any", pskRule(""), pskPolicy, nil},
		{"main", pskRule("p1_mode main"), pskPolicy, func(p *engine.Phase1Policy) { p.Mode = engine.XchgMain }},
		{"aggressive", pskRule("p1_mode aggressive"), pskPolicy,
			func(p *engine.Phase1Policy) { p.Mode = engine.XchgAggressive }},
		{"last wins", pskRule("p1_mode aggressive p1_mode main"), pskPolicy,
			func(p *engine.Phase1Policy) { p.Mode = engine.XchgMain }},
		{"global", "p1_mode aggressive\n" + pskRule(""), pskPolicy,
			func(p *engine.Phase1Policy) { p.Mode = engine.XchgAggressive }},
		{"rule overrides global", "p1_mode aggressive\n" + pskRule("p1_mode main"), pskPolicy,
			func(p *engine.Phase1Policy) { p.Mode = engine.XchgMain }},
	})
}

// addrRule is a preshared rule with the given address elements.
func addrRule(addrs string) string {
	return "{ label \"r\" " + addrs + " " + pskXform + " }"
}

func TestParseAddresses(t *testing.T) {
	set := func(local []engine.AddrRange, remote ...engine.AddrRange) func(p *engine.Phase1Policy) {
		return func(p *engine.Phase1Policy) { p.LocalAddrs, p.RemoteAddrs = local, remote }
	}
	runRuleCases(t, []ruleCase{
		{"single", addrRule("local_addr 10.0.0.1 remote_addr 10.0.0.2"), pskPolicy, nil},
		{"range", addrRule("local_addr 10.0.0.1-10.0.0.9 remote_addr 10.0.1.1 - 10.0.1.1"), pskPolicy,
			set([]engine.AddrRange{span("10.0.0.1", "10.0.0.9")}, one("10.0.1.1"))},
		{"prefix", addrRule("local_addr 10.1.80.0/24 remote_addr 10.0.0.0 / 8"), pskPolicy,
			set([]engine.AddrRange{span("10.1.80.0", "10.1.80.255")}, span("10.0.0.0", "10.255.255.255"))},
		{"host prefix", addrRule("local_addr 10.0.0.1/32 remote_addr 10.0.0.2"), pskPolicy, nil},
		{"octal prefix", addrRule("local_addr 10.1.80.0/030 remote_addr 10.0.0.2"), pskPolicy,
			set([]engine.AddrRange{span("10.1.80.0", "10.1.80.255")}, one("10.0.0.2"))},
		{"mask", addrRule("local_addr 10.1.80.0/255.255.255.0 remote_addr 10.0.0.2"), pskPolicy,
			set([]engine.AddrRange{span("10.1.80.0", "10.1.80.255")}, one("10.0.0.2"))},
		{"non-contiguous mask", addrRule("local_addr 10.0.0.0/255.0.255.0 remote_addr 10.0.0.2"), pskPolicy,
			set([]engine.AddrRange{span("10.0.0.0", "10.255.0.255")}, one("10.0.0.2"))},
		{"any", addrRule("local_addr 0.0.0.0/0 remote_addr 0.0.0.0/0"), pskPolicy,
			set([]engine.AddrRange{span("0.0.0.0", "255.255.255.255")}, span("0.0.0.0", "255.255.255.255"))},
		{"accumulate", addrRule("local_addr 10.0.0.1 remote_addr 10.0.0.2 local_addr 10.0.0.3"), pskPolicy,
			set([]engine.AddrRange{one("10.0.0.1"), one("10.0.0.3")}, one("10.0.0.2"))},
		{"ipv6", addrRule("local_addr fe80::1 remote_addr 2001:db8::1-2001:db8::ff"), pskPolicy,
			set([]engine.AddrRange{one("fe80::1")}, span("2001:db8::1", "2001:db8::ff"))},
		{"ipv6 prefix", addrRule("local_addr 2001:db8::/32 remote_addr fe80::/10"), pskPolicy,
			set([]engine.AddrRange{span("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")},
				span("fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))},
		{"ipv6 any (all-ones end allowed)", addrRule("local_addr ::/0 remote_addr ::/0"), pskPolicy,
			set([]engine.AddrRange{span("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")},
				span("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))},
		{"ipv6 loopback is not v4-compatible", addrRule("local_addr ::1 remote_addr ::1"), pskPolicy,
			set([]engine.AddrRange{one("::1")}, one("::1"))},
		{"global addresses", "local_addr 10.0.0.1\nremote_addr 10.0.0.2\n" + addrRule(""), pskPolicy, nil},
		{"rule replaces global", "local_addr 10.9.9.9\nremote_addr 10.0.0.2\n" +
			addrRule("local_addr 10.0.0.1"), pskPolicy, nil},
	})
}

func TestParseIdentities(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"include and exclude", certRule(`local_id "!CN=bad" remote_id "!CN=worse" remote_id "CN=also"`),
			certPolicy, func(p *engine.Phase1Policy) {
				p.LocalIDs.Exclude = []string{"CN=bad"}
				p.RemoteIDs = engine.Selectors{Include: []string{"CN=peer", "CN=also"}, Exclude: []string{"CN=worse"}}
			}},
		{"any remote", strings.Replace(certRule(""), `"CN=peer"`, `""`, 1), certPolicy,
			func(p *engine.Phase1Policy) { p.RemoteIDs.Include = []string{""} }},
		{"bare word selector", strings.Replace(certRule(""), `"CN=peer"`, "peer-host_1", 1), certPolicy,
			func(p *engine.Phase1Policy) { p.RemoteIDs.Include = []string{"peer-host_1"} }},
		{"global identities", `local_id "CN=me" local_id "!CN=old" remote_id "CN=peer"` + "\n" +
			"{ label \"r\" " + v4Addrs + " local_id_type dn " + certXform + " }", certPolicy,
			func(p *engine.Phase1Policy) { p.LocalIDs.Exclude = []string{"CN=old"} }},
		{"rule identities replace global", `local_id "CN=other"` + "\n" + certRule(""), certPolicy, nil},
		{"preshared ignores global identities", `local_id "CN=me" remote_id "x"` + "\n" + pskRule(""),
			pskPolicy, nil},
		{"preshared may exclude", pskRule(`local_id "!x"`), pskPolicy,
			func(p *engine.Phase1Policy) { p.LocalIDs.Exclude = []string{"x"} }},
	})
}

func TestParsePFS(t *testing.T) {
	pfs := func(n int) func(p *engine.Phase1Policy) { return func(p *engine.Phase1Policy) { p.P2PFS = n } }
	runRuleCases(t, []ruleCase{
		{"none", pskRule(""), pskPolicy, nil},
		{"rule", pskRule("p2_pfs 14"), pskPolicy, pfs(14)},
		{"global", "p2_pfs 2\n" + pskRule(""), pskPolicy, pfs(2)},
		{"rule overrides global", "p2_pfs 2\n" + pskRule("p2_pfs 5"), pskPolicy, pfs(5)},
		{"zero cannot turn off global", "p2_pfs 2\n" + pskRule("p2_pfs 0"), pskPolicy, pfs(2)},
		{"zero then a group", pskRule("p2_pfs 0 p2_pfs 26"), pskPolicy, pfs(26)},
	})
}

func TestParseNonces(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"global nonces", "p1_nonce_len 20 p2_nonce_len 32\n" + pskRule(""), pskPolicy,
			func(p *engine.Phase1Policy) { p.P1NonceLen, p.P2NonceLen = 20, 32 }},
		{"zero is kept", "p1_nonce_len 0\n" + pskRule(""), pskPolicy,
			func(p *engine.Phase1Policy) { p.P1NonceLen = 0 }},
	})
}

func TestParseLifetimes(t *testing.T) {
	life := func(h, s, i, hk, sk uint32) func(p *engine.Phase1Policy) {
		return func(p *engine.Phase1Policy) {
			p.P2LifetimeSecs, p.P2SoftSecs, p.P2IdleSecs, p.P2LifetimeKB, p.P2SoftKB = h, s, i, hk, sk
		}
	}
	runRuleCases(t, []ruleCase{
		{"defaults", pskRule(""), pskPolicy, nil},
		{"all given", pskRule("p2_lifetime_secs 7200 p2_softlife_secs 7000 p2_idletime_secs 3000 " +
			"p2_lifetime_kb 100000 p2_softlife_kb 90000"), pskPolicy, life(7200, 7000, 3000, 100000, 90000)},
		// Unset values come from the sanity-checked global defaults, so
		// the kilobyte lifetimes stay at the 28800 s derived values.
		{"hard only", pskRule("p2_lifetime_secs 3600"), pskPolicy, life(3600, 3240, 1800, 29491200, 24576000)},
		{"soft equals hard", pskRule("p2_lifetime_secs 3600 p2_softlife_secs 3600"), pskPolicy,
			life(3600, 3600, 2000, 29491200, 29491200)},
		{"global hard", "p2_lifetime_secs 3600\n" + pskRule(""), pskPolicy,
			life(3600, 3240, 1800, 3686400, 3317760)},
		{"rule beats global", "p2_lifetime_secs 3600\n" + pskRule("p2_lifetime_secs 7200"), pskPolicy,
			life(7200, 3240, 1800, 3686400, 3317760)},
		{"too small", pskRule("p2_lifetime_secs 1 p2_softlife_secs 1 p2_idletime_secs 1 p2_lifetime_kb 1 p2_softlife_kb 1"),
			pskPolicy, life(100, 90, 30, 1024, 921)},
		{"too big", pskRule("p2_lifetime_secs 999999 p2_lifetime_kb 4000000000"), pskPolicy,
			life(172800, 24000, 13333, 536870912, 24576000)},
		// 90 % of the maximum overflows 32 bits in the daemon; so here.
		{"kilobyte wrap", "p2_lifetime_kb 536870912\n" + pskRule(""), pskPolicy,
			life(28800, 24000, 13333, 536870912, 53687091)},
	})
}

func TestParseTransforms(t *testing.T) {
	xf := func(x ...engine.Transform) func(p *engine.Phase1Policy) {
		return func(p *engine.Phase1Policy) { p.Transforms = x }
	}
	psk := func(c engine.Cipher, lo, hi int, h engine.Hash, g int, life uint32) engine.Transform {
		return engine.Transform{Auth: engine.AuthPreshared, Cipher: c, KeyMin: lo, KeyMax: hi, Hash: h,
			Group: g, LifetimeSecs: life}
	}
	rule := func(xforms string) string { return "{ label \"r\" " + v4Addrs + " " + xforms + " }" }
	x := func(elems string) string { return "p1_xform { auth_method preshared " + elems + " }" }
	cases := []ruleCase{
		{"order and dh_group", rule(x("encr_alg des auth_alg md5 dh_group 1") + x("encr_alg blowfish auth_alg sha oakley_group 5")),
			pskPolicy, xf(psk(engine.CipherDES, 0, 0, engine.HashMD5, 1, 3600),
				psk(engine.CipherBlowfish, 0, 0, engine.HashSHA1, 5, 3600))},
		{"explicit lifetime", rule(x("encr_alg 3des auth_alg sha1 oakley_group 2 p1_lifetime_secs 28800")),
			pskPolicy, xf(psk(engine.Cipher3DES, 0, 0, engine.HashSHA1, 2, 28800))},
		{"lifetime raised to 60", rule(x("encr_alg 3des auth_alg sha1 oakley_group 2 p1_lifetime_secs 10")),
			pskPolicy, xf(psk(engine.Cipher3DES, 0, 0, engine.HashSHA1, 2, 60))},
		{"lifetime 0 means default", "p1_lifetime_secs 900\n" +
			rule(x("encr_alg 3des auth_alg sha1 oakley_group 2 p1_lifetime_secs 0")),
			pskPolicy, xf(psk(engine.Cipher3DES, 0, 0, engine.HashSHA1, 2, 900))},
		{"unknown encr then known", rule(x("encr_alg foo encr_alg 3des auth_alg sha1 oakley_group 2")),
			pskPolicy, xf(psk(engine.Cipher3DES, 0, 0, engine.HashSHA1, 2, 3600))},
		{"quoted algorithm names", rule(x(`encr_alg "3DES-CBC" auth_alg "SHA-1" oakley_group 2`)),
			pskPolicy, xf(psk(engine.Cipher3DES, 0, 0, engine.HashSHA1, 2, 3600))},
	}
	for name, c := range map[string]engine.Cipher{
		"des": engine.CipherDES, "DES-CBC": engine.CipherDES, "3des": engine.Cipher3DES,
		"3des-cbc": engine.Cipher3DES, "Blowfish": engine.CipherBlowfish, "blowfish-cbc": engine.CipherBlowfish,
	} {
		cases = append(cases, ruleCase{"cipher " + name, rule(x("encr_alg " + name + " auth_alg md5 oakley_group 2")),
			pskPolicy, xf(psk(c, 0, 0, engine.HashMD5, 2, 3600))})
	}
	for name, r := range map[string][2]int{
		"aes": {128, 256}, "AES-cbc": {128, 256}, "aes(128..256)": {128, 256}, "aes(..192)": {128, 192},
		"aes(192..)": {192, 256}, "aes(..)": {128, 256}, "aes-cbc(256..256)": {256, 256},
	} {
		cases = append(cases, ruleCase{"cipher " + name, rule(x("encr_alg " + name + " auth_alg md5 oakley_group 2")),
			pskPolicy, xf(psk(engine.CipherAES, r[0], r[1], engine.HashMD5, 2, 3600))})
	}
	for name, h := range map[string]engine.Hash{
		"md5": engine.HashMD5, "MD5": engine.HashMD5, "sha": engine.HashSHA1, "sha1": engine.HashSHA1,
		"SHA-1": engine.HashSHA1, "sha256": engine.HashSHA256, "sha-256": engine.HashSHA256,
		"sha384": engine.HashSHA384, "Sha-384": engine.HashSHA384, "sha512": engine.HashSHA512,
		"sha-512": engine.HashSHA512,
	} {
		cases = append(cases, ruleCase{"hash " + name, rule(x("encr_alg des auth_alg " + name + " oakley_group 2")),
			pskPolicy, xf(psk(engine.CipherDES, 0, 0, h, 2, 3600))})
	}
	for _, g := range []int{1, 2, 3, 4, 5, 14, 20, 26} {
		cases = append(cases, ruleCase{"group", rule(x("encr_alg des auth_alg md5 oakley_group " + strconv.Itoa(g))),
			pskPolicy, xf(psk(engine.CipherDES, 0, 0, engine.HashMD5, g, 3600))})
	}
	runRuleCases(t, cases)
}

func TestParseAuthMethods(t *testing.T) {
	var cases []ruleCase
	for name, m := range map[string]engine.AuthMethod{
		"rsa_sig": engine.AuthRSASig, "rsa_encrypt": engine.AuthRSAEncrypt, "dss_sig": engine.AuthDSSSig,
		"improved_rsa_encrypt": engine.AuthRevRSAEncrypt,
	} {
		src := strings.Replace(certRule(""), "auth_method rsa_sig", "auth_method "+name, 1)
		cases = append(cases, ruleCase{name, src, certPolicy,
			func(p *engine.Phase1Policy) { p.Transforms[0].Auth = m }})
	}
	// Mixing methods inside the rule itself is not checked; the first
	// transform decides.
	mixed := "{ label \"r\" " + v4Addrs + " " + pskXform + " " + certXform + " }"
	cases = append(cases, ruleCase{"mixed in rule", mixed, pskPolicy, func(p *engine.Phase1Policy) {
		p.Transforms = append(p.Transforms, certPolicy().Transforms[0])
	}})
	runRuleCases(t, cases)
}

// TestParseTrustedExtensions checks that the labelling keywords are
// accepted and have no effect, as on a system without labels.
func TestParseTrustedExtensions(t *testing.T) {
	src := "label_aware\nwire_label none 0x0002-08-08\nmulti_label\n" +
		pskRule(`single_label wire_label inner wire_label "ADMIN_LOW" wire_label none foo`)
	runRuleCases(t, []ruleCase{{"accepted and ignored", src, pskPolicy, nil}})
}

func TestParseGlobalXforms(t *testing.T) {
	src := pskXform + "\n" + "p1_xform { encr_alg aes auth_alg sha512 oakley_group 20 auth_method preshared }\n" +
		"{ label \"a\" " + v4Addrs + " }\n{ label \"b\" " + v4Addrs + " }\n"
	f := mustParse(t, src)
	if len(f.Rules) != 2 || len(f.Rules[0].Transforms) != 2 || len(f.Rules[1].Transforms) != 2 {
		t.Fatalf("rules = %+v", f.Rules)
	}
	// Each rule owns its copy.
	f.Rules[0].Transforms[0].Group = 99
	if f.Rules[1].Transforms[0].Group != 2 {
		t.Error("rules share their inherited transform slice")
	}
}
