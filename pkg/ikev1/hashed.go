package ikev1

import (
	"crypto/hmac"
	"encoding/binary"
	"errors"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// A protected exchange after phase 1 (Quick Mode, informational) puts a
// HASH payload first whose value covers what follows it (RFC 2409
// sections 5.5 and 5.7).

func midBytes(mid uint32) []byte { return binary.BigEndian.AppendUint32(nil, mid) }

// hashedBody encodes rest behind a HASH payload whose value is
// prf(SKEYID_a, prefix... | rest) (macA: the prf under SKEYID_a) and
// returns the first payload type and the body to encrypt.
func hashedBody(macA *ikecrypto.KeyedPRF, prefix [][]byte, rest []isakmp.Payload) (isakmp.PayloadType, []byte, error) {
	next, body, err := isakmp.EncodePayloads(rest)
	if err != nil {
		return 0, nil, err
	}
	hash := macA.Sum(append(prefix, body)...)
	out := make([]byte, 0, 4+len(hash)+len(body))
	n := 4 + len(hash)
	out = append(out, byte(next), 0, byte(n>>8), byte(n))
	out = append(append(out, hash...), body...)
	return isakmp.PayloadHash, out, nil
}

var errNoHash = errors.New("message does not start with a HASH payload")

// checkHashed verifies the leading HASH payload of a decrypted body.
func checkHashed(macA *ikecrypto.KeyedPRF, prefix [][]byte, first isakmp.PayloadType, plain []byte, ps []isakmp.Payload) error {
	if len(ps) == 0 || first != isakmp.PayloadHash {
		return errNoHash
	}
	h, ok := ps[0].(*isakmp.Hash)
	if !ok {
		return errNoHash
	}
	start, end := 4+len(h.Data), chainEnd(first, plain)
	if start > end {
		return errNoHash
	}
	want := macA.Sum(append(prefix, plain[start:end])...)
	if !hmac.Equal(want, h.Data) {
		return ErrHashMismatch
	}
	return nil
}
