package preshared

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// inlineAddrKey is the expected inline entry for two address identities.
func inlineAddrKey(mode engine.ExchangeMode, l string, lplen int, r string, rplen int, key []byte, bits int) engine.PresharedKey {
	la, ra := netip.MustParseAddr(l), netip.MustParseAddr(r)
	return engine.PresharedKey{
		Mode:        mode,
		LocalIDType: addrKind(la), LocalAddr: la, LocalPlen: lplen,
		RemoteIDType: addrKind(ra), RemoteAddr: ra, RemotePlen: rplen,
		Key: key, KeyBits: bits, Origin: "solaris",
	}
}

func TestParseInlineOK(t *testing.T) {
	base := func(l, r string) engine.PresharedKey {
		return inlineAddrKey(engine.XchgBase, l, -1, r, -1, abcd(), 16)
	}
	withMode := func(m engine.ExchangeMode) engine.PresharedKey {
		k := base("10.1.1.2", "10.21.12.4")
		k.Mode = m
		return k
	}
	ident := func(lk engine.IDKind, lid string, rk engine.IDKind, rid string) engine.PresharedKey {
		return engine.PresharedKey{Mode: engine.XchgBase, LocalIDType: lk, LocalPlen: -1, LocalID: lid,
			RemoteIDType: rk, RemotePlen: -1, RemoteID: rid, Key: abcd(), KeyBits: 16, Origin: "solaris"}
	}
	tests := []struct {
		name    string
		line    string
		numeric bool
		want    engine.PresharedKey
	}{
		{"separate braces", "{ localid 10.1.1.2 remoteid 10.21.12.4 key abcd }", false, base("10.1.1.2", "10.21.12.4")},
		{"glued braces", "{localid 10.1.1.2 remoteid 10.21.12.4 key abcd}", false, base("10.1.1.2", "10.21.12.4")},
		{"fields in any order, any case", "{ KEY abcd RemoteID 10.21.12.4 LOCALID 10.1.1.2 }", false, base("10.1.1.2", "10.21.12.4")},
		{"words after } ignored", "{ localid 10.1.1.2 remoteid 10.21.12.4 key abcd } trailing words", false, base("10.1.1.2", "10.21.12.4")},
		{"closing token glued and separate", "{ localid 10.1.1.2 remoteid 10.21.12.4 key abcd } x}", false, base("10.1.1.2", "10.21.12.4")},
		{"last value wins", "{ localid 10.9.9.9 localid 10.1.1.2 remoteid 10.21.12.4 key 00 key abcd }", false, base("10.1.1.2", "10.21.12.4")},
		{"ike_mode main", "{ localid 10.1.1.2 remoteid 10.21.12.4 ike_mode main key abcd }", false, withMode(engine.XchgMain)},
		{"ike_mode aggressive", "{ localid 10.1.1.2 remoteid 10.21.12.4 ike_mode AGGRESSIVE key abcd }", false, withMode(engine.XchgAggressive)},
		{"ike_mode both", "{ localid 10.1.1.2 remoteid 10.21.12.4 ike_mode Both key abcd }", false, withMode(engine.XchgMainAndAggr)},
		{"ip types", "{ localidtype ipv4 localid 10.1.1.2 remoteidtype IP remoteid 10.21.12.4 key abcd }", false, base("10.1.1.2", "10.21.12.4")},
		{"ipv6 keyword takes any family", "{ localidtype ipv6 localid 10.1.1.2 remoteidtype ipv4 remoteid 2001:db8::1 key abcd }", false, base("10.1.1.2", "2001:db8::1")},
		{"v4-mapped becomes IPv4", "{ localid ::ffff:10.1.1.2 remoteid 10.21.12.4 key abcd }", false, base("10.1.1.2", "10.21.12.4")},
		{"names", "{ localid gw4 remoteid gw6 key abcd }", false, base("192.0.2.1", "2001:db8::1")},
		{"mapped name", "{ localid mapped remoteid scoped key abcd }", false, base("192.0.2.3", "fe80::1")},
		{"-n takes literals", "{ localid 10.1.1.2 remoteid 2001:db8::5 key abcd }", true, base("10.1.1.2", "2001:db8::5")},
		{"prefix lengths", "{ localid 10.0.0.0/8 remoteid 2001:db8::/64 key abcd }", false,
			inlineAddrKey(engine.XchgBase, "10.0.0.0", 8, "2001:db8::", 64, abcd(), 16)},
		{"atoi prefixes", "{ localid 10.0.0.0/0 remoteid 10.1.0.0/16x key abcd }", false,
			inlineAddrKey(engine.XchgBase, "10.0.0.0", -1, "10.1.0.0", 16, abcd(), 16)},
		{"non-numeric prefix is none", "{ localid 10.0.0.0/x remoteid 10.1.0.0/-4 key abcd }", false,
			inlineAddrKey(engine.XchgBase, "10.0.0.0", -1, "10.1.0.0", -1, abcd(), 16)},
		{"key truncated without warning", "{ localid 10.1.1.2 remoteid 10.21.12.4 key abcd/12 }", false,
			inlineAddrKey(engine.XchgBase, "10.1.1.2", -1, "10.21.12.4", -1, []byte{0xab, 0xc0}, 12)},
		{"fqdn identities", "{ localidtype fqdn localid a.example remoteidtype USER_FQDN remoteid u@b.example key abcd }", false,
			ident(engine.IDFQDN, "a.example", engine.IDUserFQDN, "u@b.example")},
		{"quoted dn", `{ localidtype dn localid "C=US, O=Ex" remoteidtype asn1gn remoteid x key abcd }`, false,
			ident(engine.IDDN, "C=US, O=Ex", engine.IDGN, "x")},
		{"identity keeps slash", "{ localidtype subnetv6 localid 10.0.0.0/8 remoteidtype prefix remoteid 2001:db8::/32 key abcd }", false,
			ident(engine.IDIPv4Prefix, "10.0.0.0/8", engine.IDIPv6Prefix, "2001:db8::/32")},
		{"ranges and keyid", "{ localidtype rangev6 localid 10.0.0.1-10.0.0.9 remoteidtype keyid remoteid k1 key abcd }", false,
			ident(engine.IDIPv4Range, "10.0.0.1-10.0.0.9", engine.IDKeyID, "k1")},
		{"v6 range", "{ localidtype ipv4-range localid ::1-::9 remoteidtype mbox remoteid u key abcd }", false,
			ident(engine.IDIPv6Range, "::1-::9", engine.IDUserFQDN, "u")},
		{"identity names are not resolved", "{ localidtype fqdn localid multi4 remoteidtype dns remoteid nosuch key abcd }", true,
			ident(engine.IDFQDN, "multi4", engine.IDFQDN, "nosuch")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tokens := splitArgs(tc.line)
			orig := append([]string(nil), tokens...)
			got, err := ParseInline(tokens, fakeResolve, tc.numeric)
			if err != nil {
				t.Fatalf("ParseInline: %v (%+v)", err, err)
			}
			if d := diff(tc.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
			if d := diff(orig, tokens); d != "" {
				t.Errorf("tokens modified: %s", d)
			}
		})
	}
}

