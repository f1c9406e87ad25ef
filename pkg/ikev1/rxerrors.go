package ikev1

import "errors"

// ErrUndecryptable and ErrHashMismatch classify a refused message for the
// RX error counters in.iked keeps per SA (decryption, hash, other):
// errors.Is finds them in a refusal's chain.
var (
	ErrUndecryptable = errors.New("message does not decrypt")
	ErrHashMismatch  = errors.New("hash mismatch")
)

// undecryptable is a decryption or decoding error of an encrypted body,
// worded as its cause.
type undecryptable struct{ err error }

func (e undecryptable) Error() string        { return e.err.Error() }
func (e undecryptable) Unwrap() error        { return e.err }
func (e undecryptable) Is(target error) bool { return target == ErrUndecryptable }
