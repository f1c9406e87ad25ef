package isakmp

// RawPayload sends a payload this package does not model, such as a
// private-use type (128-255) agreed with a peer or RFC 3947's NAT-D. Its
// type must not be one the package models: decoding never produces a
// RawPayload (see the package comment), so encoding a known type raw would
// not round-trip.
type RawPayload struct {
	PayloadType PayloadType
	Body        []byte
}

// Type returns the payload's type.
func (r RawPayload) Type() PayloadType { return r.PayloadType }

func (r RawPayload) appendBody(b []byte) ([]byte, error) {
	if r.PayloadType == PayloadNone || r.PayloadType <= PayloadVendorID {
		return nil, encodeError("raw payload", "type %v is not raw", r.PayloadType)
	}
	return append(b, r.Body...), nil
}

func isRaw(p Payload) bool {
	switch p.(type) {
	case RawPayload, *RawPayload:
		return true
	}
	return false
}
