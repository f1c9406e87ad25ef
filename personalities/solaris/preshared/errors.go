package preshared

import "fmt"

// The daemon's messages for ike.preshared, reproduced verbatim (typos
// included) because they are what an administrator sees in its log.
const (
	msgNoBrace       = "Syntax error - Entry does not start with an open brace"
	msgBadField      = "Invalid attribute field name"
	msgRepeated      = "Field in an entry is repeated"
	msgBadLocalType  = "Invalid Local Id type"
	msgBadRemoteType = "Invalid Remote Id type"
	msgBadMode       = "Invalid Ike Mode"
	msgNoLocal       = "localid not defined"
	msgNoRemote      = "remotedid not defined"
	msgBadPrefix     = "Invalid prefix length format in address"
	msgTryAgain      = "Bad address string - try again later"
	msgBadAddr       = "Bad address string"
	msgFamily        = "Address versions do not match"
	msgMulticast     = "Multicast address not allowed"
	msgMapped        = "V4 mapped in v6 address not allowed"
	msgCompat        = "V4 compatible in v6 address not allowed"
	msgBadBits       = "Invalid Bit Specifier"
	msgBitsTooLarge  = "Bit length too large"
	msgNotHex        = "Invalid string format - hex string expected"
	msgBadASCII      = "Syntax error in ASCII string or quotes"

	// Not the daemon's: it accepts these files silently (see Parse).
	msgUnclosed = "End of file inside an entry: missing close brace"
	msgNUL      = "NUL byte in the file"

	// WarnTruncated is what ParseKey returns when /bits drops digits.
	WarnTruncated = "Lower bits will be truncated"
	// warnPrefix is how the daemon introduces a key warning on stderr.
	warnPrefix = "read_preshared: "

	// invalidDefinition is what ikeadm bails with for any inline failure.
	invalidDefinition = "invalid preshared key definition"
)

// Error is a failure of the preshared file grammar. Msg is the daemon's
// verbatim text; Line is the 1-based input line (0 when not applicable,
// as for ParseKey).
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// InlineError is any failure of the inline parser except ErrMultipleAddrs.
// Error() is exactly the text ikeadm bails with, so callers can print it
// as is ("ikeadm: Error: " + err.Error()).
type InlineError struct {
	// Reason says what was wrong; ikeadm never shows it (for logs and tests).
	Reason string
	// Notice, when not empty, is a line ikeadm prints (with its "ikeadm: "
	// prefix) before the bail line, e.g. "Unknown address foo.".
	Notice string
}

func (e *InlineError) Error() string { return invalidDefinition }

// constError lets sentinel errors be constants, so the package has no
// mutable globals.
type constError string

func (e constError) Error() string { return string(e) }

const (
	// ErrMultipleAddrs is returned by ParseInline when an address name
	// resolves to more than one address. ikeadm prints this text as its
	// own line ("ikeadm: " + text) and then the usual bail line
	// "ikeadm: Error: invalid preshared key definition".
	ErrMultipleAddrs = constError("preshared key identifier cannot match multiple IP addresses")

	// ErrTryAgain is what a Resolver returns (or wraps) for a temporary
	// name service failure; Parse then reports
	// "Bad address string - try again later".
	ErrTryAgain = constError("temporary name resolution failure")
)
