package ipsecconf

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

func aesIKE(n vpnxml.KeyLength) encAlg {
	return encAlg{ike: vpnxml.IKEAES, esp: vpnxml.ESPAES, keyLen: n}
}

var (
	des3 = encAlg{ike: vpnxml.IKE3DES, esp: vpnxml.ESP3DES}
	des1 = encAlg{ike: vpnxml.IKEDES, esp: vpnxml.ESPDES}
)

func TestIKETransforms(t *testing.T) {
	sha, sha256, md5 := vpnxml.HashSHA, vpnxml.HashSHA256, vpnxml.HashMD5
	for _, tc := range []struct {
		list  string
		want  []ikeTransform
		notes []string // fragments, one per expected note, in order
	}{
		{"aes256-sha1-modp2048", []ikeTransform{{aesIKE(256), sha, 14}}, nil},
		{"3des-md5-modp1024", []ikeTransform{{des3, md5, 2}}, nil},
		{"des-md5-modp768", []ikeTransform{{des1, md5, 1}}, nil},
		{"aes128-sha256-ecp256,aes256-sha256-ecp384", []ikeTransform{{aesIKE(128), sha256, 19}, {aesIKE(256), sha256, 20}}, nil},
		{"aes256-sha1-modp2048,3des-sha1-modp1024!", []ikeTransform{{aesIKE(256), sha, 14}, {des3, sha, 2}}, nil},
		{"aes-sha1-modp1536", []ikeTransform{{aesIKE(128), sha, 5}}, nil},
		{"aes_256-sha2_256-dh14", []ikeTransform{{aesIKE(256), sha256, 14}}, nil},
		{"aes-256-sha2-modp2048s256", []ikeTransform{{aesIKE(256), sha256, 24}}, nil},
		{"aes256-sha2_256;modp2048", []ikeTransform{{aesIKE(256), sha256, 14}}, nil},
		{"AES128-SHA1-MODP2048", []ikeTransform{{aesIKE(128), sha, 14}}, nil},
		{"aes_cbc256-sha1-modp2048", []ikeTransform{{aesIKE(256), sha, 14}}, nil},
		{"aes128+aes256-sha1-modp2048", []ikeTransform{{aesIKE(128), sha, 14}, {aesIKE(256), sha, 14}}, nil},
		{"aes128-aes256-sha1-sha256-modp2048", []ikeTransform{
			{aesIKE(128), sha, 14}, {aesIKE(128), sha256, 14}, {aesIKE(256), sha, 14}, {aesIKE(256), sha256, 14}}, nil},
		{"aes256-sha1-modp2048,aes256-sha1-modp2048", []ikeTransform{{aesIKE(256), sha, 14}}, nil},
		{"aes256-sha1-prfsha1-modp2048", []ikeTransform{{aesIKE(256), sha, 14}}, nil},
		{"aes256-sha1-prfsha256-modp2048", []ikeTransform{{aesIKE(256), sha, 14}}, []string{`"prfsha256" dropped`}},
		{"3des-md5", []ikeTransform{{des3, md5, 14}}, []string{"names no DH group; modp2048 (group 14) assumed"}},
		{"aes256-modp2048", []ikeTransform{{aesIKE(256), sha256, 14}, {aesIKE(256), sha, 14}}, []string{"names no hash"}},
		{"blowfish128-sha1-modp1024,3des-sha1-modp1024", []ikeTransform{{des3, sha, 2}},
			[]string{`"blowfish128" is not supported by AIX`, `"blowfish128-sha1-modp1024" has no encryption`}},
		{"aes256-sha384-sha1-modp2048", []ikeTransform{{aesIKE(256), sha, 14}}, []string{`"sha384" is not supported`}},
		{"aes256-sha512-modp2048", nil, []string{`"sha512" is not supported`, "has no hash AIX supports"}},
		{"aes256-sha1-modp3072", nil, []string{`"modp3072" is not supported`, "has no DH group AIX supports"}},
		{"aes256-sha1-curve25519-modp2048", []ikeTransform{{aesIKE(256), sha, 14}}, []string{`"curve25519" is not supported`}},
		{"aes128gcm16-prfsha256-ecp256", nil, []string{"AEAD ciphers cannot protect IKEv1 phase 1; proposal"}},
		{"aes128gcm16-aes128-sha1-modp2048", []ikeTransform{{aesIKE(128), sha, 14}}, []string{"AEAD ciphers cannot protect IKEv1 phase 1; dropped from"}},
		{"aes256-sah1-modp2048,3des-sha1-modp1024", []ikeTransform{{des3, sha, 2}}, []string{`"sah1" is not a known algorithm; proposal "aes256-sah1-modp2048" dropped`}},
		{"aes512-sha1-modp2048", nil, []string{`"aes512" is not a known algorithm`}},
		{"", nil, nil},
	} {
		got, notes := ikeTransforms(tc.list)
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(ikeTransform{}, encAlg{})); diff != "" {
			t.Errorf("ikeTransforms(%q) (-want +got):\n%s", tc.list, diff)
		}
		checkNotes(t, tc.list, notes, tc.notes)
	}
}

func checkNotes(t *testing.T, list string, got notes, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%q: notes %q, want %d like %q", list, got, len(want), want)
		return
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("%q: note %d is %q, want it to contain %q", list, i, got[i], want[i])
		}
	}
}

