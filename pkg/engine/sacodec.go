package engine

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"
)

// Phase 1 SAs are the lab's largest table (100,000 rows is a target), so
// they are stored in a compact binary form rather than JSON: a dump maps
// and decodes a third of the bytes, which keeps both its time and its
// resident set within the limits.

// saCodecVersion 2 appends the tunnel number, 3 the error counters;
// older records read with zeros there.
const saCodecVersion = 3

var errSACodec = &Error{Kind: ErrDamaged, Detail: "corrupt phase 1 SA record"}

func (sa *Phase1SA) marshalBinary() []byte {
	b := make([]byte, 0, 256)
	b = append(b, saCodecVersion)
	b = binary.BigEndian.AppendUint64(b, sa.CookieI)
	b = binary.BigEndian.AppendUint64(b, sa.CookieR)
	flags := byte(0)
	if sa.Initiator {
		flags = 1
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(sa.Mode))
	b = binary.AppendVarint(b, sa.Created.UnixNano())
	x := sa.Xform
	for _, v := range []uint64{uint64(x.Auth), uint64(x.Cipher), uint64(x.KeyMin), uint64(x.KeyMax),
		uint64(x.Hash), uint64(x.Group), uint64(x.LifetimeSecs), uint64(x.LifetimeKB),
		uint64(sa.PFS), uint64(sa.LocalPort), uint64(sa.RemotePort), uint64(sa.QMCreated), uint64(sa.QMDeleted)} {
		b = binary.AppendUvarint(b, v)
	}
	for _, a := range []netip.Addr{sa.Local.First, sa.Local.Last, sa.Remote.First, sa.Remote.Last} {
		b = appendBytes(b, addrBytes(a))
	}
	b = appendBytes(b, []byte(sa.PolicyLabel))
	k := sa.Keys
	for _, v := range [][]byte{k.PSK, k.SKEYID, k.SKEYIDd, k.SKEYIDa, k.SKEYIDe, k.EncKey, k.IV} {
		b = appendBytes(b, v)
	}
	b = binary.AppendUvarint(b, uint64(sa.TunnelNum))
	e := sa.Errors
	for _, v := range []uint32{e.RXDecrypt, e.RXHash, e.RXOther, e.TX} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	return b
}

func addrBytes(a netip.Addr) []byte {
	if !a.IsValid() {
		return nil
	}
	return a.AsSlice()
}

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// saReader walks a record, remembering the first error.
type saReader struct {
	b   []byte
	err error
}

func (r *saReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errSACodec
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *saReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errSACodec
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *saReader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errSACodec
		return nil
	}
	v := append([]byte(nil), r.b[:n]...)
	r.b = r.b[n:]
	return v
}

func (r *saReader) fixed(n int) []byte {
	if r.err != nil || len(r.b) < n {
		r.err = errSACodec
		return make([]byte, n)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *saReader) addr() netip.Addr {
	a, _ := netip.AddrFromSlice(r.bytes())
	return a
}

func unmarshalSA(raw []byte) (*Phase1SA, error) {
	if len(raw) == 0 || raw[0] < 1 || raw[0] > saCodecVersion {
		return nil, fmt.Errorf("%w: unknown version", errSACodec)
	}
	r := &saReader{b: raw[1:]}
	sa := &Phase1SA{}
	sa.CookieI = binary.BigEndian.Uint64(r.fixed(8))
	sa.CookieR = binary.BigEndian.Uint64(r.fixed(8))
	sa.Initiator = r.fixed(1)[0]&1 != 0
	sa.Mode = ExchangeMode(r.uvarint())
	sa.Created = time.Unix(0, r.varint())
	x := &sa.Xform
	x.Auth, x.Cipher = AuthMethod(r.uvarint()), Cipher(r.uvarint())
	x.KeyMin, x.KeyMax = int(r.uvarint()), int(r.uvarint())
	x.Hash, x.Group = Hash(r.uvarint()), int(r.uvarint())
	x.LifetimeSecs, x.LifetimeKB = uint32(r.uvarint()), uint32(r.uvarint())
	sa.PFS, sa.LocalPort, sa.RemotePort = int(r.uvarint()), int(r.uvarint()), int(r.uvarint())
	sa.QMCreated, sa.QMDeleted = uint32(r.uvarint()), uint32(r.uvarint())
	sa.Local = AddrRange{r.addr(), r.addr()}
	sa.Remote = AddrRange{r.addr(), r.addr()}
	sa.PolicyLabel = string(r.bytes())
	k := &sa.Keys
	k.PSK, k.SKEYID, k.SKEYIDd, k.SKEYIDa = r.bytes(), r.bytes(), r.bytes(), r.bytes()
	k.SKEYIDe, k.EncKey, k.IV = r.bytes(), r.bytes(), r.bytes()
	if raw[0] >= 2 {
		sa.TunnelNum = uint32(r.uvarint())
	}
	if raw[0] >= 3 {
		e := &sa.Errors
		e.RXDecrypt, e.RXHash = uint32(r.uvarint()), uint32(r.uvarint())
		e.RXOther, e.TX = uint32(r.uvarint()), uint32(r.uvarint())
	}
	if r.err != nil {
		return nil, r.err
	}
	return sa, nil
}

// cookieKey is the index key of an SA's cookie pair.
func cookieKey(ckyI, ckyR uint64) string {
	var k [16]byte
	binary.BigEndian.PutUint64(k[:8], ckyI)
	binary.BigEndian.PutUint64(k[8:], ckyR)
	return string(k[:])
}

// saCodec is the phase 1 SA table's codec.
type saCodec struct{}

func (saCodec) encode(sa *Phase1SA) ([]byte, error)  { return sa.marshalBinary(), nil }
func (saCodec) decode(raw []byte) (*Phase1SA, error) { return unmarshalSA(raw) }
