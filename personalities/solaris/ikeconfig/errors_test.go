package ikeconfig

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestErrorString(t *testing.T) {
	e := &Error{Line: 12, Token: "}", Msg: "rule requires a label"}
	if got, want := e.Error(), "line 12 near token '}': rule requires a label."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// errCase expects src to fail with exactly want.
type errCase struct {
	name string
	src  string
	want Error
}

func runErrCases(t *testing.T, cases []errCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.src))
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("Parse error = %v (file %+v), want *Error %v\ninput:\n%s", err, f, tt.want, tt.src)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("(-want +got):\n%s\ninput:\n%s", diff, tt.src)
			}
		})
	}
}

// closeErr is the error reported at the '}' closing a one-line rule.
func closeErr(msg string) Error { return Error{Line: 1, Token: "}", Msg: msg} }

func TestParseLexicalErrors(t *testing.T) {
	manPage := "p1_xform \\\n{ auth_method preshared oakley_group 5 auth_alg sha encr_alg 3des }\n"
	runErrCases(t, []errCase{
		{"backslash continuation", manPage, Error{1, `\`, msgSyntax}},
		{"backslash in xform", "p1_xform { auth_method preshared \\\n oakley_group 5 }", Error{1, `\`, msgSyntax}},
		{"single letter", "\n\nx", Error{3, "x", msgSyntax}},
		{"stray character", "cert_root \"a\" ;", Error{1, ";", msgSyntax}},
		{"carriage return", "ignore_crls\r\n", Error{1, "\r", msgSyntax}},
		{"newline in string", "cert_root \"abc\ndef\"", Error{1, "abc", msgNewlineInString}},
		{"unterminated string", "\ncert_root \"abc", Error{2, "abc", msgUnterminated}},
		{"string overflow", "cert_root \"" + strings.Repeat("y", 2000) + "\"",
			Error{1, strings.Repeat("y", yyLMax), msgStringOverflow}},
		{"number too large", "max_certs 4294967296", Error{1, "4294967296", msgNumberRange}},
		{"timer too large", "retry_timer_max 1" + strings.Repeat("0", 400) + ".5",
			Error{1, "1" + strings.Repeat("0", 400) + ".5", msgTimerValue}},
		// A lexical error after a complete element is reported only when
		// the parser reads it, after the element's own checks.
		{"semantic error first", `{ label "a" label "b" \`, Error{1, "b", msgMultipleLabels}},
	})
}

func TestParseSyntaxErrors(t *testing.T) {
	runErrCases(t, []errCase{
		{"bare word at top", "foo", Error{1, "foo", msgSyntax}},
		{"number at top", "42", Error{1, "42", msgSyntax}},
		{"global after rule", pskRule("") + "ignore_crls\n", Error{2, "ignore_crls", msgSyntax}},
		{"stray close brace", "}", Error{1, "}", msgSyntax}},
		{"missing close brace", "{ label \"r\"\n", Error{2, "", msgSyntax}},
		{"missing argument", "max_certs\n", Error{2, "", msgSyntax}},
		{"string for number", `max_certs "10"`, Error{1, "10", msgSyntax}},
		{"decimal for number", "max_certs 1.5", Error{1, "1.5", msgSyntax}},
		{"reserved word as label", `{ label main }`, Error{1, "main", msgSyntax}},
		{"number as label", `{ label 5 }`, Error{1, "5", msgSyntax}},
		{"dot in bare word", `{ label ab.cd }`, Error{1, ".", msgSyntax}},
		{"one-letter word", `{ label a }`, Error{1, "a", msgSyntax}},
		{"global only inside rule", `{ max_certs 5 }`, Error{1, "max_certs", msgSyntax}},
		{"nonce inside rule", `{ p1_nonce_len 5 }`, Error{1, "p1_nonce_len", msgSyntax}},
		{"p1 lifetime inside rule", `{ p1_lifetime_secs 5 }`, Error{1, "p1_lifetime_secs", msgSyntax}},
		{"nested rule", `{ { }`, Error{1, "{", msgSyntax}},
		{"unused reserved word", `yes`, Error{1, "yes", msgSyntax}},
		{"p2_xform", `p2_xform { }`, Error{1, "p2_xform", msgSyntax}},
		{"bad id type", `local_id_type keyid`, Error{1, "keyid", msgSyntax}},
		{"bad mode", `p1_mode any`, Error{1, "any", msgSyntax}},
		{"bad auth method", `p1_xform { auth_method psk }`, Error{1, "psk", msgSyntax}},
		{"quoted auth method", `p1_xform { auth_method "preshared" }`, Error{1, "preshared", msgSyntax}},
		{"empty transform", `p1_xform { }`, Error{1, "}", msgSyntax}},
		{"transform without brace", `p1_xform encr_alg des`, Error{1, "encr_alg", msgSyntax}},
		{"rule element in transform", `p1_xform { label "x" }`, Error{1, "label", msgSyntax}},
		{"number as algorithm", `p1_xform { encr_alg 3 }`, Error{1, "3", msgSyntax}},
		{"range in 3des", `p1_xform { encr_alg 3des(..) }`, Error{1, "(", msgSyntax}},
		{"wire_label without label", `wire_label 5`, Error{1, "5", msgSyntax}},
		{"address expected", `local_addr foo`, Error{1, "foo", msgSyntax}},
		{"mixed range", `local_addr 10.0.0.1-::1`, Error{1, "::1", msgSyntax}},
		{"ipv6 mask", `local_addr fe80::/ffff::`, Error{1, "ffff::", msgSyntax}},
		{"dangling dash", "local_addr 10.0.0.1 -\n", Error{2, "", msgSyntax}},
		{"dump", pskRule("D_U_M_P"), Error{1, "D_U_M_P", msgDump}},
		{"dump at top", "D_U_M_P", Error{1, "D_U_M_P", msgDump}},
		{"dump in transform", `p1_xform { D_U_M_P }`, Error{1, "D_U_M_P", msgDump}},
	})
}

func TestParseGlobalErrors(t *testing.T) {
	runErrCases(t, []errCase{
		{"label outside rule", "\nlabel \"x\"", Error{2, "x", msgOutsideRule}},
		{"port 0", "nat_t_port 0", Error{1, "0", msgPort}},
		{"port too big", "nat_t_port 65536", Error{1, "65536", msgPort}},
		{"pfs twice", "p2_pfs 2\np2_pfs 5", Error{2, "5", msgHasPFS}},
		{"bad pfs group", "p2_pfs 6", Error{1, "6", msgBadGroup}},
		{"label indicator twice", "single_label multi_label", Error{1, "multi_label", msgLabelIndicator}},
	})
}

func TestParseRuleElementErrors(t *testing.T) {
	runErrCases(t, []errCase{
		{"two labels", `{ label "a" label "b" }`, Error{1, "b", msgMultipleLabels}},
		{"label too long", "{ label " + strings.Repeat("z", maxLabelLen+1) + " }",
			Error{1, strings.Repeat("z", maxLabelLen+1), msgLabelTooLong}},
		{"pfs twice", pskRule("p2_pfs 2 p2_pfs 5"), Error{1, "5", msgHasPFS}},
		{"pfs 0 then twice", pskRule("p2_pfs 0 p2_pfs 5 p2_pfs 14"), Error{1, "14", msgHasPFS}},
		{"bad pfs group", pskRule("p2_pfs 13"), Error{1, "13", msgBadGroup}},
		{"label indicator twice", pskRule("multi_label single_label"), Error{1, "single_label", msgLabelIndicator}},
	})
}

func TestParseAddressErrors(t *testing.T) {
	runErrCases(t, []errCase{
		{"illegal ipv4", "local_addr 10.0.0.256", Error{1, "10.0.0.256", msgBadV4}},
		{"leading zero ipv4", "local_addr 10.0.0.01", Error{1, "10.0.0.01", msgBadV4}},
		{"illegal range end", "local_addr 10.0.0.1-10.0.0.300", Error{1, "10.0.0.300", msgBadV4}},
		{"illegal mask", "local_addr 10.0.0.0/255.0.0.999", Error{1, "255.0.0.999", msgBadV4}},
		{"illegal ipv6", "local_addr :::1.2.3.4", Error{1, ":::1.2.3.4", msgBadV6}},
		{"two double colons", "local_addr 1::2::3", Error{1, "::3", msgSyntax}},
		{"ipv6 too long", "local_addr 1:2:3:4:5:6:7:8:9", Error{1, "1:2:3:4:5:6:7:8:9", msgBadV6}},
		{"ipv6 like a time", "local_addr 10:30", Error{1, "10:30", msgBadV6}},
		{"ipv4 range reversed", "local_addr 10.0.0.9 - 10.0.0.1", Error{1, "10.0.0.1", msgV4Range}},
		{"ipv6 range reversed", "local_addr ::9-::1", Error{1, "::1", msgV6Range}},
		{"ipv4 prefix length", "local_addr 10.0.0.0/33", Error{1, "33", msgV4PrefixLen}},
		{"ipv6 prefix length", "local_addr ::/129", Error{1, "129", msgV6PrefixLen}},
		{"prefix too large", "local_addr ::/4294967296", Error{1, "4294967296", msgNumberRange}},
		{"ipv4 netmask", "local_addr 10.0.0.1/24", Error{1, "24", msgV4Netmask}},
		{"ipv6 netmask", "local_addr fe80::1/64", Error{1, "64", msgV6Netmask}},
		{"ipv4 mask", "local_addr 10.0.0.1/255.255.255.0", Error{1, "255.255.255.0", msgV4Mask}},
	})
}

func TestParseCompletionErrors(t *testing.T) {
	addrRule := func(addrs string) string { return `{ label "r" ` + addrs + " " + pskXform + " }" }
	runErrCases(t, []errCase{
		{"no label", "{ " + v4Addrs + " " + pskXform + " }", closeErr(msgNeedLabel)},
		{"empty rule", "{\n}", Error{2, "}", msgNeedLabel}},
		{"no local address", addrRule("remote_addr 10.0.0.2"), closeErr(msgNeedLocalAddr)},
		{"no remote address", addrRule("local_addr 10.0.0.1"), closeErr(msgNeedRemoteAddr)},
		{"mixed local families", addrRule("local_addr 10.0.0.1 local_addr ::1 remote_addr 10.0.0.2"),
			closeErr(msgMixedFamilies)},
		{"mixed remote families", addrRule("local_addr 10.0.0.1 remote_addr 10.0.0.2 remote_addr fe80::1"),
			closeErr(msgMixedFamilies)},
		{"ipv4 multicast", addrRule("local_addr 10.0.0.1 remote_addr 224.0.0.1"), closeErr(msgV4Multicast)},
		{"ipv4 multicast end", addrRule("local_addr 10.0.0.0-239.0.0.0 remote_addr 10.0.0.1"),
			closeErr(msgV4Multicast)},
		{"ipv6 multicast", addrRule("local_addr ff02::1 remote_addr ::1"), closeErr(msgV6Multicast)},
		{"ipv6 multicast end", addrRule("local_addr fe80::-ff02:: remote_addr ::1"), closeErr(msgV6Multicast)},
		{"ipv4 mapped", addrRule("local_addr ::ffff:10.0.0.1 remote_addr ::1"), closeErr(msgV4Mapped)},
		{"ipv4 compatible", addrRule("local_addr ::a00:1 remote_addr ::1"), closeErr(msgV4Compat)},
		{"ipv4 compatible range end", addrRule("local_addr ::/96 remote_addr ::1"), closeErr(msgV4Compat)},
		{"family mismatch", addrRule("local_addr 10.0.0.1 remote_addr fe80::1"), closeErr(msgFamilyMismatch)},
		{"global family mismatch", "local_addr fe80::1\n" + addrRule("remote_addr 10.0.0.2"),
			Error{2, "}", msgFamilyMismatch}},
		{"no transforms", `{ label "r" ` + v4Addrs + " }", closeErr(msgNeedXforms)},
		{"label not unique", pskRule("") + pskRule(""), Error{2, "}", msgLabelNotUnique}},
	})
}

func TestParseAuthErrors(t *testing.T) {
	rule := func(elems string) string { return `{ label "r" ` + v4Addrs + " " + elems + " }" }
	inherit := func(elems string) string { return pskXform + "\n" + rule(elems) }
	runErrCases(t, []errCase{
		{"inherited preshared with remote_id", inherit(`remote_id "x"`), Error{2, "}", msgPSKNoIDInherited}},
		{"inherited preshared with remote exclusion", inherit(`remote_id "!x"`), Error{2, "}", msgPSKNoIDInherited}},
		{"inherited preshared with dn", inherit("local_id_type dn"), Error{2, "}", msgPSKIDType}},
		{"inherited preshared with local_id", inherit(`local_id "x"`), Error{2, "}", msgPSKNoID}},
		{"inherited mix", pskXform + " " + certXform + "\n" + rule(""), Error{2, "}", msgAllOrNoPSK}},
		{"inherited mix, certificate first", certXform + " " + pskXform + "\n" + rule(certIDs),
			Error{2, "}", msgAllOrNoPSK}},
		{"preshared with fqdn", rule(pskXform + " local_id_type fqdn"), closeErr(msgPSKIDType)},
		{"preshared with local_id", rule(pskXform + ` local_id "x"`), closeErr(msgPSKNoID)},
		{"preshared with remote_id", rule(pskXform + ` remote_id ""`), closeErr(msgPSKNoID)},
		{"certificate without id type", rule(certXform + ` local_id "a" remote_id "b"`), closeErr(msgNeedIDType)},
		{"certificate without local id", rule(certXform + ` local_id_type dn remote_id "b"`),
			closeErr(msgNeedLocalID)},
		{"certificate with only local exclusion", `local_id "g"` + "\n" +
			rule(certXform+` local_id_type dn local_id "!a" remote_id "b"`), Error{2, "}", msgNeedLocalID}},
		{"certificate without remote id", rule(certXform + ` local_id_type dn local_id "a"`),
			closeErr(msgNeedRemoteID)},
		{"certificate with only remote exclusion", rule(certXform + ` local_id_type dn local_id "a" remote_id "!b"`),
			closeErr(msgNeedRemoteID)},
	})
}

func TestParseTransformErrors(t *testing.T) {
	x := func(elems string) string { return "p1_xform { " + elems + " }" }
	all := "encr_alg des auth_alg md5 oakley_group 1 auth_method preshared"
	runErrCases(t, []errCase{
		{"encr twice", x(all + " encr_alg 3des"), Error{1, "3des", msgHasEncr}},
		{"encr range twice", x(all + " encr_alg aes(..)"), Error{1, "aes(..)", msgHasEncr}},
		{"auth alg twice", x(all + " auth_alg sha1"), Error{1, "sha1", msgHasAuthAlg}},
		{"auth method twice", x(all + " auth_method rsa_sig"), Error{1, "rsa_sig", msgHasAuthMethod}},
		{"group twice", x(all + " oakley_group 2"), Error{1, "2", msgHasGroup}},
		{"bad group checked first", x(all + " oakley_group 6"), Error{1, "6", msgBadGroup}},
		{"group 0", x("oakley_group 0"), Error{1, "0", msgBadGroup}},
		{"group 27", x("oakley_group 27"), Error{1, "27", msgBadGroup}},
		{"lifetime twice", x(all + " p1_lifetime_secs 100 p1_lifetime_secs 200"), Error{1, "200", msgHasLifetime}},
		{"no encr", x("auth_alg md5 oakley_group 1 auth_method preshared"), Error{1, "}", msgNeedEncr}},
		{"unknown encr", x("encr_alg rc4 auth_alg md5 oakley_group 1 auth_method preshared"), Error{1, "}", msgNeedEncr}},
		{"no auth alg", x("encr_alg des oakley_group 1 auth_method preshared"), Error{1, "}", msgNeedAuthAlg}},
		{"unknown auth alg", x("encr_alg des auth_alg sha3 oakley_group 1 auth_method preshared"),
			Error{1, "}", msgNeedAuthAlg}},
		{"no group", x("encr_alg des auth_alg md5 auth_method preshared"), Error{1, "}", msgNeedGroup}},
		{"no auth method", "p1_xform {\n encr_alg des auth_alg md5 oakley_group 1\n}", Error{3, "}", msgNeedAuthMethod}},
		{"range on des", x("encr_alg des(64..)"), Error{1, "des(64..)", msgNonAESKeySize}},
		{"range on unknown", x("encr_alg rc4(..)"), Error{1, "rc4(..)", msgNonAESKeySize}},
		{"reversed range", x("encr_alg aes(256..128)"), Error{1, "aes(256..128)", msgKeyRange}},
		{"range above default high", x("encr_alg aes(300..)"), Error{1, "aes(300..)", msgKeyRange}},
		{"bad low size", x("encr_alg aes(100..)"), Error{1, "aes(100..)", msgAESKeySize}},
		{"bad high size", x("encr_alg aes(..200)"), Error{1, "aes(..200)", msgAESKeySize}},
		{"huge size", x("encr_alg aes(..99999999999999999999)"), Error{1, "aes(..99999999999999999999)", msgAESKeySize}},
		{"malformed range", x("encr_alg aes(128)"), Error{1, "aes(128)", msgBadEncr}},
		{"malformed range dots", x("encr_alg aes(1.2..3)"), Error{1, "aes(1.2..3)", msgBadEncr}},
	})
}