func TestIKETransformsLimit(t *testing.T) {
	list := "aes128-aes192-aes256-3des-des-md5-sha1-sha256-modp768-modp1024-modp1536-modp2048"
	got, notes := ikeTransforms(list)
	if len(got) != maxCombos || !strings.Contains(notes.String(), "only the first 32 combinations") {
		t.Errorf("got %d transforms, notes %q; want %d and a note", len(got), notes, maxCombos)
	}
}

func TestP2Proposals(t *testing.T) {
	aes := func(n vpnxml.KeyLength) encAlg { return aesIKE(n) }
	gcm := func(n vpnxml.KeyLength) encAlg { return encAlg{esp: vpnxml.ESPAESGCM, keyLen: n, aead: true} }
	gmac := func(n vpnxml.KeyLength) encAlg { return encAlg{esp: vpnxml.ESPAESGMAC, keyLen: n, aead: true} }
	null := encAlg{esp: vpnxml.ESPNull}
	for _, tc := range []struct {
		list   string
		ah     bool
		want   []p2Proposal
		groups []vpnxml.DHGroup
		notes  []string
	}{
		{"aes128-sha1", false, []p2Proposal{{enc: aes(128), integ: vpnxml.HMACSHA}}, nil, nil},
		{"3des-md5-96", false, []p2Proposal{{enc: des3, integ: vpnxml.HMACMD5}}, nil, nil},
		{"aes256-sha256-modp2048,aes128-sha1-modp2048!", false, []p2Proposal{
			{enc: aes(256), integ: vpnxml.HMACSHA256}, {enc: aes(128), integ: vpnxml.HMACSHA}}, []vpnxml.DHGroup{14}, nil},
		{"aes256-sha2_256;modp2048", false, []p2Proposal{{enc: aes(256), integ: vpnxml.HMACSHA256}}, []vpnxml.DHGroup{14}, nil},
		{"aes128gcm16,aes256gcm128", false, []p2Proposal{{enc: gcm(128)}, {enc: gcm(256)}}, nil, nil},
		{"aes_gcm256-null", false, []p2Proposal{{enc: gcm(256)}}, nil, nil},
		{"aes_gcm16", false, []p2Proposal{{enc: gcm(128)}}, nil, nil},
		{"aes_gcm_c-256", false, []p2Proposal{{enc: gcm(256)}}, nil, nil},
		{"aes256gmac", false, []p2Proposal{{enc: gmac(256)}}, nil, nil},
		{"aes128gcm16-sha1", false, []p2Proposal{{enc: gcm(128)}}, nil, []string{"do not apply to the AEAD"}},
		{"aes128gcm8", false, nil, nil, []string{`"aes128gcm8" is not supported`, "has no encryption"}},
		{"aes_gcm_a", false, nil, nil, []string{`"aes_gcm_a" is not a known algorithm`}},
		{"null-sha1", false, []p2Proposal{{enc: null, integ: vpnxml.HMACSHA}}, nil, nil},
		{"null-null", false, nil, nil, []string{"null encryption without integrity"}},
		{"aes128-aesxcbc", false, []p2Proposal{{enc: aes(128), integ: vpnxml.AESXCBC}}, nil, nil},
		{"aes128", false, []p2Proposal{{enc: aes(128), integ: vpnxml.HMACSHA256}, {enc: aes(128), integ: vpnxml.HMACSHA}},
			nil, []string{"names no integrity algorithm"}},
		{"aes128-sha512", false, nil, nil, []string{`"sha512" is not supported`, "no integrity algorithm AIX supports"}},
		{"aes128-sha1-esn", false, []p2Proposal{{enc: aes(128), integ: vpnxml.HMACSHA}}, nil, []string{"esn"}},
		{"aes128-sha1-noesn", false, []p2Proposal{{enc: aes(128), integ: vpnxml.HMACSHA}}, nil, nil},
		{"aes128-sha1-modp2048,3des-sha1-modp1024", false, []p2Proposal{
			{enc: aes(128), integ: vpnxml.HMACSHA}, {enc: des3, integ: vpnxml.HMACSHA}}, []vpnxml.DHGroup{14, 2}, nil},
		{"aes128-sha1-none", false, []p2Proposal{{enc: aes(128), integ: vpnxml.HMACSHA}}, []vpnxml.DHGroup{0}, nil},
		{"camellia256-sha1", false, nil, nil, []string{`"camellia256" is not supported`, "has no encryption"}},
		{"sha1,sha256", true, []p2Proposal{{integ: vpnxml.HMACSHA, ah: true}, {integ: vpnxml.HMACSHA256, ah: true}}, nil, nil},
		{"md5-modp1024", true, []p2Proposal{{integ: vpnxml.HMACMD5, ah: true}}, []vpnxml.DHGroup{2}, nil},
		{"aes128-sha1", true, []p2Proposal{{integ: vpnxml.HMACSHA, ah: true}}, nil, []string{"AH does not encrypt"}},
	} {
		got, notes := p2Proposals(tc.list, tc.ah)
		if diff := cmp.Diff(tc.want, got.proposals, cmp.AllowUnexported(p2Proposal{}, encAlg{})); diff != "" {
			t.Errorf("p2Proposals(%q) (-want +got):\n%s", tc.list, diff)
		}
		if diff := cmp.Diff(tc.groups, got.groups); diff != "" {
			t.Errorf("p2Proposals(%q) groups (-want +got):\n%s", tc.list, diff)
		}
		checkNotes(t, tc.list, notes, tc.notes)
	}
}
