package isakmp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"net/netip"
)

// IDType is the identification type of the IPsec DOI (RFC 2407 section
// 4.6.2.1).
type IDType uint8

const (
	IDIPv4Addr       IDType = 1
	IDFQDN           IDType = 2
	IDUserFQDN       IDType = 3
	IDIPv4AddrSubnet IDType = 4
	IDIPv6Addr       IDType = 5
	IDIPv6AddrSubnet IDType = 6
	IDIPv4AddrRange  IDType = 7
	IDIPv6AddrRange  IDType = 8
	IDDERASN1DN      IDType = 9
	IDDERASN1GN      IDType = 10
	IDKeyID          IDType = 11
)

// dataLen is the exact data length of the address types, 0 for the
// variable ones.
func (t IDType) dataLen() int {
	switch t {
	case IDIPv4Addr:
		return 4
	case IDIPv4AddrSubnet, IDIPv4AddrRange:
		return 8
	case IDIPv6Addr:
		return 16
	case IDIPv6AddrSubnet, IDIPv6AddrRange:
		return 32
	}
	return 0
}

// known reports whether t is one of RFC 2407's types.
func (t IDType) known() bool { return t >= IDIPv4Addr && t <= IDKeyID }

// ID is the Identification payload in the IPsec DOI's layout (RFC 2407
// section 4.6.2), used in phase 1 and Quick Mode alike.
type ID struct {
	IDType IDType
	// Protocol and Port narrow the ID to an IP protocol and port; 0 is
	// any. In phase 1 they are 0 or UDP/500 (RFC 2407 section 4.6.2).
	Protocol uint8
	Port     uint16
	Data     []byte
}

// Type returns PayloadID.
func (ID) Type() PayloadType { return PayloadID }

const idFixedLen = 4 // ID type, protocol, port

func (id ID) appendBody(b []byte) ([]byte, error) {
	if err := id.checkData(); err != nil {
		return nil, encodeError("ID", "%v", err)
	}
	b = append(b, byte(id.IDType), id.Protocol)
	b = binary.BigEndian.AppendUint16(b, id.Port)
	return append(b, id.Data...), nil
}

var (
	errIDLength = errors.New("identification data length does not fit the ID type")
	errIDType   = errors.New("unknown or reserved ID type")
)

// checkData checks the data length against the type: exact for address
// types, non-empty for names and key IDs.
func (id ID) checkData() error {
	if !id.IDType.known() {
		return errIDType
	}
	if n := id.IDType.dataLen(); (n != 0 && len(id.Data) != n) || (n == 0 && len(id.Data) == 0) {
		return errIDLength
	}
	return nil
}

// decodeID refuses what the IPsec DOI cannot mean: a reserved or unknown
// ID type, or data whose length does not fit the type. Both are malformed
// with INVALID-ID-INFORMATION as their notify.
func decodeID(b []byte, off int) (*ID, error) {
	if len(b) < idFixedLen {
		return nil, malformed(off, "ID payload", ErrTruncated)
	}
	id := &ID{IDType: IDType(b[0]), Protocol: b[1], Port: binary.BigEndian.Uint16(b[2:]), Data: b[idFixedLen:]}
	if err := id.checkData(); err != nil {
		return nil, &MalformedError{Offset: off, What: "ID payload", Err: err, Code: NotifyInvalidIDInformation}
	}
	return id, nil
}

// IDFromAddr returns an ID_IPV4_ADDR or ID_IPV6_ADDR for a.
func IDFromAddr(a netip.Addr) ID {
	a = a.Unmap()
	if a.Is4() {
		v := a.As4()
		return ID{IDType: IDIPv4Addr, Data: v[:]}
	}
	v := a.As16()
	return ID{IDType: IDIPv6Addr, Data: v[:]}
}

