package engine

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// The index finds what a scan of every row in order finds, for keys and
// rules of every shape: exact and prefixed, v4, v6 and v4-mapped,
// zoned, identity kinds, ranges and several ranges per rule.
func TestAddrIndexAgreesWithScan(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	pool := []netip.Addr{
		netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2"), netip.MustParseAddr("10.0.1.1"),
		netip.MustParseAddr("::ffff:10.0.0.1"), netip.MustParseAddr("fe80::1"), netip.MustParseAddr("fe80::1%eth0"),
		netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2"), netip.MustParseAddr("0.0.0.0"), {},
	}
	pick := func() netip.Addr { return pool[rng.IntN(len(pool))] }
	plens := []int{-1, 0, 8, 24, 31, 32, 64, 96, 120, 128, 200}
	kinds := []IDKind{IDIPv4, IDIPv6, IDFQDN}
	for round := range 200 {
		var keys []*PresharedKey
		var rules []*Phase1Policy
		for range rng.IntN(12) {
			keys = append(keys, &PresharedKey{LocalIDType: kinds[rng.IntN(3)], LocalAddr: pick(), LocalPlen: plens[rng.IntN(len(plens))],
				RemoteIDType: kinds[rng.IntN(3)], RemoteAddr: pick(), RemotePlen: plens[rng.IntN(len(plens))]})
			p := &Phase1Policy{}
			for range rng.IntN(3) {
				a, b := pick(), pick()
				if rng.IntN(2) == 0 {
					b = a
				}
				p.LocalAddrs = append(p.LocalAddrs, AddrRange{First: a, Last: b})
			}
			for range 1 + rng.IntN(2) {
				p.RemoteAddrs = append(p.RemoteAddrs, AddrRange{First: pick(), Last: pick()})
			}
			rules = append(rules, p)
		}
		c := &pskCache{}
		for _, k := range keys {
			a, exact, never := exactAddr(k.RemoteIDType, k.RemoteAddr, k.RemotePlen)
			if !never {
				c.byRemote.add(len(c.rows), []netip.Addr{a}, exact)
			}
			c.rows = append(c.rows, pskRow{key: k})
		}
		rb := &rulebase{}
		for _, p := range rules {
			addrs, exact := singleAddrs(p.LocalAddrs)
			rb.byLocal.add(len(rb.rules), addrs, exact)
			rb.rules = append(rb.rules, p)
		}
		for _, local := range pool {
			for _, remote := range pool {
				want := -1
				for i, k := range keys {
					if k.MatchAddrs(local, remote) {
						want = i
						break
					}
				}
				got := c.byRemote.first(remote.WithZone("").Unmap(), func(i int) bool { return keys[i].MatchAddrs(local, remote) })
				if got != want {
					t.Fatalf("round %d: key for %s -> %s: index %d, scan %d (%+v)", round, local, remote, got, want, keys)
				}
				want = -1
				for i, p := range rules {
					if inRanges(p.LocalAddrs, local) && inRanges(p.RemoteAddrs, remote) {
						want = i
						break
					}
				}
				got = rb.byLocal.first(local, func(i int) bool {
					return inRanges(rules[i].LocalAddrs, local) && inRanges(rules[i].RemoteAddrs, remote)
				})
				if got != want {
					t.Fatalf("round %d: rule for %s -> %s: index %d, scan %d", round, local, remote, got, want)
				}
			}
		}
	}
}
