package ipsecconf

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/dnsname"
)

// Identity prefixes of strongSwan's explicit notation, and the AIX
// identity type each one gives.
func prefixedID(s string) (vpnxml.IDType, string, bool) {
	kind, rest, ok := strings.Cut(s, ":")
	if !ok {
		return "", "", false
	}
	switch strings.ToLower(kind) {
	case "fqdn", "dns":
		return vpnxml.FQDN, rest, true
	case "email", "rfc822", "userfqdn":
		return vpnxml.UserFQDN, rest, true
	case "keyid":
		return vpnxml.KeyID, strings.TrimPrefix(rest, "#"), true
	case "ipv4", "ipv6":
		return vpnxml.IPv4Address, rest, true // the family comes from the address
	}
	return "", "", false
}

// parseID reads an identity as written in leftid=, rightid= or before the
// colon of an ipsec.secrets entry. It returns why AIX cannot hold it when
// it cannot. Special values (%any, %fromcert, ...) are the caller's.
func parseID(s string) (vpnxml.ID, string) {
	s = strings.TrimSpace(s)
	if t, rest, ok := prefixedID(s); ok && !strings.Contains(s, "=") {
		return typedID(t, rest)
	}
	switch {
	case s == "":
		return vpnxml.ID{}, "the identity is empty"
	case strings.HasPrefix(s, "%"):
		return vpnxml.ID{}, "a special value AIX has no identity for"
	case strings.HasPrefix(s, "@#"):
		return typedID(vpnxml.KeyID, s[2:])
	case strings.HasPrefix(s, "@~"), strings.HasPrefix(s, "@["), strings.HasPrefix(s, "@@"):
		return vpnxml.ID{}, "this identity notation has no AIX equivalent"
	case strings.HasPrefix(s, "@"):
		return typedID(vpnxml.FQDN, s[1:])
	case strings.Contains(s, "="):
		return typedID(vpnxml.X500DN, s)
	case strings.Contains(s, "@"):
		return typedID(vpnxml.UserFQDN, s)
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return addrID(a), ""
	}
	// A bare name: strongSwan takes it as an FQDN identity; FreeS/WAN-era
	// tools resolved it, which this package cannot do, so it is kept as
	// the name.
	return typedID(vpnxml.FQDN, s)
}

// typedID builds an identity of a given type and checks its value.
func typedID(t vpnxml.IDType, v string) (vpnxml.ID, string) {
	if t == vpnxml.IPv4Address {
		a, err := netip.ParseAddr(v)
		if err != nil || a.Zone() != "" {
			return vpnxml.ID{}, "not an IP address"
		}
		return addrID(a), ""
	}
	id := vpnxml.ID{Type: t, Text: v}
	if msg := checkIDText(id); msg != "" {
		return vpnxml.ID{}, msg
	}
	return id, ""
}

// addrID is the identity of one host address.
func addrID(a netip.Addr) vpnxml.ID {
	if a.Is4() {
		return vpnxml.ID{Type: vpnxml.IPv4Address, Addr: a}
	}
	return vpnxml.ID{Type: vpnxml.IPv6Address, Addr: a}
}

// checkIDText applies the value domains of the AIX identity types, so that
// a bad identity is reported against its line rather than found later.
func checkIDText(id vpnxml.ID) string {
	v := id.Text
	switch id.Type {
	case vpnxml.FQDN:
		if !dnsname.Valid(v) {
			return "not a domain name AIX accepts (letters, digits, '-' and '_' in dot-separated labels)"
		}
	case vpnxml.UserFQDN:
		at := strings.LastIndexByte(v, '@')
		if at <= 0 || at > 64 || !dnsname.Valid(v[at+1:]) || !isVisibleASCII(v[:at]) || strings.Contains(v[:at], "@") {
			return "not a user@domain name AIX accepts"
		}
	case vpnxml.X500DN:
		if len(v) > 1024 || !isPrintableText(v) {
			return "not a distinguished name AIX accepts (at most 1024 printable characters)"
		}
	case vpnxml.KeyID:
		if v == "" || len(v) > 255 || !isPrintableText(v) {
			return "not a key ID AIX accepts (1-255 printable characters)"
		}
	}
	return ""
}

func isVisibleASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// isPrintableText accepts what the AIX XML text attributes accept: valid
// UTF-8 without control characters or private-use sentinels.
func isPrintableText(s string) bool {
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r < 0xa0 || r == 0xfffd || r >= 0xd800 && r < 0xf900 || r == 0xfffe || r == 0xffff {
			return false
		}
	}
	return true
}

// sameID reports whether two identities name the same thing: names
// compare without regard to case, DNs also without blanks after the
// separators.
func sameID(a, b vpnxml.ID) bool {
	if a.Type != b.Type {
		return false
	}
	if a.Type.IsAddress() {
		return a.Addr == b.Addr && a.Mask == b.Mask && a.To == b.To
	}
	if a.Type == vpnxml.X500DN {
		return strings.EqualFold(squeezeDN(a.Text), squeezeDN(b.Text))
	}
	return strings.EqualFold(a.Text, b.Text)
}

func squeezeDN(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '/' }) {
		k, v, _ := strings.Cut(part, "=")
		b.WriteString(strings.TrimSpace(k) + "=" + strings.TrimSpace(v) + ",")
	}
	return b.String()
}

// idString renders an identity for messages.
func idString(id vpnxml.ID) string {
	if id.Type.IsAddress() {
		return id.Addr.String()
	}
	return printable(id.Text)
}

// hostKind tells what a left= or right= value stands for.
type hostKind int

const (
	hostAddr         hostKind = iota // a literal address
	hostAny                          // %any and its variants, or not given
	hostDefaultRoute                 // %defaultroute: this host's address
	hostName                         // a DNS name, which this package does not resolve
	hostOther                        // %group, %opportunistic and other forms AIX has no use for
	hostBadAddr                      // written as an address, but not a valid one
)

type host struct {
	kind hostKind
	addr netip.Addr
	list bool // several addresses were given; only the first is used
}

// parseHost reads a left= or right= value.
func parseHost(v string) host {
	first, _, list := strings.Cut(v, ",")
	first = strings.TrimSpace(first)
	h := host{list: list}
	switch strings.ToLower(first) {
	case "", "%any", "%any4", "%any6", "0.0.0.0", "::":
		h.kind = hostAny
		return h
	case "%defaultroute":
		h.kind = hostDefaultRoute
		return h
	}
	if a, err := netip.ParseAddr(first); err == nil && a.Zone() == "" {
		h.kind, h.addr = hostAddr, a.Unmap()
		return h
	}
	if looksLikeAddr(first) {
		h.kind = hostBadAddr
		return h
	}
	if dnsname.Valid(first) && strings.ContainsAny(first, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		h.kind = hostName
		return h
	}
	h.kind = hostOther
	return h
}

// looksLikeAddr reports whether s is written as an IP address: digits
// and dots, or hexadecimal digits with colons.
func looksLikeAddr(s string) bool {
	if s == "" {
		return false
	}
	v4, v6 := true, strings.Contains(s, ":")
	for _, r := range s {
		isDigit := r >= '0' && r <= '9'
		isHex := isDigit || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
		v4 = v4 && (isDigit || r == '.')
		v6 = v6 && (isHex || r == ':' || r == '.' || r == '%')
	}
	return v4 && strings.Contains(s, ".") || v6
}

// selector is one side of a phase 2 tunnel: an address identity, with the
// protocol and port it is narrowed to.
type selector struct {
	id      vpnxml.ID
	proto   vpnxml.Protocol
	port    int
	dynamic bool // %dynamic: the host's own address, filled in later
	ppSet   bool // protocol/port came with the subnet, in brackets
}

