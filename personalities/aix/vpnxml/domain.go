package vpnxml

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/dnsname"
)

// attr describes one attribute of element type T: its name, whether the
// DTD requires it, its DTD type, and how its text maps to a field of T.
// One table per element drives Decode, Validate, the Writer and the DTD
// test, so the four cannot drift apart.
type attr[T any] struct {
	name string
	req  bool
	dtd  string // CDATA, NMTOKENS or an enumeration "(a|b)"
	// enum renders an enumeration's DTD type in place of dtd; only the
	// DTD test asks, so start-up does not build every attribute's.
	enum func() string
	// parse stores the value of s in e, or returns why s is outside the domain.
	parse func(e *T, s string) string
	// format appends the value held in e; false when the attribute is absent.
	format func(e *T, b []byte) ([]byte, bool)
}

// Limits of the value domains. AIX does not document them; these are our
// choices (see the package documentation).
const (
	maxName     = 64
	maxText     = 1024 // X500DN and other free text
	maxKeyID    = 255
	maxKeyValue = 512 // preshared key text (hex: 256 bytes)
	maxMinutes  = 43200
	maxKB       = 1<<31 - 1
	maxOverlap  = 1440
)

// sentinel runes mark, inside decoded text, where an entity needs
// expanding (see entity.go). They are private-use characters, so no
// legitimate value contains them and the text domains reject them.
const (
	sentOpen      = '\uE000'
	sentClose     = '\uE001'
	sentinelRunes = string(sentOpen) + string(sentClose)
)

func trimXMLSpace(s string) string { return strings.Trim(s, " \t\r\n") }

func isXMLSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

func enumAttr[T any, E ~string](name string, req bool, values []E, f func(*T) *E) attr[T] {
	return attr[T]{name: name, req: req, enum: func() string { return enumDTD(values) },
		parse: func(e *T, s string) string {
			t := trimXMLSpace(s) // the DTD makes it a token, and XML trims tokens
			for _, v := range values {
				if string(v) == t {
					*f(e) = v
					return ""
				}
			}
			return fmt.Sprintf("value %q is not one of %s", boundedio.Quote(s), enumList(values))
		},
		format: func(e *T, b []byte) ([]byte, bool) {
			v := *f(e)
			return append(b, v...), v != ""
		},
	}
}

// numEnumAttr is an enumeration of numbers where 0 means absent.
func numEnumAttr[T any, N ~int](name string, req bool, values []N, f func(*T) *N) attr[T] {
	return attr[T]{name: name, req: req, enum: func() string { return enumDTD(values) },
		parse: func(e *T, s string) string {
			t := trimXMLSpace(s)
			for _, v := range values {
				if strconv.Itoa(int(v)) == t {
					*f(e) = v
					return ""
				}
			}
			return fmt.Sprintf("value %q is not one of %s", boundedio.Quote(s), enumList(values))
		},
		format: func(e *T, b []byte) ([]byte, bool) {
			v := *f(e)
			return strconv.AppendInt(b, int64(v), 10), v != 0
		},
	}
}

// dtdType is the attribute's type as the DTD declares it.
func (a attr[T]) dtdType() string {
	if a.enum != nil {
		return a.enum()
	}
	return a.dtd
}

func enumDTD[E any](values []E) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	return "(" + strings.Join(parts, "|") + ")"
}

func enumList[E any](values []E) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}