func TestParseInlineErrors(t *testing.T) {
	tests := []struct {
		name    string
		tokens  []string
		numeric bool
		notice  string
	}{
		{"no tokens", nil, false, ""},
		{"no opening brace", strings.Fields("localid 10.1.1.2 remoteid 10.21.12.4 key abcd }"), false, ""},
		{"no closing brace", strings.Fields("{ localid 10.1.1.2 remoteid 10.21.12.4 key abcd"), false, ""},
		{"only braces", strings.Fields("{ }"), false, ""},
		{"glued empty", []string{"{}"}, false, ""},
		{"one glued token", []string{"{key}"}, false, ""},
		{"field without value", strings.Fields("{ localid 10.1.1.2 remoteid 10.21.12.4 key }"), false, ""},
		{"field without value glued", strings.Fields("{ localid 10.1.1.2 remoteid 10.21.12.4 key}"), false, ""},
		{"value starting with }", strings.Fields("{ localid }10.1.1.2 remoteid 10.21.12.4 key abcd }"), false, ""},
		{"file aliases not accepted", strings.Fields("{ local_id 10.1.1.2 remoteid 10.21.12.4 key abcd }"), false, ""},
		{"mode alias not accepted", strings.Fields("{ mode main localid 10.1.1.2 remoteid 10.21.12.4 key abcd }"), false, ""},
		{"unknown field", strings.Fields("{ label x localid 10.1.1.2 remoteid 10.21.12.4 key abcd }"), false, ""},
		{"unknown id type", strings.Fields("{ localidtype IP_SUBNET localid 10.1.1.2 remoteid 10.21.12.4 key abcd }"), false, ""},
		{"unknown mode", strings.Fields("{ ike_mode any localid 10.1.1.2 remoteid 10.21.12.4 key abcd }"), false, ""},
		{"bad key", strings.Fields("{ localid 10.1.1.2 remoteid 10.21.12.4 key xyz }"), false, ""},
		{"bad bits", strings.Fields("{ localid 10.1.1.2 remoteid 10.21.12.4 key ab/9 }"), false, ""},
		{"no ascii keys", []string{"{", "localid", "10.1.1.2", "remoteid", "10.21.12.4", "key", `"abcdef"`, "}"}, false, ""},
		{"missing localid", strings.Fields("{ remoteid 10.21.12.4 key abcd }"), false, ""},
		{"missing remoteid", strings.Fields("{ localid 10.1.1.2 key abcd }"), false, ""},
		{"missing key", strings.Fields("{ localid 10.1.1.2 remoteid 10.21.12.4 }"), false, ""},
		{"unknown local", strings.Fields("{ localid nosuch/24 remoteid 10.21.12.4 key abcd }"), false, "Unknown address nosuch."},
		{"unknown remote", strings.Fields("{ localid 10.1.1.2 remoteid nosuch key abcd }"), false, "Unknown address nosuch."},
		{"-n refuses names", strings.Fields("{ localid gw4 remoteid 10.21.12.4 key abcd }"), true, "Unknown address gw4."},
		{"scoped literal", strings.Fields("{ localid fe80::1%lo0 remoteid ::1 key abcd }"), true, "Unknown address fe80::1%lo0."},
		{"name without addresses", strings.Fields("{ localid empty remoteid 10.21.12.4 key abcd }"), false, "Unknown address empty."},
		{"local checked first", strings.Fields("{ localid nosuch remoteid multi4 key abcd }"), false, "Unknown address nosuch."},
		{"prefix too long", strings.Fields("{ localid 10.0.0.0/33 remoteid 10.21.12.4 key abcd }"), false, ""},
		{"v6 prefix too long", strings.Fields("{ localid ::1 remoteid ::2/129 key abcd }"), false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseInline(tc.tokens, fakeResolve, tc.numeric)
			var ie *InlineError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want *InlineError", err)
			}
			if err.Error() != "invalid preshared key definition" || ie.Reason == "" || ie.Notice != tc.notice {
				t.Errorf("got %q reason %q notice %q, want notice %q", err, ie.Reason, ie.Notice, tc.notice)
			}
		})
	}
}