// parseSubnet reads one element of leftsubnet=: an address, a CIDR subnet,
// a from-to range or %dynamic, optionally followed by [protocol/port] as
// strongSwan writes it.
func parseSubnet(s string) (selector, string) {
	base, pp, hasPP := strings.Cut(s, "[")
	var sel selector
	if hasPP {
		if !strings.HasSuffix(pp, "]") {
			return sel, "a '[' without its ']'"
		}
		var msg string
		if sel.proto, sel.port, msg = parseProtoPort(strings.TrimSuffix(pp, "]")); msg != "" {
			return sel, msg
		}
		sel.ppSet = true
	}
	if base == "%dynamic" {
		sel.dynamic = true
		return sel, ""
	}
	id, msg := subnetID(base)
	sel.id = id
	return sel, msg
}

// subnetID reads an address, CIDR subnet or address range.
func subnetID(s string) (vpnxml.ID, string) {
	if p, err := netip.ParsePrefix(s); err == nil {
		p = p.Masked()
		if p.Bits() == p.Addr().BitLen() {
			return addrID(p.Addr()), ""
		}
		t := vpnxml.IPv4Subnet
		if p.Addr().Is6() {
			t = vpnxml.IPv6Subnet
		}
		return vpnxml.ID{Type: t, Addr: p.Addr(), Mask: maskOf(p.Bits(), p.Addr().Is6())}, ""
	}
	if from, to, ok := strings.Cut(s, "-"); ok {
		return rangeID(from, to)
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return addrID(a), ""
	}
	return vpnxml.ID{}, "not an address, subnet or address range"
}

func rangeID(from, to string) (vpnxml.ID, string) {
	a, err1 := netip.ParseAddr(from)
	b, err2 := netip.ParseAddr(to)
	switch {
	case err1 != nil || err2 != nil || a.Zone() != "" || b.Zone() != "":
		return vpnxml.ID{}, "not an address range"
	case a.Is4() != b.Is4():
		return vpnxml.ID{}, "the range mixes IPv4 and IPv6"
	case b.Less(a):
		return vpnxml.ID{}, "the range ends before it starts"
	case a.Is4():
		return vpnxml.ID{Type: vpnxml.IPv4AddressRange, Addr: a, To: b}, ""
	}
	return vpnxml.ID{Type: vpnxml.IPv6AddressRange, Addr: a, To: b}, ""
}

// maskOf writes a prefix length as a netmask in address form, as AIX
// wants it.
func maskOf(bits int, v6 bool) netip.Addr {
	var b [16]byte
	for i := 0; i < bits; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	if v6 {
		return netip.AddrFrom16(b)
	}
	return netip.AddrFrom4([4]byte(b[:4]))
}

// parseProtoPort reads leftprotoport= (or the bracketed part of a
// strongSwan subnet): protocol[/port], each a number, a name or %any.
func parseProtoPort(s string) (vpnxml.Protocol, int, string) {
	proto, port, _ := strings.Cut(s, "/")
	p, msg := parseProto(proto)
	if msg != "" {
		return 0, 0, msg
	}
	n, msg := parsePort(port)
	if msg != "" {
		return 0, 0, msg
	}
	if n != 0 && p != vpnxml.TCP && p != vpnxml.UDP {
		return 0, 0, "AIX selects ports only with tcp or udp"
	}
	return p, n, ""
}

func parseProto(s string) (vpnxml.Protocol, string) {
	switch strings.ToLower(s) {
	case "", "%any", "0", "any":
		return 0, ""
	case "tcp":
		return vpnxml.TCP, ""
	case "udp":
		return vpnxml.UDP, ""
	case "icmp":
		return vpnxml.ICMP, ""
	case "icmpv6", "ipv6-icmp", "icmp6":
		return vpnxml.ICMPv6, ""
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 255 && isDigits(s) {
		return vpnxml.Protocol(n), ""
	}
	return 0, "protocol " + strconv.Quote(printable(s)) + " is not a number or one of tcp, udp, icmp, icmpv6"
}

func parsePort(s string) (int, string) {
	switch strings.ToLower(s) {
	case "", "%any", "0":
		return 0, ""
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 65535 && isDigits(s) {
		return n, ""
	}
	return 0, "port " + strconv.Quote(printable(s)) + " is not a number 1-65535 (service names and ranges are not supported)"
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
