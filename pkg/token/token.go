// Package token reaches PKCS#11 tokens through a module (the shared
// library a vendor ships) with github.com/miekg/pkcs11: it finds tokens by
// label, reads their certificate objects, logs in with a PIN, lists the
// private keys a login unlocks and signs with them.
//
// The binding needs cgo. Built without it (CGO_ENABLED=0) the package still
// compiles, Built is false and every call fails with ErrNotBuilt, so the
// rest of ikemu keeps working and says why tokens do not.
//
// Nothing here keeps a module loaded between calls: each Open loads and
// initialises the module and Close finalises and unloads it. An ikemu
// command is one short process, and the lab, not this package, remembers
// who is logged in.
package token

import (
	"errors"
	"strings"
)

var (
	// ErrNotBuilt is returned by every call of a build without cgo.
	ErrNotBuilt = errors.New("PKCS#11 support is not built in (this ikemu was built without cgo)")
	// ErrNoToken is returned for a label no initialised token of the module has.
	ErrNoToken = errors.New("no such PKCS#11 token")
	// ErrLogin is returned when the token refuses the PIN.
	ErrLogin = errors.New("PKCS#11 token login failed")
	// ErrNoKey is returned when a logged-in token has no private key with the wanted id.
	ErrNoKey = errors.New("no such private key on the token")
	// ErrModule is returned when the module cannot be loaded or initialised.
	ErrModule = errors.New("cannot load PKCS#11 module")
)

// SoftHSMModule is where Debian installs SoftHSM2's module. A lab host
// with no module of its own uses it when it is there.
const SoftHSMModule = "/usr/lib/softhsm/libsofthsm2.so"

// Certificate is an X.509 certificate object of a token.
type Certificate struct {
	Label string // CKA_LABEL
	ID    []byte // CKA_ID, which links it to its private key
	DER   []byte // CKA_VALUE
}

// Key is a private key object of a logged-in token. Only public parts are
// read: the key never leaves the token.
type Key struct {
	Label string
	ID    []byte
	// RSA is set for RSA keys: the modulus and public exponent, big-endian.
	RSA *RSAPublic
}

// RSAPublic is the public half of an RSA key as PKCS#11 stores it.
type RSAPublic struct {
	Modulus  []byte
	Exponent []byte
}

// cleanLabel trims a label as tokens pad it (blanks, and NULs from
// modules that fill with them).
func cleanLabel(s string) string { return strings.TrimRight(s, " \x00") }