// IDFromPrefix returns an ID_IPV4_ADDR_SUBNET or ID_IPV6_ADDR_SUBNET for p:
// the masked address followed by the mask.
func IDFromPrefix(p netip.Prefix) ID {
	p = p.Masked()
	addr := p.Addr().Unmap()
	n := addr.BitLen() / 8
	data := make([]byte, 0, 2*n)
	data = append(data, addr.AsSlice()...)
	for i := 0; i < n; i++ {
		ones := min(max(p.Bits()-8*i, 0), 8)
		data = append(data, byte(0xff<<(8-ones)))
	}
	t := IDIPv4AddrSubnet
	if n == 16 {
		t = IDIPv6AddrSubnet
	}
	return ID{IDType: t, Data: data}
}

// IDFromRange returns an ID_IPV4_ADDR_RANGE or ID_IPV6_ADDR_RANGE from
// first to last, both of one family.
func IDFromRange(first, last netip.Addr) (ID, error) {
	first, last = first.Unmap(), last.Unmap()
	if !first.IsValid() || first.BitLen() != last.BitLen() {
		return ID{}, fmt.Errorf("isakmp: address range %v-%v mixes families", first, last)
	}
	t := IDIPv4AddrRange
	if first.Is6() {
		t = IDIPv6AddrRange
	}
	return ID{IDType: t, Data: append(first.AsSlice(), last.AsSlice()...)}, nil
}

// IDFromFQDN returns an ID_FQDN.
func IDFromFQDN(name string) ID { return ID{IDType: IDFQDN, Data: []byte(name)} }

// IDFromUserFQDN returns an ID_USER_FQDN (user@domain).
func IDFromUserFQDN(name string) ID { return ID{IDType: IDUserFQDN, Data: []byte(name)} }

// IDFromDN returns an ID_DER_ASN1_DN from a DER distinguished name.
func IDFromDN(der []byte) ID { return ID{IDType: IDDERASN1DN, Data: der} }

// Addr returns the address of an ID_IPV4_ADDR or ID_IPV6_ADDR.
func (id ID) Addr() (netip.Addr, bool) {
	if (id.IDType != IDIPv4Addr && id.IDType != IDIPv6Addr) || id.checkData() != nil {
		return netip.Addr{}, false
	}
	a, ok := netip.AddrFromSlice(id.Data)
	return a, ok
}

// Prefix returns the subnet of an ID_IPV4_ADDR_SUBNET or
// ID_IPV6_ADDR_SUBNET. RFC 2407 allows any mask; a non-contiguous one has
// no prefix and is an error here, as are address bits outside the mask.
func (id ID) Prefix() (netip.Prefix, error) {
	if (id.IDType != IDIPv4AddrSubnet && id.IDType != IDIPv6AddrSubnet) || id.checkData() != nil {
		return netip.Prefix{}, fmt.Errorf("isakmp: ID type %d is not a subnet", id.IDType)
	}
	n := len(id.Data) / 2
	addr, _ := netip.AddrFromSlice(id.Data[:n])
	ones, zeros := 0, false
	for i, m := range id.Data[n:] {
		if zeros && m != 0 || m != 0xff && bits.OnesCount8(m) != bits.LeadingZeros8(^m) {
			return netip.Prefix{}, fmt.Errorf("isakmp: subnet mask %x is not contiguous", id.Data[n:])
		}
		if id.Data[i]&^m != 0 {
			return netip.Prefix{}, fmt.Errorf("isakmp: subnet address %v has bits outside its mask", addr)
		}
		ones += bits.OnesCount8(m)
		zeros = zeros || m != 0xff
	}
	return netip.PrefixFrom(addr, ones), nil
}

// Range returns the first and last address of an ID_IPV4_ADDR_RANGE or
// ID_IPV6_ADDR_RANGE.
func (id ID) Range() (first, last netip.Addr, err error) {
	if (id.IDType != IDIPv4AddrRange && id.IDType != IDIPv6AddrRange) || id.checkData() != nil {
		return first, last, fmt.Errorf("isakmp: ID type %d is not a range", id.IDType)
	}
	n := len(id.Data) / 2
	first, _ = netip.AddrFromSlice(id.Data[:n])
	last, _ = netip.AddrFromSlice(id.Data[n:])
	return first, last, nil
}
