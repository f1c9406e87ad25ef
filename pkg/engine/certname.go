package engine

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Distinguished names and certificate selectors. IKE configurations name
// certificates by selectors: a DN written most significant part first
// ("C=US, O=Example, CN=host"), or a subjectAltName ("DNS=host.example",
// "EMAIL=a@example", "IP=192.0.2.1"), optionally "SUBJECT=" or "ISSUER="
// before a DN. The daemons print DNs the same way, so FormatDN and
// ParseDN are inverses.

// dnAttr names the attribute types of DNs, both ways.
var dnAttrs = []struct {
	name string
	oid  asn1.ObjectIdentifier
}{
	{"C", asn1.ObjectIdentifier{2, 5, 4, 6}},
	{"ST", asn1.ObjectIdentifier{2, 5, 4, 8}},
	{"L", asn1.ObjectIdentifier{2, 5, 4, 7}},
	{"STREET", asn1.ObjectIdentifier{2, 5, 4, 9}},
	{"O", asn1.ObjectIdentifier{2, 5, 4, 10}},
	{"OU", asn1.ObjectIdentifier{2, 5, 4, 11}},
	{"CN", asn1.ObjectIdentifier{2, 5, 4, 3}},
	{"SERIALNUMBER", asn1.ObjectIdentifier{2, 5, 4, 5}},
	{"T", asn1.ObjectIdentifier{2, 5, 4, 12}},
	{"DC", asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}},
	{"UID", asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}},
	{"EMAIL", asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}},
}

// dnAliases are other spellings accepted when parsing.
var dnAliases = map[string]string{"S": "ST", "E": "EMAIL", "EMAILADDRESS": "EMAIL", "TITLE": "T"}

func attrName(oid asn1.ObjectIdentifier) string {
	for _, a := range dnAttrs {
		if a.oid.Equal(oid) {
			return a.name
		}
	}
	return oid.String()
}

func attrOID(name string) (asn1.ObjectIdentifier, error) {
	n := strings.ToUpper(strings.TrimSpace(name))
	if alias, ok := dnAliases[n]; ok {
		n = alias
	}
	for _, a := range dnAttrs {
		if a.name == n {
			return a.oid, nil
		}
	}
	n = strings.TrimPrefix(n, "OID.")
	var oid asn1.ObjectIdentifier
	for _, part := range strings.Split(n, ".") {
		var v int
		if _, err := fmt.Sscanf(part, "%d", &v); err != nil || fmt.Sprint(v) != part {
			return nil, fmt.Errorf("unknown attribute type %q", name)
		}
		oid = append(oid, v)
	}
	if len(oid) < 2 {
		return nil, fmt.Errorf("unknown attribute type %q", name)
	}
	return oid, nil
}

// FormatDN renders a DER-encoded name (a certificate's RawSubject or
// RawIssuer) in certificate order, "C=US, O=Example, CN=host".
func FormatDN(der []byte) string {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(der, &rdns); err != nil || len(rest) > 0 {
		return ""
	}
	return formatRDNs(rdns)
}

func formatRDNs(rdns pkix.RDNSequence) string {
	parts := make([]string, 0, len(rdns))
	for _, rdn := range rdns {
		avas := make([]string, 0, len(rdn))
		for _, ava := range rdn {
			avas = append(avas, attrName(ava.Type)+"="+escapeDNValue(fmt.Sprint(ava.Value)))
		}
		parts = append(parts, strings.Join(avas, " + "))
	}
	return strings.Join(parts, ", ")
}

func escapeDNValue(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case strings.IndexByte(`,+"\<>;`, c) >= 0,
			i == 0 && (c == '#' || c == ' '),
			i == len(v)-1 && c == ' ':
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ParseDN parses a DN written as FormatDN writes it: RDNs separated by
// ',' (or ';'), attributes of one RDN by '+', backslash escapes (also
// \HH), and optionally double-quoted values.
func ParseDN(s string) (pkix.RDNSequence, error) {
	var rdns pkix.RDNSequence
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty distinguished name")
	}
	for _, rdnText := range splitUnescaped(s, ",;") {
		var rdn pkix.RelativeDistinguishedNameSET
		for _, avaText := range splitUnescaped(rdnText, "+") {
			eq := indexUnescaped(avaText, '=')
			if eq < 0 {
				return nil, fmt.Errorf("%q has no '=' in %q", strings.TrimSpace(avaText), s)
			}
			oid, err := attrOID(avaText[:eq])
			if err != nil {
				return nil, err
			}
			val, err := unescapeDNValue(strings.TrimSpace(avaText[eq+1:]))
			if err != nil {
				return nil, err
			}
			rdn = append(rdn, pkix.AttributeTypeAndValue{Type: oid, Value: val})
		}
		rdns = append(rdns, rdn)
	}
	return rdns, nil
}

