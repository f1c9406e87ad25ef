package engine

import (
	"errors"
	"fmt"
)

// The kinds of failure the engine reports, for errors.Is. They say what
// went wrong in the engine's terms; each personality words them, and
// picks its vendor's codes, itself.
var (
	// ErrNotFound: no object of that name, key or identity.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate: the name is taken, by this personality or another.
	ErrDuplicate = errors.New("already exists")
	// ErrInvalid: the data supplied cannot be stored as it is.
	ErrInvalid = errors.New("invalid")
	// ErrTokenLogin: a PKCS#11 token refused the login, or unlocked or
	// locked no cached certificate.
	ErrTokenLogin = errors.New("token login failed")
	// ErrDamaged: a stored record does not decode.
	ErrDamaged = errors.New("damaged record")
)

// Error is an engine failure: one of the kinds above and, in neutral
// words, what it concerns. errors.Is(err, kind) sees the kind through
// any wrapping.
type Error struct {
	Kind   error
	Detail string // never shown where a vendor shows nothing
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Kind.Error()
	}
	return e.Detail
}

// Unwrap makes the kind visible to errors.Is.
func (e *Error) Unwrap() error { return e.Kind }

func errorf(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}
