package isakmp

import (
	"encoding/binary"
	"errors"
	"math/bits"
)

// AttributeType is the 15-bit type of a data attribute (RFC 2408 section
// 3.3). Its meaning depends on where the attribute sits: IKE attributes
// (RFC 2409 appendix A) in a PROTO_ISAKMP proposal, IPsec attributes (RFC
// 2407 section 4.5) in an AH, ESP or IPCOMP one.
type AttributeType uint16

// maxAttributeType is the largest type: the top bit of the field is the
// Attribute Format bit.
const maxAttributeType = 0x7fff

const attributeFormatTV = 0x8000

// Attribute is a data attribute. A basic attribute (AF=1, TV) carries a
// 16-bit Value; a variable one (AF=0, TLV) carries Data. The format is
// kept so that a decoded attribute encodes back to the same bytes.
type Attribute struct {
	Type AttributeType
	// TLV says the attribute is type/length/value (AF=0).
	TLV   bool
	Value uint16 // a TV attribute's value
	Data  []byte // a TLV attribute's value, at most 65535 bytes
}

// TV returns the basic attribute t = v.
func TV(t AttributeType, v uint16) Attribute {
	return Attribute{Type: t, Value: v}
}

// TLVAttr returns the variable attribute t = data.
func TLVAttr(t AttributeType, data []byte) Attribute {
	return Attribute{Type: t, TLV: true, Data: data}
}

// UintAttr returns the attribute t = v in the shortest form: basic when v
// fits in two octets (RFC 2409 appendix A allows a variable attribute to be
// sent basic then), otherwise variable with the fewest octets.
func UintAttr(t AttributeType, v uint64) Attribute {
	if v <= 0xffff {
		return TV(t, uint16(v))
	}
	n := (bits.Len64(v) + 7) / 8
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], v)
	return TLVAttr(t, append([]byte(nil), buf[8-n:]...))
}

// errAttributeRange: a TLV integer longer than 8 significant octets.
var errAttributeRange = errors.New("attribute value exceeds 64 bits")

// Uint returns the attribute's value as an integer: a TV attribute's value
// or a TLV attribute's big-endian data. Leading zero octets are allowed; an
// empty or longer than 64-bit value is an error.
func (a Attribute) Uint() (uint64, error) {
	if !a.TLV {
		return uint64(a.Value), nil
	}
	d := a.Data
	if len(d) == 0 {
		return 0, errAttributeRange
	}
	for len(d) > 8 && d[0] == 0 {
		d = d[1:]
	}
	if len(d) > 8 {
		return 0, errAttributeRange
	}
	var v uint64
	for _, c := range d {
		v = v<<8 | uint64(c)
	}
	return v, nil
}

func (a *Attribute) append(b []byte) ([]byte, error) {
	if a.Type == 0 || a.Type > maxAttributeType {
		return nil, encodeError("attribute", "type %d", a.Type)
	}
	if !a.TLV {
		b = binary.BigEndian.AppendUint16(b, uint16(a.Type)|attributeFormatTV)
		return binary.BigEndian.AppendUint16(b, a.Value), nil
	}
	if len(a.Data) > 0xffff {
		return nil, encodeError("attribute", "type %d: %d bytes", a.Type, len(a.Data))
	}
	b = binary.BigEndian.AppendUint16(b, uint16(a.Type))
	b = binary.BigEndian.AppendUint16(b, uint16(len(a.Data)))
	return append(b, a.Data...), nil
}

// decodeAttributes decodes the attributes filling b; off is the offset of
// b[0]. Attribute type 0 is reserved (RFC 2409 appendix A, RFC 2407
// section 4.5) and refused. A first pass validates and counts so that the
// slice is allocated once, at the size the bytes present call for.
func decodeAttributes(b []byte, off int) ([]Attribute, error) {
	n, err := countAttributes(b, off)
	if err != nil || n == 0 {
		return nil, err
	}
	as := make([]Attribute, 0, n)
	for pos := 0; pos < len(b); {
		word, v := binary.BigEndian.Uint16(b[pos:]), binary.BigEndian.Uint16(b[pos+2:])
		a := Attribute{Type: AttributeType(word & maxAttributeType)}
		pos += 4
		if word&attributeFormatTV != 0 {
			a.Value = v
		} else {
			end := pos + int(v)
			a.TLV, a.Data = true, b[pos:end:end]
			pos = end
		}
		as = append(as, a)
	}
	return as, nil
}

// countAttributes checks the attribute layout of b and counts them.
func countAttributes(b []byte, off int) (int, error) {
	n := 0
	for pos := 0; pos < len(b); n++ {
		if len(b)-pos < 4 {
			return 0, malformed(off+pos, "attribute", ErrTruncated)
		}
		word := binary.BigEndian.Uint16(b[pos:])
		if word&maxAttributeType == 0 {
			return 0, malformed(off+pos, "attribute type", ErrReserved)
		}
		l := int(binary.BigEndian.Uint16(b[pos+2:]))
		pos += 4
		if word&attributeFormatTV == 0 {
			if len(b)-pos < l {
				return 0, malformed(off+pos-2, "attribute length", ErrTruncated)
			}
			pos += l
		}
	}
	return n, nil
}
