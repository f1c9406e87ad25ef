package engine

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"net"
	"testing"
	"time"
)

// testCert makes a self-signed certificate with the given subject (in
// certificate order) and subjectAltNames.
func testCert(t *testing.T, subject string, dns, emails []string, ips []net.IP) *x509.Certificate {
	t.Helper()
	rdns, err := ParseDN(subject)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := asn1.Marshal(rdns)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), RawSubject: raw, DNSNames: dns, EmailAddresses: emails,
		IPAddresses: ips, NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<32, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFormatParseDN(t *testing.T) {
	for _, dn := range []string{
		"C=US, O=Sun Microsystems\\, Inc., CN=Sun CA",
		"C=US, O=ikemu lab, OU=hosts, CN=local",
		"DC=example, DC=com, CN=a + UID=b",
		"CN=\\#hash, EMAIL=a@example.com",
	} {
		c := testCert(t, dn, nil, nil, nil)
		if got := FormatDN(c.RawSubject); got != dn {
			t.Errorf("FormatDN(ParseDN(%q)) = %q", dn, got)
		}
	}
	for _, bad := range []string{"", "no equals sign", "XX=1", "CN=a\\"} {
		if _, err := ParseDN(bad); err == nil {
			t.Errorf("ParseDN(%q): want an error", bad)
		}
	}
	if FormatDN([]byte{1, 2, 3}) != "" {
		t.Error("FormatDN of garbage: want empty")
	}
}

func TestCertMatches(t *testing.T) {
	c := testCert(t, "C=US, O=Example\\, Inc., CN=gw.example.com",
		[]string{"gw.example.com"}, []string{"ike@example.com"}, []net.IP{net.ParseIP("192.0.2.7")})
	for sel, want := range map[string]bool{
		"": true,
		"C=US, O=Example\\, Inc., CN=gw.example.com":         true,
		"c=us,o=example\\, inc.,  cn=GW.example.com":         true,
		"CN=gw.example.com, O=Example\\, Inc., C=US":         true, // RFC 4514 order
		"\"C=US, O=Example\\, Inc., CN=gw\"":                 false,
		"C=US, CN=gw.example.com":                            false, // a partial DN is another DN
		"SUBJECT=C=US, O=Example\\, Inc., CN=gw.example.com": true,
		"ISSUER=C=US, O=Example\\, Inc., CN=gw.example.com":  true, // self-signed
		"DNS=gw.example.com":                                 true,
		"gw.example.com":                                     true,
		"other.example.com":                                  false,
		"EMAIL=ike@example.com":                              true,
		"ike@example.com":                                    true,
		"IP=192.0.2.7":                                       true,
		"192.0.2.7":                                          true,
		"192.0.2.8":                                          false,
	} {
		if got := CertMatches(sel, c); got != want {
			t.Errorf("CertMatches(%q) = %v, want %v", sel, got, want)
		}
	}
	if !SelectorsMatch(Selectors{}, c) {
		t.Error("no selectors: want a match")
	}
	if SelectorsMatch(Selectors{Include: []string{"gw.example.com"}, Exclude: []string{"IP=192.0.2.7"}}, c) {
		t.Error("an exclusion must win")
	}
}

func TestLinkage(t *testing.T) {
	c := testCert(t, "CN=x", nil, nil, nil)
	fp := KeyFingerprint(c.PublicKey)
	cases := []struct {
		name   string
		src    CertSource
		logins []TokenSession
		want   CertLinkage
	}{
		{"wire", CertSource{Wire: true}, nil, CertOffWire},
		{"key file", CertSource{File: "1", KeyFile: "0"}, nil, CertKeyAvailable},
		{"file only", CertSource{File: "1"}, nil, CertNoKey},
		{"token, not logged in", CertSource{Token: "t", ObjectID: []byte{1}}, nil, CertKeyLocked},
		{"token, logged in, by id", CertSource{Token: "t", ObjectID: []byte{1}},
			[]TokenSession{{Label: "t", Keys: []TokenKey{{ID: []byte{1}}}}}, CertKeyAvailable},
		{"token, logged in, no key", CertSource{Token: "t", ObjectID: []byte{1}},
			[]TokenSession{{Label: "t", Keys: []TokenKey{{ID: []byte{2}}}}}, CertNoKey},
		{"file, key on another token", CertSource{File: "1"},
			[]TokenSession{{Label: "u", Keys: []TokenKey{{ID: []byte{9}, Fingerprint: fp}}}}, CertKeyAvailable},
	}
	for _, tc := range cases {
		if got, _ := linkage(tc.src, c, tc.logins); got != tc.want {
			t.Errorf("%s: linkage %d, want %d", tc.name, got, tc.want)
		}
	}
}
