package ipsecconf

import (
	"strings"
	"testing"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

func parseSecrets(t *testing.T, text string) ([]*secret, []string, error) {
	t.Helper()
	w := &warnings{}
	p := &secretsParser{in: &includer{}, w: w}
	err := p.file(strings.NewReader(text), topSource("ipsec.secrets"), 0)
	return p.list, warnStrings(w.sorted()), err
}

func TestDecodePSK(t *testing.T) {
	long := strings.Repeat("k", maxKeyText)
	for _, tc := range []struct {
		tok    token
		value  string
		format vpnxml.KeyFormat
		bad    bool
	}{
		{token{"a secret", true}, "a secret", vpnxml.ASCII, false},
		{token{"plain", false}, "plain", vpnxml.ASCII, false},
		{token{"0x6f736c6f", false}, "6f736c6f", vpnxml.Hex, false},
		{token{"0XAB_CD", false}, "abcd", vpnxml.Hex, false},
		{token{"0sc3VuLW1vb24=", false}, "73756e2d6d6f6f6e", vpnxml.Hex, false},
		{token{"grüße", true}, "6772c3bcc39f65", vpnxml.Hex, false},
		{token{long, true}, long, vpnxml.ASCII, false},
		{token{long + "k", true}, "", "", true},
		{token{"", true}, "", "", true},
		{token{"0xabc", false}, "", "", true},
		{token{"0xzz", false}, "", "", true},
		{token{"0s!!!", false}, "", "", true},
		{token{"0x" + strings.Repeat("ab", maxKeyBytes+1), false}, "", "", true},
	} {
		want := tc.value
		value, format, bad := decodePSK(tc.tok)
		if value != want || format != tc.format || (bad != "") != tc.bad {
			t.Errorf("decodePSK(%q) = %q, %q, %q; want %q, %q, problem %v", tc.tok.text, value, format, bad, want, tc.format, tc.bad)
		}
	}
}

func TestSecretsSyntax(t *testing.T) {
	const text = `# comment
@a.example.com @b.example.com : PSK "one # not a comment"   # a comment
192.0.2.1 %any: PSK 'two'
: PSK "three"
"C=CH, O=Ex, CN=gw" : PSK
	"four"
: RSA {
	Modulus: 0x00
	PublicExponent: 0x03
}
ops@example.com : XAUTH "pw"
2001:db8::1 : PSK "five"
`
	list, ws, err := parseSecrets(t, text)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line, ids int
		wildcard  bool
		value     string
	}{{2, 2, false, "one # not a comment"}, {3, 1, true, "two"}, {4, 0, false, "three"}, {5, 1, false, "four"}, {12, 1, false, "five"}}
	if len(list) != len(want) {
		t.Fatalf("got %d PSK entries, want %d", len(list), len(want))
	}
	for i, w := range want {
		s := list[i]
		if s.at.line != w.line || len(s.ids) != w.ids || s.wildcard != w.wildcard || s.value != w.value || s.bad != "" {
			t.Errorf("entry %d = line %d, %d ids, wildcard %v, value %q, bad %q; want %+v", i, s.at.line, len(s.ids), s.wildcard, s.value, s.bad, w)
		}
	}
	if len(ws) != 2 || !hasWarning(ws, "ipsec.secrets:7: RSA entry") || !hasWarning(ws, "ipsec.secrets:11: XAUTH entry") {
		t.Errorf("warnings %q", ws)
	}
}

func TestSecretsErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"@a PSK \"x\"\n", "ipsec.secrets:1: expected"},
		{": PSK \"x\n", "ipsec.secrets:1: unterminated quoted string"},
		{"\t: PSK \"x\"\n", "ipsec.secrets:1: indented line outside an entry"},
		{"\n: RSA {\n\tModulus: 0x00\n", "ipsec.secrets:2: entry has a '{' without its '}'"},
	} {
		_, _, err := parseSecrets(t, tc.text)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.want)
		}
	}
}

func TestSecretsWarnings(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{`: "secret"` + "\n", "no secret type"},
		{": mysecret\n", "unknown secret type; entry ignored"},
		{"@bad..name : PSK \"x\"\n", "identity 1 of this entry cannot be used"},
		{": PIN %smartcard \"1234\"\n", "PIN entry"},
		{": PPK \"x\"\n", "PPK entry"},
	} {
		_, ws, err := parseSecrets(t, tc.text)
		if err != nil || !hasWarning(ws, tc.want) {
			t.Errorf("%q: warnings %q, error %v; want %q", tc.text, ws, err, tc.want)
		}
	}
}

func TestBestPSK(t *testing.T) {
	const text = `: PSK "wildcard"
%any 192.0.2.1 : PSK "mine"
192.0.2.2 : PSK "peer"
192.0.2.1 192.0.2.2 : PSK "pair"
@gw.example.com : PSK "by-name"
192.0.2.9 192.0.2.8 : PSK "others"
192.0.2.3 : PSK "peer3-a"
192.0.2.3 : PSK "peer3-b"
`
	list, _, err := parseSecrets(t, text)
	if err != nil {
		t.Fatal(err)
	}
	ep := func(addr string, id vpnxml.ID) endpoint {
		e := endpoint{id: id}
		if addr != "" {
			e.addr = v4(addr).Addr
		}
		return e
	}
	me := ep("192.0.2.1", v4("192.0.2.1"))
	for _, tc := range []struct {
		remote     endpoint
		want, tie  string
		local      endpoint
		wantNoBest bool
	}{
		{remote: ep("192.0.2.2", v4("192.0.2.2")), local: me, want: "pair"},
		{remote: ep("192.0.2.2", v4("192.0.2.2")), local: ep("192.0.2.5", v4("192.0.2.5")), want: "peer"},
		{remote: ep("192.0.2.7", vpnxml.ID{Type: vpnxml.FQDN, Text: "GW.example.com"}), local: me, want: "by-name"},
		{remote: ep("192.0.2.7", v4("192.0.2.7")), local: me, want: "mine"},
		{remote: ep("192.0.2.7", v4("192.0.2.7")), local: ep("192.0.2.5", v4("192.0.2.5")), want: "wildcard"},
		{remote: ep("192.0.2.3", v4("192.0.2.3")), local: ep("192.0.2.5", v4("192.0.2.5")), want: "peer3-a", tie: "peer3-b"},
	} {
		best, tie := bestPSK(list, tc.local, tc.remote)
		if best == nil || best.value != tc.want {
			t.Errorf("bestPSK(%v) = %v, want %q", tc.remote, best, tc.want)
			continue
		}
		if got := ""; tie != nil || tc.tie != "" {
			if tie != nil {
				got = tie.value
			}
			if got != tc.tie {
				t.Errorf("bestPSK(%v) tie = %q, want %q", tc.remote, got, tc.tie)
			}
		}
	}
	if best, _ := bestPSK(list[5:6], me, ep("192.0.2.2", v4("192.0.2.2"))); best != nil {
		t.Errorf("an entry naming two other hosts fits: %v", best)
	}
}
