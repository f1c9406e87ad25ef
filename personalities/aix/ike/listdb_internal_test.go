package ike

import (
	"net/netip"
	"testing"
)

// appendAddr writes what netip does, for every value of each byte of
// an IPv4 address and for the other kinds of address.
func TestAppendAddrIsNetipString(t *testing.T) {
	addrs := []netip.Addr{{}, netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("::ffff:10.0.0.1"),
		netip.MustParseAddr("fe80::1%eth0")}
	for i := range 256 {
		x := byte(i)
		addrs = append(addrs, netip.AddrFrom4([4]byte{x, 0, 255 - x, x / 3}), netip.AddrFrom4([4]byte{9, x, 10, 100}))
	}
	for _, a := range addrs {
		if got := string(appendAddr([]byte("x"), a)); got != "x"+a.String() {
			t.Errorf("appendAddr(%v) = %q", a, got)
		}
	}
}
