package preshared

import (
	"strings"

	"github.com/ikemu/ikemu/pkg/cnum"
)

// ParseKey parses the hex key form "<hex>[/<bits>]" shared by the file and
// the inline parser (spec 6.3). It returns the key bytes (nil when there
// are none), the bit length, and a warning (WarnTruncated or "").
//
// The checks run in the daemon's order, which matters: the bit count is
// checked and applied before the digits are validated, so "12zz/8" is a
// valid (truncated) key while "zz/16" fails with "Bit length too large".
// Errors are *Error with Line 0.
func ParseKey(s string) (key []byte, bits int, warn string, err error) {
	key, bits, warn, msg := parseHexKey(s)
	if msg != "" {
		return nil, 0, "", &Error{Msg: msg}
	}
	return key, bits, warn, nil
}

// parseHexKey is ParseKey returning the daemon's message instead of an
// error.
func parseHexKey(s string) (key []byte, bits int, warn, msg string) {
	digits, spec, hasBits := strings.Cut(s, "/")
	if hasBits {
		if digits, bits, warn, msg = applyBits(digits, spec); msg != "" {
			return nil, 0, "", msg
		}
	}
	if bits == 0 {
		// No (or a zero) bit count: the digits rounded up to whole bytes.
		bits = 4 * (len(digits) + len(digits)&1)
	}
	key, ok := decodeNibbles(digits)
	if !ok {
		// A truncation warning is never printed for a key that fails.
		return nil, 0, "", msgNotHex
	}
	if rem := bits & 7; rem != 0 {
		// Only possible with an explicit count: clear the unused low bits.
		key[len(key)-1] &= 0xff << (8 - rem)
	}
	return key, bits, warn, ""
}

// applyBits checks a /bits suffix against the digits and drops the digits
// it does not cover.
func applyBits(digits, spec string) (string, int, string, string) {
	bits, ok := scanBits(spec)
	if !ok {
		return "", 0, "", msgBadBits
	}
	need := (bits + 3) / 4 // digits needed for that many bits
	if need > len(digits) {
		return "", 0, "", msgBitsTooLarge
	}
	if len(digits)*4 > bits+3 {
		return digits[:need], bits, WarnTruncated, ""
	}
	return digits, bits, "", ""
}

// scanBits is sscanf("%u"), refusing negative values (see package doc).
func scanBits(s string) (int, bool) {
	neg, mag, ok := scanDecimal(s)
	if !ok || (neg && mag != 0) {
		return 0, false
	}
	return int(mag), true
}

// decodeNibbles turns hex digits into bytes; an odd last digit becomes the
// high nibble of the last byte ("123" is 0x12 0x30).
func decodeNibbles(s string) ([]byte, bool) {
	if s == "" {
		return nil, true
	}
	out := make([]byte, (len(s)+1)/2)
	for i := 0; i < len(s); i += 2 {
		hi := cnum.HexDigit(s[i])
		lo := 0
		if i+1 < len(s) {
			lo = cnum.HexDigit(s[i+1])
		}
		if hi < 0 || lo < 0 {
			return nil, false
		}
		out[i/2] = byte(hi<<4 | lo)
	}
	return out, true
}

// parseASCIIKey parses the S11 quoted form of a file key: the whole token
// is "...", with at least three characters inside; \" and \\ are escapes,
// any other backslash is literal, and an unescaped quote inside is an
// error. The rules below mirror the daemon's scan, including that a
// backslash run keeps counting across an escape it has just consumed.
func parseASCIIKey(tok string) ([]byte, int, string) {
	body, ok := asciiBody(tok)
	if !ok {
		return nil, 0, msgBadASCII
	}
	out := make([]byte, 0, len(body))
	escapes := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		second := i+1 < len(body)
		if c >= 0x80 || (second && body[i+1] >= 0x80) || (c == '"' && escapes%2 == 0) {
			return nil, 0, msgBadASCII
		}
		if !second || c != '\\' {
			escapes = 0
			out = append(out, c)
			continue
		}
		escapes++
		if next := body[i+1]; escapes%2 == 1 && (next == '"' || next == '\\') {
			out = append(out, next)
			i++
			continue
		}
		out = append(out, c)
	}
	return out, 8 * len(out), ""
}

// asciiBody strips the enclosing quotes of an ASCII key token. The daemon
// also meant to refuse an escaped closing quote, but its check can never
// fire, so neither does this one.
func asciiBody(tok string) (string, bool) {
	if len(tok) < 5 || tok[0] != '"' || tok[len(tok)-1] != '"' {
		return "", false
	}
	return tok[1 : len(tok)-1], true
}

// appendHex appends the lower-case hex form the daemon writes keys in.
func appendHex(b []byte, key []byte) []byte {
	const digits = "0123456789abcdef"
	for _, c := range key {
		b = append(b, digits[c>>4], digits[c&0xf])
	}
	return b
}
