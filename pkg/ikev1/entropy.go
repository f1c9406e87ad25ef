package ikev1

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
)

// Entropy is where an end draws its random values. Naming each draw lets
// an owner decide where it comes from: on the wire every value comes
// from crypto/rand, while a seeded lab reproduces the values its stream
// gave before negotiation ran as two parties.
type Entropy interface {
	Cookie() ([8]byte, error)
	Nonce(n int) ([]byte, error)
	DHKey(g *ikecrypto.Group) (*ikecrypto.PrivateKey, error)
	// SPI is an IPsec SPI this end will receive on; never below 256.
	SPI() (uint32, error)
	MessageID() (uint32, error)
}

// ReaderEntropy draws every value from one reader, in the order asked.
type ReaderEntropy struct{ R io.Reader }

// Cookie draws a non-zero cookie.
func (e ReaderEntropy) Cookie() ([8]byte, error) { return ikecrypto.NewCookie(e.R) }

// Nonce draws an n-byte nonce.
func (e ReaderEntropy) Nonce(n int) ([]byte, error) { return ikecrypto.NewNonce(e.R, n) }

// DHKey draws a Diffie-Hellman private key of group g.
func (e ReaderEntropy) DHKey(g *ikecrypto.Group) (*ikecrypto.PrivateKey, error) {
	return g.GenerateKey(e.R)
}

// SPI draws four bytes and keeps the SPI out of the reserved 0..255.
func (e ReaderEntropy) SPI() (uint32, error) {
	var b [4]byte
	if _, err := io.ReadFull(e.R, b[:]); err != nil {
		return 0, fmt.Errorf("ikev1: drawing an SPI: %w", err)
	}
	return binary.BigEndian.Uint32(b[:]) | 0x100, nil
}

// MessageID draws a non-zero message ID.
func (e ReaderEntropy) MessageID() (uint32, error) {
	var b [4]byte
	for range 64 {
		if _, err := io.ReadFull(e.R, b[:]); err != nil {
			return 0, fmt.Errorf("ikev1: drawing a message ID: %w", err)
		}
		if id := binary.BigEndian.Uint32(b[:]); id != 0 {
			return id, nil
		}
	}
	return 0, fmt.Errorf("ikev1: drawing a message ID: %w", ikecrypto.ErrRandomSource)
}
