package preshared

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

// Resolver resolves a host or network name to addresses. The lab supplies
// one; tests use a fake. Return (or wrap) ErrTryAgain for a temporary
// failure. A nil Resolver resolves nothing.
type Resolver func(name string) ([]netip.Addr, error)

// fileAddr parses an ike.preshared address value "addr[/plen]" for the
// family chosen by its type, returning the daemon's message on failure.
func fileAddr(text string, v6 bool, resolve Resolver) (netip.Addr, int, string) {
	maxLen := 32
	if v6 {
		maxLen = 128
	}
	s, plen, ok := filePrefix(text, maxLen)
	if !ok {
		return netip.Addr{}, 0, msgBadPrefix
	}
	if !v6 && isBroadcast(s) {
		return netip.AddrFrom4([4]byte{255, 255, 255, 255}), plen, ""
	}
	a, msg := lookupFamily(s, v6, resolve)
	return a, plen, msg
}

// filePrefix splits off "/n" at the first slash; n is read like strtol
// (trailing garbage ignored) and must be 0..maxLen. plen is -1 without /n.
func filePrefix(text string, maxLen int) (string, int, bool) {
	s, spec, found := strings.Cut(text, "/")
	if !found {
		return s, -1, true
	}
	neg, mag, ok := scanDecimal(spec)
	if !ok || (neg && mag != 0) || mag > uint64(maxLen) {
		return "", 0, false
	}
	return s, int(mag), true
}

// isBroadcast is the daemon's special case for the all-ones IPv4 address,
// which also catches any number strtoul reads as 0xffffffff.
func isBroadcast(s string) bool {
	return s == "255.255.255.255" || strtoul0(s) == 0xffffffff
}

// lookupFamily turns a literal or a name into an address of the wanted
// family, as getipnodebyname(af, 0) does: no v4-mapped results, and a
// literal of the other family is simply a bad address.
func lookupFamily(s string, v6 bool, resolve Resolver) (netip.Addr, string) {
	if a, ok := literal(s); ok {
		if a.Is4() == v6 {
			return netip.Addr{}, msgBadAddr
		}
		return a, ""
	}
	if s == "" || resolve == nil {
		return netip.Addr{}, msgBadAddr
	}
	addrs, err := resolve(s)
	if err != nil {
		if errors.Is(err, ErrTryAgain) {
			return netip.Addr{}, msgTryAgain
		}
		return netip.Addr{}, msgBadAddr
	}
	for _, a := range addrs {
		if a = a.WithZone(""); v6 && a.Is6() && !a.Is4In6() {
			return a, ""
		}
		if !v6 && a.Unmap().Is4() {
			return a.Unmap(), ""
		}
	}
	return netip.Addr{}, msgBadAddr
}

// literal parses a numeric address. Scoped literals ("fe80::1%lo0") are
// not numeric to inet_pton, so they count as names.
func literal(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a, true
}

// unicastMsg applies the daemon's last address checks: no multicast, and
// for IPv6 no v4-mapped or v4-compatible address (local checked first).
func unicastMsg(local, remote netip.Addr) string {
	if local.Is4() {
		if local.IsMulticast() || remote.IsMulticast() {
			return msgMulticast
		}
		return ""
	}
	if msg := v6Msg(local); msg != "" {
		return msg
	}
	return v6Msg(remote)
}

func v6Msg(a netip.Addr) string {
	switch {
	case a.IsMulticast():
		return msgMulticast
	case a.Is4In6():
		return msgMapped
	case isV4Compat(a):
		return msgCompat
	}
	return ""
}

// isV4Compat is IN6_IS_ADDR_V4COMPAT: ::a.b.c.d other than :: and ::1.
func isV4Compat(a netip.Addr) bool {
	b := a.As16()
	for _, c := range b[:12] {
		if c != 0 {
			return false
		}
	}
	last := uint32(b[12])<<24 | uint32(b[13])<<16 | uint32(b[14])<<8 | uint32(b[15])
	return last > 1
}

// ntop formats an address as the daemon's inet_ntop does. It matches Go's
// RFC 5952 form except for v4-compatible addresses, which the BIND-derived
// inet_ntop prints with a dotted tail ("::1.2.3.4").
func ntop(a netip.Addr) string {
	a = a.WithZone("")
	if !a.Is6() || a.Is4In6() {
		return a.String()
	}
	b := a.As16()
	if isV4Compat(a) && (b[12] != 0 || b[13] != 0) {
		return "::" + netip.AddrFrom4([4]byte(b[12:])).String()
	}
	return a.String()
}

// numericText is what the daemon writes for an address identity it holds
// only as a socket address: the address, then /plen when positive.
func numericText(a netip.Addr, plen int) string {
	if !a.IsValid() {
		return "" // the daemon prints nothing for an unknown family
	}
	if plen > 0 {
		return ntop(a) + "/" + strconv.Itoa(plen)
	}
	return ntop(a)
}
