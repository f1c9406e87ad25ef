package isakmp

import (
	"strconv"
	"strings"
)

// PayloadType is the Next Payload value of RFC 2408 section 3.1.
type PayloadType uint8

// Payload types of RFC 2408 section 3.1.
const (
	PayloadNone        PayloadType = 0
	PayloadSA          PayloadType = 1
	PayloadProposal    PayloadType = 2
	PayloadTransform   PayloadType = 3
	PayloadKE          PayloadType = 4
	PayloadID          PayloadType = 5
	PayloadCert        PayloadType = 6
	PayloadCertRequest PayloadType = 7
	PayloadHash        PayloadType = 8
	PayloadSignature   PayloadType = 9
	PayloadNonce       PayloadType = 10
	PayloadNotify      PayloadType = 11
	PayloadDelete      PayloadType = 12
	PayloadVendorID    PayloadType = 13
)

// payloadNames holds RFC 2408's short names, separated by spaces, in type
// order.
const payloadNames = "NONE SA P T KE ID CERT CR HASH SIG NONCE N D VID"

func (t PayloadType) String() string {
	if t <= PayloadVendorID {
		return strings.Fields(payloadNames)[t]
	}
	return "PAYLOAD(" + strconv.Itoa(int(t)) + ")"
}

// genericHeaderLen is the size of the generic payload header (RFC 2408
// section 3.2): next payload, reserved, payload length.
const genericHeaderLen = 4

// maxPayloadLen is the largest payload, header included, that the 16-bit
// payload length can describe.
const maxPayloadLen = 0xffff

// Payload is one payload of a message's payload chain. Decoding returns
// pointers (*SA, *KE, ...); encoding accepts pointers or values.
type Payload interface {
	// Type is the payload type announced in the preceding next payload
	// field.
	Type() PayloadType
	// appendBody appends the payload's body: everything after the generic
	// payload header.
	appendBody(b []byte) ([]byte, error)
}

// Body returns p's body: the payload without its generic header. IKE's
// HASH_I and HASH_R are computed over SAi_b, the initiator's SA payload
// body (RFC 2409 section 5).
func Body(p Payload) ([]byte, error) {
	return p.appendBody(nil)
}

// topLevel reports whether t may appear in a message's payload chain.
func (t PayloadType) topLevel() bool {
	return t == PayloadSA || (t >= PayloadKE && t <= PayloadVendorID)
}

// decodeBody decodes the body of a top-level payload of type t. b aliases
// the decoder's copy of the input; off is the offset of b[0].
func decodeBody(t PayloadType, b []byte, off int) (Payload, error) {
	switch t {
	case PayloadSA:
		return decodeSA(b, off)
	case PayloadKE:
		return &KE{Data: b}, nil
	case PayloadID:
		return decodeID(b, off)
	case PayloadCert:
		return decodeCert(b, off)
	case PayloadCertRequest:
		return decodeCertRequest(b, off)
	case PayloadHash:
		return &Hash{Data: b}, nil
	case PayloadSignature:
		return &Signature{Data: b}, nil
	case PayloadNonce:
		return &Nonce{Data: b}, nil
	case PayloadNotify:
		return decodeNotify(b, off)
	case PayloadDelete:
		return decodeDelete(b, off)
	case PayloadVendorID:
		return &VendorID{Data: b}, nil
	}
	return nil, &PayloadError{Offset: off - genericHeaderLen, Type: t}
}
