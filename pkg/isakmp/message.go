package isakmp

import "encoding/binary"

// Message is an ISAKMP message whose payloads are in the clear: a
// plaintext message, or an encrypted one after the engine decrypted it.
type Message struct {
	Header   Header
	Payloads []Payload
}

// Encode returns the message on the wire. It computes the next payload
// fields and every length; Header.NextPayload and Header.Length are
// ignored. The body is written in the clear whatever the E flag says:
// to send an encrypted message use EncodePayloads and EncodeWithBody.
func (m *Message) Encode() ([]byte, error) {
	out := make([]byte, HeaderLen, HeaderLen+256*len(m.Payloads))
	first, out, err := appendPayloads(out, m.Payloads)
	if err != nil {
		return nil, err
	}
	var hdr [HeaderLen]byte
	if _, err := m.Header.appendTo(hdr[:0], first, len(out)); err != nil {
		return nil, err
	}
	copy(out, hdr[:])
	return out, nil
}

// Decode decodes a plaintext message: b is exactly one datagram. The
// header length must equal len(b), the E flag must be clear (ErrEncrypted
// otherwise) and the payload chain must end exactly at the end of b.
func Decode(b []byte) (*Message, error) {
	h, err := DecodeHeader(b)
	if err != nil {
		return nil, err
	}
	if uint64(h.Length) != uint64(len(b)) {
		return nil, malformed(24, "header length", ErrLength)
	}
	if h.Flags&FlagEncryption != 0 {
		return nil, ErrEncrypted
	}
	buf := clone(b[HeaderLen:])
	ps, end, err := decodeChain(h.NextPayload, buf, HeaderLen)
	if err != nil {
		return nil, err
	}
	if end != len(buf) {
		return nil, malformed(HeaderLen+end, "message", ErrTrailing)
	}
	return &Message{Header: h, Payloads: ps}, nil
}

// EncodePayloads returns the payload chain of ps and the type of its first
// payload, for the engine to pad, encrypt and send with EncodeWithBody.
// Without payloads it returns PayloadNone and an empty body.
func EncodePayloads(ps []Payload) (PayloadType, []byte, error) {
	first, out, err := appendPayloads(make([]byte, 0, 256*len(ps)), ps)
	if err != nil {
		return PayloadNone, nil, err
	}
	return first, out, nil
}

// DecodePayloads decodes a decrypted body whose first payload has type
// first (the header's next payload). The bytes after the payload whose
// next payload is NONE are the padding of an encrypted body (RFC 2409
// section 5.3) and are ignored; this is the only path that accepts them.
// Error offsets count from the start of body.
func DecodePayloads(first PayloadType, body []byte) ([]Payload, error) {
	ps, _, err := decodeChain(first, clone(body), 0)
	return ps, err
}

// clone copies b once so that decoded byte fields alias the copy, never
// the caller's buffer. It allocates exactly len(b).
func clone(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}

// appendPayloads appends the chain of ps to out and returns the type of
// the first payload.
func appendPayloads(out []byte, ps []Payload) (PayloadType, []byte, error) {
	for i, p := range ps {
		if p == nil {
			return PayloadNone, nil, encodeError("payload", "payload %d is nil", i)
		}
		t := p.Type()
		if !t.topLevel() && !isRaw(p) {
			return PayloadNone, nil, encodeError("payload", "%v is not a message payload", t)
		}
		start := len(out)
		next := PayloadNone
		if i+1 < len(ps) && ps[i+1] != nil {
			next = ps[i+1].Type()
		}
		out = append(out, byte(next), 0, 0, 0)
		var err error
		out, err = p.appendBody(out)
		if err != nil {
			return PayloadNone, nil, err
		}
		if err := putLength(out, start, t); err != nil {
			return PayloadNone, nil, err
		}
	}
	if len(ps) == 0 {
		return PayloadNone, out, nil
	}
	return ps[0].Type(), out, nil
}

// putLength writes the 16-bit length of the payload that starts at start
// and runs to the end of out.
func putLength(out []byte, start int, t PayloadType) error {
	n := len(out) - start
	if n > maxPayloadLen {
		return encodeError(t.String(), "payload length %d exceeds %d", n, maxPayloadLen)
	}
	binary.BigEndian.PutUint16(out[start+2:], uint16(n))
	return nil
}

// decodeChain decodes the payload chain at the start of b, whose first
// payload has type first. base is the offset of b[0] in error reports. It
// returns the payloads and where the chain ends.
func decodeChain(first PayloadType, b []byte, base int) ([]Payload, int, error) {
	var ps []Payload
	pos, t := 0, first
	for t != PayloadNone {
		next, body, end, err := genericPayload(b, pos, base, t)
		if err != nil {
			return nil, 0, err
		}
		if !t.topLevel() {
			return nil, 0, &PayloadError{Offset: base + pos, Type: t}
		}
		p, err := decodeBody(t, body, base+pos+genericHeaderLen)
		if err != nil {
			return nil, 0, err
		}
		ps = append(ps, p)
		pos, t = end, next
	}
	return ps, pos, nil
}

// genericPayload reads the generic payload header at b[pos:] and returns
// the next payload type, the body (capacity-limited so appends cannot
// overwrite what follows) and where the payload ends.
func genericPayload(b []byte, pos, base int, t PayloadType) (PayloadType, []byte, int, error) {
	if len(b)-pos < genericHeaderLen {
		return 0, nil, 0, malformed(base+pos, t.String()+" payload header", ErrTruncated)
	}
	if b[pos+1] != 0 {
		return 0, nil, 0, malformed(base+pos+1, t.String()+" payload header", ErrReserved)
	}
	n := int(binary.BigEndian.Uint16(b[pos+2:]))
	if n < genericHeaderLen {
		return 0, nil, 0, malformed(base+pos+2, t.String()+" payload length", ErrLength)
	}
	if n > len(b)-pos {
		return 0, nil, 0, malformed(base+pos+2, t.String()+" payload length", ErrTruncated)
	}
	end := pos + n
	return PayloadType(b[pos]), b[pos+genericHeaderLen : end : end], end, nil
}
