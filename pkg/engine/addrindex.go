package engine

import "net/netip"

// addrIndex finds the first of a list of rows (rules, keys) that matches
// an address, without trying every row: a host with 10,000 tunnels has
// 10,000 rules and keys, and each negotiation looks one of each up. A
// row that can match only exact addresses is filed under each of them;
// every other row is wide, tried for every address. The match itself
// stays the caller's: the index only skips rows that cannot match.
type addrIndex struct {
	exact map[netip.Addr][]int
	wide  []int
}

// add files row i (rows are added in order) under the exact addresses
// it can match, or as wide when exact is false.
func (x *addrIndex) add(i int, addrs []netip.Addr, exact bool) {
	if !exact {
		x.wide = append(x.wide, i)
		return
	}
	if x.exact == nil {
		x.exact = map[netip.Addr][]int{}
	}
	for _, a := range addrs {
		rows := x.exact[a]
		if n := len(rows); n == 0 || rows[n-1] != i {
			x.exact[a] = append(rows, i)
		}
	}
}

// first is the first row, in order, filed under a or wide that match
// accepts; -1 when none does.
func (x *addrIndex) first(a netip.Addr, match func(i int) bool) int {
	ex, wide := x.exact[a], x.wide
	for len(ex) > 0 || len(wide) > 0 {
		var i int
		switch {
		case len(wide) == 0 || len(ex) > 0 && ex[0] < wide[0]:
			i, ex = ex[0], ex[1:]
		default:
			i, wide = wide[0], wide[1:]
		}
		if match(i) {
			return i
		}
	}
	return -1
}

// singleAddrs are the addresses of ranges that each hold one address;
// ok is false when some range holds more (or none).
func singleAddrs(rs []AddrRange) (addrs []netip.Addr, ok bool) {
	for _, r := range rs {
		if r.First != r.Last {
			return nil, false
		}
		addrs = append(addrs, r.First)
	}
	return addrs, true
}

// exactAddr is the one address a key's address identity can match
// (addrSideContains with a full-length prefix): ok false when it can
// match more, or is a v4-mapped address that both families reach.
// never reports an identity that matches nothing.
func exactAddr(kind IDKind, a netip.Addr, plen int) (addr netip.Addr, ok, never bool) {
	if kind != IDIPv4 && kind != IDIPv6 {
		return netip.Addr{}, false, true
	}
	a = a.WithZone("")
	switch {
	case !a.IsValid():
		return netip.Addr{}, false, true
	case a.Is4In6():
		return netip.Addr{}, false, false
	case plen < 0 || plen >= a.BitLen():
		return a, true, false
	}
	return netip.Addr{}, false, false
}
