package isakmp

import "strconv"

// TransformID is the protocol-specific transform identifier of a Transform
// payload (RFC 2407 section 4.4).
type TransformID uint8

// Transform identifiers. KEY_IKE is the only one for PROTO_ISAKMP (RFC
// 2407 section 4.4.2); the ESP and AH ones are RFC 2407 sections 4.4.3 and
// 4.4.4, with AES (RFC 3602) and SHA-2 (RFC 4868) from the IANA registry.
const (
	TransformKeyIKE TransformID = 1

	TransformESPDESIV64  TransformID = 1
	TransformESPDES      TransformID = 2
	TransformESP3DES     TransformID = 3
	TransformESPRC5      TransformID = 4
	TransformESPIDEA     TransformID = 5
	TransformESPCAST     TransformID = 6
	TransformESPBlowfish TransformID = 7
	TransformESP3IDEA    TransformID = 8
	TransformESPDESIV32  TransformID = 9
	TransformESPRC4      TransformID = 10
	TransformESPNull     TransformID = 11
	TransformESPAES      TransformID = 12

	TransformAHMD5      TransformID = 2
	TransformAHSHA      TransformID = 3
	TransformAHDES      TransformID = 4
	TransformAHSHA2_256 TransformID = 5
	TransformAHSHA2_384 TransformID = 6
	TransformAHSHA2_512 TransformID = 7

	TransformIPCompOUI     TransformID = 1
	TransformIPCompDeflate TransformID = 2
	TransformIPCompLZS     TransformID = 3
)

// Transform is a Transform payload (RFC 2408 section 3.6). It lives only
// inside a proposal.
type Transform struct {
	Number     uint8
	ID         TransformID
	Attributes []Attribute
}

const transformFixedLen = 4 // number, transform ID, 2 reserved

func (t *Transform) append(b []byte, next PayloadType) ([]byte, error) {
	start := len(b)
	b = append(b, byte(next), 0, 0, 0, t.Number, byte(t.ID), 0, 0)
	for i := range t.Attributes {
		var err error
		if b, err = t.Attributes[i].append(b); err != nil {
			return nil, err
		}
	}
	if err := putLength(b, start, PayloadTransform); err != nil {
		return nil, err
	}
	return b, nil
}

// decodeTransform decodes the transform payload at b[pos:]; off is the
// offset of b[0].
func decodeTransform(b []byte, pos, off int) (Transform, PayloadType, int, error) {
	next, body, end, err := genericPayload(b, pos, off, PayloadTransform)
	if err != nil {
		return Transform{}, 0, 0, err
	}
	if next != PayloadNone && next != PayloadTransform {
		return Transform{}, 0, 0, &PayloadError{Offset: off + pos, Type: next}
	}
	boff := off + pos + genericHeaderLen
	if len(body) < transformFixedLen {
		return Transform{}, 0, 0, malformed(boff, "transform payload", ErrTruncated)
	}
	if body[2] != 0 || body[3] != 0 {
		return Transform{}, 0, 0, malformed(boff+2, "transform payload", ErrReserved)
	}
	t := Transform{Number: body[0], ID: TransformID(body[1])}
	if t.Attributes, err = decodeAttributes(body[transformFixedLen:], boff+transformFixedLen); err != nil {
		return Transform{}, 0, 0, err
	}
	return t, next, end, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
