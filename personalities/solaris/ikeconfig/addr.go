package ikeconfig

import (
	"encoding/binary"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/engine"
)

// parseAddrSpec reads A, A - B, A / N or (IPv4 only) A / M and leaves the
// parser on the token after it. Prefixes and masks become inclusive
// ranges. The range, prefix and mask errors are only logged by the
// daemon, which then stores garbage; here they are fatal.
func (p *parser) parseAddrSpec() (engine.AddrRange, error) {
	switch p.tok.kind {
	case tV4:
		return p.v4Spec()
	case tV6:
		return p.v6Spec()
	}
	return engine.AddrRange{}, p.fail(msgSyntax)
}

// addrValue validates the current address token.
func (p *parser) addrValue(v6 bool) (netip.Addr, error) {
	a, err := netip.ParseAddr(p.tok.text)
	switch {
	case v6 && (err != nil || !a.Is6()):
		return a, p.fail(msgBadV6)
	case !v6 && (err != nil || !a.Is4()):
		return a, p.fail(msgBadV4)
	}
	return a, nil
}

func (p *parser) v4Spec() (engine.AddrRange, error) {
	a, err := p.addrValue(false)
	if err != nil {
		return engine.AddrRange{}, err
	}
	if err := p.advance(); err != nil {
		return engine.AddrRange{}, err
	}
	switch p.tok.kind {
	case tDash:
		return p.rangeTail(a, tV4, msgV4Range)
	case tSlash:
		if err := p.advance(); err != nil {
			return engine.AddrRange{}, err
		}
		if p.tok.kind == tV4 {
			return p.v4MaskTail(a)
		}
		return p.prefixTail(a, 32, msgV4PrefixLen, msgV4Netmask)
	}
	return engine.AddrRange{First: a, Last: a}, nil
}

func (p *parser) v6Spec() (engine.AddrRange, error) {
	a, err := p.addrValue(true)
	if err != nil {
		return engine.AddrRange{}, err
	}
	if err := p.advance(); err != nil {
		return engine.AddrRange{}, err
	}
	switch p.tok.kind {
	case tDash:
		return p.rangeTail(a, tV6, msgV6Range)
	case tSlash:
		if err := p.advance(); err != nil {
			return engine.AddrRange{}, err
		}
		return p.prefixTail(a, 128, msgV6PrefixLen, msgV6Netmask)
	}
	return engine.AddrRange{First: a, Last: a}, nil
}

// rangeTail reads "- B" (the dash is current) for an address of the kind
// given; B must not be below A.
func (p *parser) rangeTail(a netip.Addr, kind tokKind, msgOrder string) (engine.AddrRange, error) {
	if err := p.value(kind); err != nil {
		return engine.AddrRange{}, err
	}
	b, err := p.addrValue(kind == tV6)
	if err != nil {
		return engine.AddrRange{}, err
	}
	if a.Compare(b) > 0 {
		return engine.AddrRange{}, p.fail(msgOrder)
	}
	return engine.AddrRange{First: a, Last: b}, p.advance()
}

// v4MaskTail handles "A / M" with M a dotted mask (current token). The
// daemon does not insist on a contiguous mask; the range is A … A|^M.
func (p *parser) v4MaskTail(a netip.Addr) (engine.AddrRange, error) {
	m, err := p.addrValue(false)
	if err != nil {
		return engine.AddrRange{}, err
	}
	av, mv := v4Uint(a), v4Uint(m)
	if av&^mv != 0 {
		return engine.AddrRange{}, p.fail(msgV4Mask)
	}
	return engine.AddrRange{First: a, Last: v4Addr(av | ^mv)}, p.advance()
}

// prefixTail handles "A / N" (N current); bits is the address length.
func (p *parser) prefixTail(a netip.Addr, bits int, msgLen, msgHost string) (engine.AddrRange, error) {
	if err := p.expect(tNumber); err != nil {
		return engine.AddrRange{}, err
	}
	n, ok := parseU32(p.tok.text)
	if !ok {
		return engine.AddrRange{}, p.fail(msgNumberRange)
	}
	if n > uint32(bits) {
		return engine.AddrRange{}, p.fail(msgLen)
	}
	pfx := netip.PrefixFrom(a, int(n))
	if pfx.Masked().Addr() != a {
		return engine.AddrRange{}, p.fail(msgHost)
	}
	return engine.AddrRange{First: a, Last: lastOf(a, int(n))}, p.advance()
}

// lastOf returns a with all bits after the first n set.
func lastOf(a netip.Addr, n int) netip.Addr {
	b := a.As16()
	off := 0
	if a.Is4() {
		off = 96
	}
	for i := off + n; i < 128; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	if a.Is4() {
		return netip.AddrFrom4([4]byte(b[12:]))
	}
	return netip.AddrFrom16(b)
}

func v4Uint(a netip.Addr) uint32 {
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

func v4Addr(v uint32) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return netip.AddrFrom4(b)
}

// checkSide applies the daemon's checks to one side's ranges at rule
// completion: one family throughout, no multicast ends (except the
// all-ones IPv6 end of "::/0"-style ranges), no IPv4-mapped or
// IPv4-compatible IPv6. It returns the family (true for IPv4) or a
// message.
func checkSide(ranges []engine.AddrRange) (is4 bool, msg string) {
	is4 = ranges[0].First.Is4()
	for _, ar := range ranges {
		if ar.First.Is4() != is4 || ar.Last.Is4() != is4 {
			return is4, msgMixedFamilies
		}
		if is4 {
			if v4Multicast(ar.First) || v4Multicast(ar.Last) {
				return is4, msgV4Multicast
			}
			continue
		}
		if msg := checkV6Range(ar); msg != "" {
			return is4, msg
		}
	}
	return is4, ""
}

func checkV6Range(ar engine.AddrRange) string {
	switch {
	case v6Multicast(ar.First) || (v6Multicast(ar.Last) && !allOnes(ar.Last)):
		return msgV6Multicast
	case ar.First.Is4In6() || ar.Last.Is4In6():
		return msgV4Mapped
	case v4Compat(ar.First) || v4Compat(ar.Last):
		return msgV4Compat
	}
	return ""
}

// v4Multicast is IN_MULTICAST: 224.0.0.0/4.
func v4Multicast(a netip.Addr) bool { return a.As4()[0]&0xf0 == 0xe0 }

// v6Multicast is IN6_IS_ADDR_MULTICAST: ff00::/8 on the raw 16 bytes
// (netip's IsMulticast would look inside IPv4-mapped addresses).
func v6Multicast(a netip.Addr) bool { return a.As16()[0] == 0xff }

func allOnes(a netip.Addr) bool {
	for _, b := range a.As16() {
		if b != 0xff {
			return false
		}
	}
	return true
}

// v4Compat is IN6_IS_ADDR_V4COMPAT: ::a.b.c.d other than :: and ::1.
func v4Compat(a netip.Addr) bool {
	b := a.As16()
	for _, x := range b[:12] {
		if x != 0 {
			return false
		}
	}
	low := binary.BigEndian.Uint32(b[12:])
	return low > 1
}