// parseUint accepts decimal digits only: a sign or a space is more likely a
// typing mistake than an intent.
func parseUint(s string) (int, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func intAttr[T any](name string, req bool, lo, hi int, f func(*T) *Int) attr[T] {
	return attr[T]{name: name, req: req, dtd: "CDATA",
		parse: func(e *T, s string) string {
			n, ok := parseUint(s)
			if !ok {
				return fmt.Sprintf("value %q is not an integer", boundedio.Quote(s))
			}
			if n < lo || n > hi {
				return fmt.Sprintf("value %q is out of range %d-%d", boundedio.Quote(s), lo, hi)
			}
			*f(e) = IntOf(n)
			return ""
		},
		format: func(e *T, b []byte) ([]byte, bool) {
			v := *f(e)
			return strconv.AppendInt(b, int64(v.V), 10), v.Set
		},
	}
}

// stringAttr is a text attribute checked by check; "" means absent.
func stringAttr[T any](name string, req bool, check func(string) string, f func(*T) *string) attr[T] {
	return attr[T]{name: name, req: req, dtd: "CDATA",
		parse: func(e *T, s string) string {
			if msg := check(s); msg != "" {
				return msg
			}
			*f(e) = s
			return ""
		},
		format: func(e *T, b []byte) ([]byte, bool) {
			v := *f(e)
			return append(b, v...), v != ""
		},
	}
}

func nameAttr[T any](name string, req bool, f func(*T) *string) attr[T] {
	return stringAttr(name, req, checkName, f)
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '.'
}

// checkName keeps names to characters that survive every place a name
// travels: space-separated IPSec_ProposalRefs, comma-separated
// ike namelist=, and DTD NMTOKENS.
func checkName(s string) string {
	ok := s != "" && len(s) <= maxName
	for i := 0; ok && i < len(s); i++ {
		ok = isNameByte(s[i])
	}
	if !ok {
		return fmt.Sprintf("value %q is not a valid name: use 1-%d letters, digits, '_', '-' and '.'", boundedio.Quote(s), maxName)
	}
	return ""
}

// isPrintable rejects what cannot be written back unchanged or has no
// business in a name: invalid UTF-8, control characters, characters XML
// forbids, and the entity sentinels.
func isPrintable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r < 0xa0 || r == sentOpen || r == sentClose ||
			r >= 0xd800 && r < 0xe000 || r == 0xfffe || r == 0xffff {
			return false
		}
	}
	return true
}

func checkVersion(s string) string {
	major, minor, ok := strings.Cut(s, ".")
	if ok {
		_, ok1 := parseUint(major)
		_, ok2 := parseUint(minor)
		ok = ok1 && ok2 && len(major) <= 3 && len(minor) <= 3
	}
	if !ok {
		return fmt.Sprintf("value %q is not a version number such as 2.0", boundedio.Quote(s))
	}
	if s != SupportedVersion {
		// The only version IBM documents and ikedb -g writes: another
		// one may mean elements this ikedb does not know.
		return fmt.Sprintf("value %q is not a supported version: this ikedb reads version %s", boundedio.Quote(s), SupportedVersion)
	}
	return ""
}

// SupportedVersion is the AIX_VPN Version this package reads and writes.
const SupportedVersion = "2.0"

// checkFQDN accepts host names with or without dots: AIX administrators
// commonly give short names, and IKE carries the text as is.
func checkFQDN(s string) string {
	if !dnsname.Valid(s) {
		return fmt.Sprintf("value %q is not a domain name", boundedio.Quote(s))
	}
	return ""
}

func checkUserFQDN(s string) string {
	at := strings.LastIndexByte(s, '@')
	ok := at > 0 && at <= 64 && dnsname.Valid(s[at+1:])
	for i := 0; ok && i < at; i++ {
		ok = s[i] > ' ' && s[i] < 0x7f && s[i] != '@'
	}
	if !ok {
		return fmt.Sprintf("value %q is not a user@domain name", boundedio.Quote(s))
	}
	return ""
}

func checkX500DN(s string) string {
	if s == "" || len(s) > maxText || !isPrintable(s) || !strings.Contains(s, "=") {
		return fmt.Sprintf("value %q is not an X.500 distinguished name", boundedio.Quote(s))
	}
	return ""
}

func checkKeyID(s string) string {
	if s == "" || len(s) > maxKeyID || !isPrintable(s) {
		return fmt.Sprintf("value %q is not a key ID of 1-%d printable characters", boundedio.Quote(s), maxKeyID)
	}
	return ""
}

