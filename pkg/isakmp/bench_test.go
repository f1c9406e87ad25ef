package isakmp

import (
	"crypto/rand"
	"testing"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
)

// BenchmarkEncodeDecodeMainMode encodes and decodes Main Mode message 1
// (an SA of four transforms) and message 3 (KE of a 2048-bit group, 32-byte
// nonce): the codec's share of a phase 1 negotiation. The reference
// sub-benchmark, one group 14 key generation (a negotiation does at least
// two modular exponentiations per side), runs in the same process so the
// figures read as a ratio on a loaded machine.
func BenchmarkEncodeDecodeMainMode(b *testing.B) {
	msgs := map[string]*Message{
		"message1": {Header: testHeader(ExchangeIdentityProtection), Payloads: []Payload{ikeSA(4)}},
		"message3": {Header: testHeader(ExchangeIdentityProtection), Payloads: []Payload{&KE{Data: seq(256, 0)}, &Nonce{Data: seq(32, 0)}}},
	}
	for _, name := range []string{"message1", "message3"} {
		m := msgs[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				wire, err := m.Encode()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Decode(wire); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("reference-group14-keygen", func(b *testing.B) {
		g, err := ikecrypto.LookupGroup(14)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := g.GenerateKey(rand.Reader); err != nil {
				b.Fatal(err)
			}
		}
	})
}