// splitUnescaped splits s at every separator byte not escaped by a
// backslash or inside double quotes.
func splitUnescaped(s, seps string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && strings.IndexByte(seps, c) >= 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func indexUnescaped(s string, sep byte) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			return i
		}
	}
	return -1
}

func unescapeDNValue(v string) (string, error) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' {
			b.WriteByte(v[i])
			continue
		}
		if i+1 >= len(v) {
			return "", fmt.Errorf("dangling backslash in %q", v)
		}
		if i+2 < len(v) && isHex(v[i+1]) && isHex(v[i+2]) {
			x, _ := hex.DecodeString(v[i+1 : i+3])
			b.Write(x)
			i += 2
			continue
		}
		b.WriteByte(v[i+1])
		i++
	}
	return b.String(), nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// sameDN compares two names attribute by attribute: types exactly, values
// without regard to case or runs of blanks, as directory matching does.
func sameDN(a, b pkix.RDNSequence) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !a[i][j].Type.Equal(b[i][j].Type) || foldValue(a[i][j].Value) != foldValue(b[i][j].Value) {
				return false
			}
		}
	}
	return true
}

func foldValue(v any) string {
	return strings.ToLower(strings.Join(strings.Fields(fmt.Sprint(v)), " "))
}

// dnMatches reports whether the DN text names the DER name, written in
// certificate order or reversed (RFC 4514 order).
func dnMatches(text string, der []byte) bool {
	want, err := ParseDN(text)
	if err != nil {
		return false
	}
	var got pkix.RDNSequence
	if rest, err := asn1.Unmarshal(der, &got); err != nil || len(rest) > 0 {
		return false
	}
	if sameDN(want, got) {
		return true
	}
	rev := make(pkix.RDNSequence, len(want))
	for i := range want {
		rev[len(want)-1-i] = want[i]
	}
	return sameDN(rev, got)
}

// CertMatches reports whether a certificate selector (without a leading
// '!') selects c. The empty selector selects every certificate, as
// remote_id "" does.
func CertMatches(sel string, c *x509.Certificate) bool {
	sel = strings.TrimSpace(sel)
	if sel == "" {
		return true
	}
	key, val, hasKey := strings.Cut(sel, "=")
	single := indexUnescaped(val, ',') < 0
	switch k := strings.ToUpper(strings.TrimSpace(key)); {
	case hasKey && k == "SUBJECT":
		return dnMatches(val, c.RawSubject)
	case hasKey && k == "ISSUER":
		return dnMatches(val, c.RawIssuer)
	case hasKey && k == "DNS" && single:
		return hasFold(c.DNSNames, val)
	case hasKey && (k == "EMAIL" || k == "MBOX" || k == "E") && single:
		return hasFold(c.EmailAddresses, val) || dnMatches(sel, c.RawSubject)
	case hasKey && k == "IP" && single:
		return hasIP(c, val)
	case hasKey && k == "URI" && single:
		for _, u := range c.URIs {
			if u.String() == strings.TrimSpace(val) {
				return true
			}
		}
		return false
	case indexUnescaped(sel, '=') >= 0:
		return dnMatches(sel, c.RawSubject)
	}
	if _, err := netip.ParseAddr(sel); err == nil {
		return hasIP(c, sel)
	}
	if strings.Contains(sel, "@") {
		return hasFold(c.EmailAddresses, sel)
	}
	return hasFold(c.DNSNames, sel)
}

// SelectorsMatch applies a rule's identity selectors: at least one
// include (any certificate when there are none) and no exclude.
func SelectorsMatch(s Selectors, c *x509.Certificate) bool {
	for _, x := range s.Exclude {
		if CertMatches(x, c) {
			return false
		}
	}
	if len(s.Include) == 0 {
		return true
	}
	for _, in := range s.Include {
		if CertMatches(in, c) {
			return true
		}
	}
	return false
}

func hasFold(list []string, v string) bool {
	v = strings.TrimSpace(v)
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func hasIP(c *x509.Certificate, text string) bool {
	a, err := netip.ParseAddr(strings.TrimSpace(text))
	if err != nil {
		return false
	}
	for _, ip := range c.IPAddresses {
		if b, ok := netip.AddrFromSlice(ip); ok && b.Unmap() == a.Unmap() {
			return true
		}
	}
	return false
}