func TestParseInlineMultipleAddrs(t *testing.T) {
	for _, line := range []string{
		"{ localid multi4 remoteid 10.21.12.4 key abcd }",
		"{ localid 10.1.1.2 remoteid dual key abcd }",
		"{ localid multi4 remoteid 10.21.12.4/99 key abcd }", // resolution comes before prefixes
	} {
		_, err := ParseInline(strings.Fields(line), fakeResolve, false)
		if !errors.Is(err, ErrMultipleAddrs) || err.Error() != "preshared key identifier cannot match multiple IP addresses" {
			t.Errorf("%s: err = %v", line, err)
		}
	}
}

func TestParseInlineNilResolver(t *testing.T) {
	_, err := ParseInline(strings.Fields("{ localid gw4 remoteid 10.1.1.1 key ab }"), nil, false)
	var ie *InlineError
	if !errors.As(err, &ie) || ie.Notice != "Unknown address gw4." {
		t.Errorf("err = %v", err)
	}
}

func TestIdentKind(t *testing.T) {
	want := map[string]engine.IDKind{
		"ip": engine.IDIPv4, "ipv4": engine.IDIPv4, "ipv6": engine.IDIPv6,
		"prefix": engine.IDIPv4Prefix, "ipv4-prefix": engine.IDIPv4Prefix, "ipv6-prefix": engine.IDIPv6Prefix,
		"subnet": engine.IDIPv4Prefix, "subnetv4": engine.IDIPv4Prefix, "subnetv6": engine.IDIPv6Prefix,
		"fqdn": engine.IDFQDN, "dns": engine.IDFQDN, "domain": engine.IDFQDN, "domainname": engine.IDFQDN,
		"user_fqdn": engine.IDUserFQDN, "mbox": engine.IDUserFQDN, "mailbox": engine.IDUserFQDN,
		"dn": engine.IDDN, "asn1dn": engine.IDDN, "gn": engine.IDGN, "asn1gn": engine.IDGN,
		"ipv4-range": engine.IDIPv4Range, "ipv6-range": engine.IDIPv6Range,
		"rangev4": engine.IDIPv4Range, "rangev6": engine.IDIPv6Range, "keyid": engine.IDKeyID,
	}
	for word, k := range want {
		for _, w := range []string{word, strings.ToUpper(word)} {
			if got, ok := IdentKind(w); !ok || got != k {
				t.Errorf("IdentKind(%q) = %v %v, want %v", w, got, ok, k)
			}
		}
	}
	for _, w := range []string{"", "ip_subnet", "user-fqdn", "range", "email", "ipv4_prefix", "\u212aeyid"} {
		if got, ok := IdentKind(w); ok {
			t.Errorf("IdentKind(%q) = %v, want unknown", w, got)
		}
	}
}

// splitArgs splits an interactive line like ikeadm's tokenizer (spec 1.3):
// blanks separate, double quotes group, and a closing quote ends the token
// (what is glued after it is dropped). A quote opened inside a token stays
// in it, because the tokenizer only skips a quote that would start one.
func splitArgs(line string) []string {
	var out []string
	var cur []byte
	inTok, quoted, cut := false, false, false
	flush := func() {
		if inTok {
			out = append(out, string(cur))
		}
		cur, inTok, cut = nil, false, false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case isCSpace(c) && !quoted:
			flush()
		case c == '"':
			if quoted {
				cut = true
			} else if inTok && !cut {
				cur = append(cur, c)
			}
			quoted = !quoted
		default:
			if !cut {
				cur, inTok = append(cur, c), true
			}
		}
	}
	flush()
	return out
}
