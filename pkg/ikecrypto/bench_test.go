package ikecrypto

import (
	"strconv"
	"testing"

	"github.com/ikemu/ikemu/pkg/ikealg"
)

// BenchmarkDH measures one end's work per SA: GenerateKey plus
// SharedSecret (including peer validation) against a fixed peer value.
func BenchmarkDH(b *testing.B) {
	for _, n := range SupportedGroups() {
		b.Run("group="+strconv.Itoa(n), func(b *testing.B) {
			g := mustGroup(b, n)
			peer, err := g.GenerateKey(seeded(99))
			if err != nil {
				b.Fatal(err)
			}
			pub := peer.PublicBytes()
			r := seeded(1)
			for b.Loop() {
				k, err := g.GenerateKey(r)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := k.SharedSecret(pub); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDerivePhase1 measures the key schedule alone (SHA-256, AES-256).
func BenchmarkDerivePhase1(b *testing.B) {
	in := validInput()
	in.Hash, in.Cipher, in.KeyBits = ikealg.HashSHA256, ikealg.CipherAES, 256
	in.GXY = make([]byte, 256)
	for b.Loop() {
		if _, err := DerivePhase1(in); err != nil {
			b.Fatal(err)
		}
	}
}
