package ikecrypto

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"

	"github.com/ikemu/ikemu/pkg/ikealg"
)

// ErrUnknownHash reports a hash number this package has no PRF for.
var ErrUnknownHash = errors.New("unsupported hash algorithm")

// PRF is the IKEv1 pseudo-random function: RFC 2409 section 4 says that
// without a negotiated PRF "the HMAC version of the negotiated hash
// algorithm is used", so the PRF is selected by ikealg.Hash (SADB AH
// numbers: 2 md5, 3 sha1, 5 sha256, 6 sha384, 7 sha512). The zero PRF
// returns nil from Sum and Digest rather than panicking.
type PRF struct {
	alg     ikealg.Hash
	newHash func() hash.Hash
	size    int
}

// NewPRF returns the PRF for a negotiated hash.
func NewPRF(alg ikealg.Hash) (PRF, error) {
	var f func() hash.Hash
	switch alg {
	case ikealg.HashMD5:
		f = md5.New
	case ikealg.HashSHA1:
		f = sha1.New
	case ikealg.HashSHA256:
		f = sha256.New
	case ikealg.HashSHA384:
		f = sha512.New384
	case ikealg.HashSHA512:
		f = sha512.New
	default:
		return PRF{}, fmt.Errorf("ikecrypto: %w: %d", ErrUnknownHash, int(alg))
	}
	return PRF{alg: alg, newHash: f, size: f().Size()}, nil
}

// Alg returns the hash the PRF was built from.
func (p PRF) Alg() ikealg.Hash { return p.alg }

// Size is the output length of Sum and Digest in bytes.
func (p PRF) Size() int { return p.size }

// Sum returns prf(key, data[0] | data[1] | ...), i.e. HMAC-hash.
func (p PRF) Sum(key []byte, data ...[]byte) []byte {
	if p.newHash == nil {
		return nil
	}
	m := hmac.New(p.newHash, key)
	for _, d := range data {
		m.Write(d)
	}
	return m.Sum(nil)
}

// Digest returns the plain hash of the concatenated data, which RFC 2409
// uses for the phase 1 IV and for SKEYID under public key encryption.
func (p PRF) Digest(data ...[]byte) []byte {
	if p.newHash == nil {
		return nil
	}
	h := p.newHash()
	for _, d := range data {
		h.Write(d)
	}
	return h.Sum(nil)
}

// KeyedPRF is the PRF under one key, keyed once. RFC 2409 applies SKEYID,
// SKEYID_a and SKEYID_d to several inputs each, and keying an HMAC costs
// two compressions of the hash and five allocations; a KeyedPRF keeps the
// keyed inner and outer states and starts each Sum from them. It is not
// safe for concurrent use.
type KeyedPRF struct {
	mac hash.Hash
}

// Keyed returns the PRF under key; Sum of the result is p.Sum(key, ...).
// The zero PRF gives a KeyedPRF whose Sum returns nil.
func (p PRF) Keyed(key []byte) *KeyedPRF {
	if p.newHash == nil {
		return &KeyedPRF{}
	}
	return &KeyedPRF{mac: hmac.New(p.newHash, key)}
}

// Sum returns prf(key, data[0] | data[1] | ...).
func (k *KeyedPRF) Sum(data ...[]byte) []byte {
	if k == nil || k.mac == nil {
		return nil
	}
	k.mac.Reset()
	for _, d := range data {
		k.mac.Write(d)
	}
	return k.mac.Sum(nil)
}
