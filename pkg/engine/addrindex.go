package engine

import "net/netip"

// addrIndex finds the first of a list of rows (rules, keys) that matches
// an address, without trying every row: a host with 10,000 tunnels has
// 10,000 rules and keys, and each negotiation looks one of each up. A
// row that can match only exact addresses is filed under each of them;
// every other row is wide, tried for every address. The match itself
// stays the caller's: the index only skips rows that cannot match.
type addrIndex struct {
	// exact holds the first row filed under an address, more the rest
	// (rare: two rules for one local address); keys hold no pointer,
	// so the collector need not scan 10,000 of them.
	exact map[addrKey]int32
	more  map[addrKey][]int32
	wide  []int32
}

// addrKey is an address as a map key, its zone dropped: addresses that
// differ only there share a key, which only adds rows to try.
type addrKey struct {
	b   [16]byte
	is4 bool
}

func keyOf(a netip.Addr) addrKey { return addrKey{b: a.As16(), is4: a.Is4()} }

// add files row i (rows are added in order) under the exact addresses
// it can match, or as wide when exact is false.
func (x *addrIndex) add(i int, addrs []netip.Addr, exact bool) {
	if !exact {
		x.wide = append(x.wide, int32(i))
		return
	}
	if x.exact == nil {
		x.exact = map[addrKey]int32{}
	}
	for _, a := range addrs {
		k := keyOf(a)
		first, ok := x.exact[k]
		switch {
		case !ok:
			x.exact[k] = int32(i)
		case first == int32(i):
		default:
			if x.more == nil {
				x.more = map[addrKey][]int32{}
			}
			if rows := x.more[k]; len(rows) == 0 || rows[len(rows)-1] != int32(i) {
				x.more[k] = append(rows, int32(i))
			}
		}
	}
}

// first is the first row, in order, filed under a or wide that match
// accepts; -1 when none does.
func (x *addrIndex) first(a netip.Addr, match func(i int) bool) int {
	var one [1]int32
	var ex []int32
	k := keyOf(a)
	if first, ok := x.exact[k]; ok {
		one[0] = first
		ex = append(one[:], x.more[k]...)
	}
	wide := x.wide
	for len(ex) > 0 || len(wide) > 0 {
		var i int32
		switch {
		case len(wide) == 0 || len(ex) > 0 && ex[0] < wide[0]:
			i, ex = ex[0], ex[1:]
		default:
			i, wide = wide[0], wide[1:]
		}
		if match(int(i)) {
			return int(i)
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
