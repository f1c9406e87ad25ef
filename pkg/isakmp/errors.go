package isakmp

import (
	"errors"
	"fmt"
)

// Causes wrapped by *MalformedError.
var (
	// ErrTruncated: a length or a fixed part runs past the bytes present.
	ErrTruncated = errors.New("truncated")
	// ErrLength: a length field is inconsistent with its structure.
	ErrLength = errors.New("bad length")
	// ErrReserved: a reserved field is not zero.
	ErrReserved = errors.New("reserved field not zero")
	// ErrTrailing: bytes follow the last payload of a plaintext message.
	ErrTrailing = errors.New("trailing bytes")
	// ErrCount: a count field disagrees with the items present.
	ErrCount = errors.New("count mismatch")
)

// ErrEncrypted is returned by Decode for a message whose E flag is set: its
// body must be decrypted and parsed with DecodePayloads.
var ErrEncrypted = errors.New("isakmp: message is encrypted")

// MalformedError reports bytes that do not follow the layout of RFC 2408
// or RFC 2407. The receiver answers it with PAYLOAD-MALFORMED, or with
// Code when that is set (an ID payload whose data does not fit its type
// gives INVALID-ID-INFORMATION).
type MalformedError struct {
	// Offset is where the offending structure starts: from the start of
	// the message for Decode and DecodeHeader, from the start of the body
	// for DecodePayloads.
	Offset int
	// What names the structure or field, e.g. "transform attribute".
	What string
	// Err is one of ErrTruncated, ErrLength, ErrReserved, ErrTrailing,
	// ErrCount.
	Err  error
	Code NotifyType
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("isakmp: malformed %s at offset %d: %v", e.What, e.Offset, e.Err)
}

func (e *MalformedError) Unwrap() error { return e.Err }

// Notify returns the notify message type the receiver should send.
func (e *MalformedError) Notify() NotifyType {
	if e.Code != 0 {
		return e.Code
	}
	return NotifyPayloadMalformed
}

// PayloadError reports a payload type the receiver cannot process where it
// appears: a type this package does not know, or a proposal or transform
// payload outside an SA payload. RFC 2408 section 5.2 has the receiver
// answer with INVALID-PAYLOAD-TYPE.
type PayloadError struct {
	// Offset is where the payload's generic header starts (see
	// MalformedError.Offset for the origin).
	Offset int
	Type   PayloadType
}

func (e *PayloadError) Error() string {
	return fmt.Sprintf("isakmp: invalid payload type %d at offset %d", uint8(e.Type), e.Offset)
}

// Notify returns INVALID-PAYLOAD-TYPE.
func (e *PayloadError) Notify() NotifyType { return NotifyInvalidPayloadType }

// UnsupportedError reports a well-formed value this package refuses: a
// version other than 1.0, unknown flags, a DOI other than ISAKMP or IPsec,
// a situation beyond SIT_IDENTITY_ONLY, an attribute the typed attribute
// views do not know. Code is the notify the receiver should send.
type UnsupportedError struct {
	Offset int
	What   string
	Value  uint32
	Code   NotifyType
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("isakmp: unsupported %s %d at offset %d", e.What, e.Value, e.Offset)
}

// Notify returns the notify message type the receiver should send.
func (e *UnsupportedError) Notify() NotifyType { return e.Code }

// NotifyFor returns the notify message type that answers err, and false if
// err carries none (e.g. ErrEncrypted or an encoding error).
func NotifyFor(err error) (NotifyType, bool) {
	var n interface{ Notify() NotifyType }
	if errors.As(err, &n) {
		return n.Notify(), true
	}
	return 0, false
}

func malformed(off int, what string, err error) *MalformedError {
	return &MalformedError{Offset: off, What: what, Err: err}
}

// encodeError reports a value that cannot be put on the wire.
func encodeError(what string, format string, args ...any) error {
	return fmt.Errorf("isakmp: encode %s: %s", what, fmt.Sprintf(format, args...))
}
