package preshared

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/google/go-cmp/cmp"

	"github.com/ikemu/ikemu/pkg/engine"
)

// fakeResolve is the test name service.
func fakeResolve(name string) ([]netip.Addr, error) {
	m := map[string][]string{
		"gw4":    {"192.0.2.1"},
		"gw6":    {"2001:db8::1"},
		"dual":   {"2001:db8::2", "192.0.2.2"},
		"mapped": {"::ffff:192.0.2.3"},
		"multi4": {"192.0.2.4", "192.0.2.5"},
		"net10":  {"10.0.0.0"},
		"mcast":  {"224.0.0.9"},
		"scoped": {"fe80::1%lo0"},
		"empty":  {},
	}
	if name == "slow" {
		return nil, fmt.Errorf("lookup %s: %w", name, ErrTryAgain)
	}
	list, ok := m[name]
	if !ok {
		return nil, errors.New("no such host")
	}
	out := make([]netip.Addr, len(list))
	for i, s := range list {
		out[i] = netip.MustParseAddr(s)
	}
	return out, nil
}

// addrKey builds the file-parser view of an address entry.
func addrKey(ltext, laddr string, lplen int, rtext, raddr string, rplen int, key []byte, bits int) engine.PresharedKey {
	la, ra := netip.MustParseAddr(laddr), netip.MustParseAddr(raddr)
	return engine.PresharedKey{
		Mode:        engine.XchgBase,
		LocalIDType: addrKind(la), LocalAddr: la, LocalPlen: lplen, LocalText: ltext,
		RemoteIDType: addrKind(ra), RemoteAddr: ra, RemotePlen: rplen, RemoteText: rtext,
		Key: key, KeyBits: bits, Origin: "solaris",
	}
}

// simple is addrKey for literal addresses without prefixes.
func simple(l, r string, key []byte, bits int) engine.PresharedKey {
	return addrKey(l, l, -1, r, r, -1, key, bits)
}

// entryText wraps field lines into one entry.
func entryText(lines ...string) string {
	s := "{\n"
	for _, l := range lines {
		s += "\t" + l + "\n"
	}
	return s + "}\n"
}

// basic is a valid entry with fields to vary.
func basic(extra ...string) string {
	return entryText(append([]string{"localid 10.1.1.2", "remoteid 10.21.12.4", "key abcd"}, extra...)...)
}

func abcd() []byte { return []byte{0xab, 0xcd} }

// diff is cmp.Diff that compares netip.Addr by value.
func diff(want, got any) string {
	return cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }))
}