// checkKeyValue never quotes the value: it is a secret and error messages
// end up on terminals and in logs.
func checkKeyValue(s string) string {
	if s == "" || len(s) > maxKeyValue || !isPrintable(s) {
		return fmt.Sprintf("the key must be 1-%d printable characters", maxKeyValue)
	}
	return ""
}

func family(v6 bool) string {
	if v6 {
		return "IPv6"
	}
	return "IPv4"
}

func parseAddr(s string, v6 bool) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" || a.Is6() != v6 {
		return netip.Addr{}, false
	}
	return a, true
}

func addrAttr[T any](name string, req, v6 bool, f func(*T) *netip.Addr) attr[T] {
	return attr[T]{name: name, req: req, dtd: "CDATA",
		parse: func(e *T, s string) string {
			a, ok := parseAddr(s, v6)
			if !ok {
				return fmt.Sprintf("value %q is not an %s address", boundedio.Quote(s), family(v6))
			}
			*f(e) = a
			return ""
		},
		format: formatAddr(f),
	}
}

func formatAddr[T any](f func(*T) *netip.Addr) func(e *T, b []byte) ([]byte, bool) {
	return func(e *T, b []byte) ([]byte, bool) {
		a := *f(e)
		if !a.IsValid() {
			return b, false
		}
		return a.AppendTo(b), true
	}
}

// maskAttr takes a netmask in address form, as AIX filter rules do
// (255.255.255.0, ffff:ffff:ffff:ffff::); its one bits must be contiguous.
func maskAttr[T any](name string, req, v6 bool, f func(*T) *netip.Addr) attr[T] {
	return attr[T]{name: name, req: req, dtd: "CDATA",
		parse: func(e *T, s string) string {
			a, ok := parseAddr(s, v6)
			if !ok || MaskBits(a) < 0 {
				return fmt.Sprintf("value %q is not an %s netmask", boundedio.Quote(s), family(v6))
			}
			*f(e) = a
			return ""
		},
		format: formatAddr(f),
	}
}

// MaskBits returns the prefix length of a netmask, or -1 when its one bits
// are not contiguous.
func MaskBits(mask netip.Addr) int {
	b := mask.AsSlice()
	n, zero := 0, false
	for _, c := range b {
		for bit := 7; bit >= 0; bit-- {
			one := c&(1<<bit) != 0
			if one && zero {
				return -1
			}
			if one {
				n++
			}
			zero = zero || !one
		}
	}
	if len(b) == 0 {
		return -1
	}
	return n
}

// namesAttr is a space-separated list of names (IPSec_ProposalRefs).
func namesAttr[T any](name string, req bool, f func(*T) *[]string) attr[T] {
	return attr[T]{name: name, req: req, dtd: "NMTOKENS",
		parse: func(e *T, s string) string {
			list := strings.Fields(s)
			if msg := checkList(s, list, checkName); msg != "" {
				return msg
			}
			*f(e) = list
			return ""
		},
		format: func(e *T, b []byte) ([]byte, bool) { return appendList(b, *f(e)) },
	}
}

func allowedTypesAttr[T any](name string, f func(*T) *[]AllowedType) attr[T] {
	return attr[T]{name: name, dtd: "NMTOKENS",
		parse: func(e *T, s string) string {
			list := strings.Fields(s)
			if msg := checkList(s, list, checkAllowedType); msg != "" {
				return msg
			}
			out := make([]AllowedType, len(list))
			for i, v := range list {
				out[i] = AllowedType(v)
			}
			*f(e) = out
			return ""
		},
		format: func(e *T, b []byte) ([]byte, bool) { return appendList(b, *f(e)) },
	}
}

