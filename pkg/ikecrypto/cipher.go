package ikecrypto

import (
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/pkg/ikealg"
)

var (
	// ErrUnknownCipher reports a cipher number without known sizes.
	ErrUnknownCipher = errors.New("unsupported cipher")
	// ErrKeyLength reports a key length the cipher does not take.
	ErrKeyLength = errors.New("invalid key length for cipher")
)

// CipherSizes returns the key length and block size in bytes of a phase 1
// cipher (ikealg.Cipher uses SADB ESP numbers). keyBits is the negotiated
// Key Length attribute; 0 selects the default. DES keys are 8 bytes and
// 3DES keys 24 bytes including parity bits, so 56/168 are accepted as
// well as 64/192. Blowfish takes 32..448 bits in whole bytes (default 128),
// AES 128, 192 or 256 (default 128).
func CipherSizes(c ikealg.Cipher, keyBits int) (keyLen, blockSize int, err error) {
	switch c {
	case ikealg.CipherDES:
		return fixedKey(c, keyBits, 8, 56, 64)
	case ikealg.Cipher3DES:
		return fixedKey(c, keyBits, 24, 168, 192)
	case ikealg.CipherBlowfish:
		return blowfishKey(keyBits)
	case ikealg.CipherAES:
		return aesKey(keyBits)
	}
	return 0, 0, fmt.Errorf("ikecrypto: %w: %d", ErrUnknownCipher, int(c))
}

func fixedKey(c ikealg.Cipher, keyBits, keyLen int, okBits ...int) (int, int, error) {
	if keyBits == 0 {
		return keyLen, 8, nil
	}
	for _, b := range okBits {
		if keyBits == b {
			return keyLen, 8, nil
		}
	}
	return 0, 0, fmt.Errorf("ikecrypto: %w: cipher %d, %d bits", ErrKeyLength, int(c), keyBits)
}

func blowfishKey(keyBits int) (int, int, error) {
	if keyBits == 0 {
		return 16, 8, nil
	}
	if keyBits < 32 || keyBits > 448 || keyBits%8 != 0 {
		return 0, 0, fmt.Errorf("ikecrypto: %w: blowfish, %d bits", ErrKeyLength, keyBits)
	}
	return keyBits / 8, 8, nil
}

func aesKey(keyBits int) (int, int, error) {
	switch keyBits {
	case 0:
		return 16, 16, nil
	case 128, 192, 256:
		return keyBits / 8, 16, nil
	}
	return 0, 0, fmt.Errorf("ikecrypto: %w: aes, %d bits", ErrKeyLength, keyBits)
}
