package ikecrypto

import (
	"errors"
	"fmt"
	"io"
)

// Nonce length bounds of RFC 2409 section 5: "The length of nonce payload
// MUST be between 8 and 256 bytes inclusive."
const (
	MinNonceLen = 8
	MaxNonceLen = 256
)

// maxDraws bounds every rejection-sampling loop so that a broken reader
// (one returning only zeros, say) produces an error instead of a hang. Each
// draw is accepted with probability above 1/2, so a working reader exhausts
// the budget with probability below 2^-128.
const maxDraws = 128

var (
	// ErrNonceLength reports a nonce length outside RFC 2409's 8..256.
	ErrNonceLength = errors.New("nonce length outside 8..256 bytes")
	// ErrRandomSource reports a nil reader, or one whose output was
	// rejected maxDraws times in a row.
	ErrRandomSource = errors.New("unusable random source")
)

// readRandom fills b from r. There is deliberately no fallback to
// crypto/rand: seeded labs must draw every random byte from their reader.
func readRandom(r io.Reader, b []byte) error {
	if r == nil {
		return fmt.Errorf("ikecrypto: %w: nil reader", ErrRandomSource)
	}
	if _, err := io.ReadFull(r, b); err != nil {
		return fmt.Errorf("ikecrypto: reading random bytes: %w", err)
	}
	return nil
}

// NewCookie draws an ISAKMP cookie from r. RFC 2408 reserves the all-zero
// cookie (a responder cookie of zero means "not yet assigned"), so zero
// draws are discarded.
func NewCookie(r io.Reader) ([8]byte, error) {
	var c [8]byte
	for range maxDraws {
		if err := readRandom(r, c[:]); err != nil {
			return [8]byte{}, err
		}
		if c != ([8]byte{}) {
			return c, nil
		}
	}
	return [8]byte{}, fmt.Errorf("ikecrypto: %w: only zero cookies drawn", ErrRandomSource)
}

// CheckNonceLen reports whether n is a nonce length RFC 2409 allows.
func CheckNonceLen(n int) error {
	if n < MinNonceLen || n > MaxNonceLen {
		return fmt.Errorf("ikecrypto: %w: %d", ErrNonceLength, n)
	}
	return nil
}

// NewNonce draws an n-byte nonce (Ni_b or Nr_b) from r.
func NewNonce(r io.Reader, n int) ([]byte, error) {
	if err := CheckNonceLen(n); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if err := readRandom(r, b); err != nil {
		return nil, err
	}
	return b, nil
}
