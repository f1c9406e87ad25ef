package isakmp

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecode checks that Decode never panics and that whatever decodes
// encodes back to the very same bytes and decodes to an equal message.
// Byte identity is stronger than the equality RFC 2408 needs, and the
// engine relies on it to recompute hashes over re-encoded payloads.
// The seed corpus is testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	for _, v := range []string{mainMode1Hex, informationalDeleteHex, notifyInvalidCookieHex} {
		f.Add(unhex(f, v))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			if m != nil {
				t.Fatalf("Decode returned a message with error %v", err)
			}
			return
		}
		wire, err := m.Encode()
		if err != nil {
			t.Fatalf("Encode of a decoded message: %v", err)
		}
		if !bytes.Equal(wire, b) {
			t.Fatalf("Encode(Decode(b)) differs:\n got %x\nwant %x", wire, b)
		}
		again, err := Decode(wire)
		if err != nil {
			t.Fatalf("Decode(Encode(m)): %v", err)
		}
		if d := cmp.Diff(m, again, equateEmpty); d != "" {
			t.Fatalf("Decode(Encode(m)) differs (-m +again):\n%s", d)
		}
	})
}

// FuzzDecodePayloads is FuzzDecode for the decrypted-body path: the first
// byte stands for the header's next payload, the rest is the body.
func FuzzDecodePayloads(f *testing.F) {
	f.Add(append([]byte{byte(PayloadHash)}, unhex(f, quickMode1BodyHex)...))
	f.Add(append(append([]byte{byte(PayloadHash)}, unhex(f, quickMode1BodyHex)...), 0, 0, 0, 3))
	f.Add(append([]byte{byte(PayloadSA)}, unhex(f, mainMode1Hex)[HeaderLen:]...))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 {
			return
		}
		ps, err := DecodePayloads(PayloadType(b[0]), b[1:])
		if err != nil {
			return
		}
		first, body, err := EncodePayloads(ps)
		if err != nil {
			t.Fatalf("EncodePayloads of decoded payloads: %v", err)
		}
		if first != PayloadType(b[0]) || !bytes.HasPrefix(b[1:], body) {
			t.Fatalf("EncodePayloads(DecodePayloads(b)) is not a prefix of b:\n got %x\nwant %x", body, b[1:])
		}
		again, err := DecodePayloads(first, body)
		if err != nil {
			t.Fatalf("DecodePayloads(EncodePayloads(ps)): %v", err)
		}
		if d := cmp.Diff(ps, again, equateEmpty); d != "" {
			t.Fatalf("differs (-ps +again):\n%s", d)
		}
	})
}