func checkList(s string, list []string, check func(string) string) string {
	if len(list) == 0 {
		return fmt.Sprintf("value %q is an empty list", boundedio.Quote(s))
	}
	for i, v := range list {
		if msg := check(v); msg != "" {
			return msg
		}
		for _, w := range list[:i] {
			if w == v {
				return fmt.Sprintf("value %q is listed more than once", boundedio.Quote(v))
			}
		}
	}
	return ""
}

func appendList[S ~string](b []byte, list []S) ([]byte, bool) {
	for i, v := range list {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, v...)
	}
	return b, len(list) > 0
}

// allowedTypes lists the tokens of IKE_IPSecDefaultAllowedTypes: the six
// address ID types, each on the local or the remote side.
var allowedTypes = func() []AllowedType {
	var out []AllowedType
	for _, side := range []string{"Local_", "Remote_"} {
		for _, t := range phase2IDs {
			out = append(out, AllowedType(side+string(t)))
		}
	}
	return out
}()

func checkAllowedType(s string) string {
	for _, v := range allowedTypes {
		if string(v) == s {
			return ""
		}
	}
	return fmt.Sprintf("value %q is not one of %s", boundedio.Quote(s), enumList(allowedTypes))
}

// pfsAttr accepts both spellings of "no PFS" seen in AIX output (0 and
// NO_PFS) and writes back the one given as none, so that the initiator and
// responder attributes come out as in ikedb -g output.
func pfsAttr[T any](name, none string, f func(*T) *PFS) attr[T] {
	return attr[T]{name: name, dtd: "(0|NO_PFS|1|2|5|14|19|20|24)",
		parse: func(e *T, s string) string {
			t := trimXMLSpace(s)
			if t == "0" || t == "NO_PFS" {
				*f(e) = NoPFS
				return ""
			}
			for _, g := range dhGroups {
				if strconv.Itoa(int(g)) == t {
					*f(e) = PFS(g)
					return ""
				}
			}
			return fmt.Sprintf("value %q is not one of 0, NO_PFS, %s", boundedio.Quote(s), enumList(dhGroups))
		},
		format: func(e *T, b []byte) ([]byte, bool) {
			switch v := *f(e); {
			case v == NoPFS:
				return append(b, none...), true
			case v == 0:
				return b, false
			default:
				return strconv.AppendInt(b, int64(v), 10), true
			}
		},
	}
}

func portAttr[T any](name string, f func(*T) *int) attr[T] {
	return attr[T]{name: name, dtd: "CDATA",
		parse: func(e *T, s string) string {
			n, ok := parseUint(s)
			if !ok || n < 1 || n > 65535 {
				return fmt.Sprintf("value %q is not a port number 1-65535", boundedio.Quote(s))
			}
			*f(e) = n
			return ""
		},
		format: func(e *T, b []byte) ([]byte, bool) {
			v := *f(e)
			return strconv.AppendInt(b, int64(v), 10), v != 0
		},
	}
}

// protocolNames are the protocols an administrator names rather than numbers.
var protocolNames = []struct {
	name string
	p    Protocol
}{{"tcp", TCP}, {"udp", UDP}, {"icmp", ICMP}, {"icmpv6", ICMPv6}}

func protocolAttr[T any](name string, f func(*T) *Protocol) attr[T] {
	return attr[T]{name: name, dtd: "CDATA",
		parse: func(e *T, s string) string {
			for _, pn := range protocolNames {
				if strings.EqualFold(s, pn.name) {
					*f(e) = pn.p
					return ""
				}
			}
			n, ok := parseUint(s)
			if !ok || n < 1 || n > 255 {
				return fmt.Sprintf("value %q is not a protocol name (tcp, udp, icmp, icmpv6) or number 1-255", boundedio.Quote(s))
			}
			*f(e) = Protocol(n)
			return ""
		},
		format: func(e *T, b []byte) ([]byte, bool) {
			v := *f(e)
			for _, pn := range protocolNames {
				if pn.p == v {
					return append(b, pn.name...), true
				}
			}
			return strconv.AppendInt(b, int64(v), 10), v != 0
		},
	}
}
