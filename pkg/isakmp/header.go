package isakmp

import (
	"encoding/binary"
	"math"
)

// HeaderLen is the size of the ISAKMP header (RFC 2408 section 3.1).
const HeaderLen = 28

// The version this package speaks: RFC 2408 section 3.1 has
// implementations set 1.0.
const (
	MajorVersion = 1
	MinorVersion = 0
)

// Flags are the header flags of RFC 2408 section 3.1.
type Flags uint8

const (
	FlagEncryption Flags = 0x01 // E: the body after the header is encrypted
	FlagCommit     Flags = 0x02 // C: commit, RFC 2408 section 3.1
	FlagAuthOnly   Flags = 0x04 // A: authentication only
	knownFlags           = FlagEncryption | FlagCommit | FlagAuthOnly
)

// Header is the fixed ISAKMP header.
type Header struct {
	// The cookies are kept in wire byte order.
	InitiatorCookie [8]byte
	ResponderCookie [8]byte
	// NextPayload is the type of the first payload. Message.Encode
	// computes it; EncodeWithBody writes it as given.
	NextPayload PayloadType
	Major       uint8 // high nibble of the version octet
	Minor       uint8 // low nibble
	Exchange    ExchangeType
	Flags       Flags
	MessageID   uint32
	// Length is the length of the whole message, header included.
	// Message.Encode and EncodeWithBody compute it.
	Length uint32
}

// DecodeHeader decodes the header at the start of b. It checks that the
// header's length covers at least the header and no more than b; bytes of
// b after Length are not part of the message and the caller slices the
// body as b[HeaderLen:h.Length]. Version and flags are checked: a version
// other than 1.0 is an *UnsupportedError with INVALID-MAJOR-VERSION or
// INVALID-MINOR-VERSION, unknown flags one with INVALID-FLAGS. Exchange
// type and message ID are the engine's to judge. When the first 28 bytes
// are present the returned header is filled even on error, so that the
// engine can address a notify to the sender's cookies.
func DecodeHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < HeaderLen {
		return h, malformed(0, "header", ErrTruncated)
	}
	copy(h.InitiatorCookie[:], b[0:8])
	copy(h.ResponderCookie[:], b[8:16])
	h.NextPayload = PayloadType(b[16])
	h.Major, h.Minor = b[17]>>4, b[17]&0x0f
	h.Exchange = ExchangeType(b[18])
	h.Flags = Flags(b[19])
	h.MessageID = binary.BigEndian.Uint32(b[20:24])
	h.Length = binary.BigEndian.Uint32(b[24:28])
	if h.Major != MajorVersion {
		return h, &UnsupportedError{Offset: 17, What: "major version", Value: uint32(h.Major), Code: NotifyInvalidMajorVersion}
	}
	if h.Minor != MinorVersion {
		return h, &UnsupportedError{Offset: 17, What: "minor version", Value: uint32(h.Minor), Code: NotifyInvalidMinorVersion}
	}
	if h.Flags&^knownFlags != 0 {
		return h, &UnsupportedError{Offset: 19, What: "flags", Value: uint32(h.Flags), Code: NotifyInvalidFlags}
	}
	if h.Length < HeaderLen {
		return h, malformed(24, "header length", ErrLength)
	}
	if uint64(h.Length) > uint64(len(b)) {
		return h, malformed(24, "header length", ErrTruncated)
	}
	return h, nil
}

// appendTo appends the header with the given next payload and length.
func (h *Header) appendTo(b []byte, next PayloadType, length int) ([]byte, error) {
	if h.Major != MajorVersion || h.Minor != MinorVersion {
		return nil, encodeError("header", "version %d.%d, want %d.%d", h.Major, h.Minor, MajorVersion, MinorVersion)
	}
	if h.Flags&^knownFlags != 0 {
		return nil, encodeError("header", "unknown flags %#x", uint8(h.Flags))
	}
	if length > math.MaxUint32 {
		return nil, encodeError("header", "message length %d", length)
	}
	b = append(b, h.InitiatorCookie[:]...)
	b = append(b, h.ResponderCookie[:]...)
	b = append(b, byte(next), h.Major<<4|h.Minor, byte(h.Exchange), byte(h.Flags))
	b = binary.BigEndian.AppendUint32(b, h.MessageID)
	b = binary.BigEndian.AppendUint32(b, uint32(length))
	return b, nil
}

// EncodeWithBody returns the message made of h and body, the body already
// encrypted by the engine (or plaintext produced by EncodePayloads). It
// writes h.NextPayload as given, which for an encrypted body must be the
// type EncodePayloads returned, and computes the length. It does not set
// the E flag: the caller says what the body is.
func EncodeWithBody(h Header, body []byte) ([]byte, error) {
	out := make([]byte, 0, HeaderLen+len(body))
	out, err := h.appendTo(out, h.NextPayload, HeaderLen+len(body))
	if err != nil {
		return nil, err
	}
	return append(out, body...), nil
}
