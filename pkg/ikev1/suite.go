package ikev1

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// Mode is a phase 1 exchange.
type Mode int

const (
	MainMode       Mode = 1 // identity protection
	AggressiveMode Mode = 2
)

func (m Mode) exchange() isakmp.ExchangeType {
	if m == AggressiveMode {
		return isakmp.ExchangeAggressive
	}
	return isakmp.ExchangeMainMode
}

func (m Mode) String() string {
	if m == AggressiveMode {
		return "aggressive"
	}
	return "main"
}

// Suite is one phase 1 transform: what a proposal offers and what the
// exchange settles on.
type Suite struct {
	Auth   ikealg.AuthMethod
	Cipher ikealg.Cipher
	// KeyBits is the cipher key length: 64 for DES, 192 for 3DES, the
	// Key Length attribute otherwise (AES 128/192/256, Blowfish default
	// 128).
	KeyBits      int
	Hash         ikealg.Hash
	Group        int
	LifetimeSecs uint32 // 0: no lifetime attribute
	LifetimeKB   uint32
}

// SameAlgorithms reports whether two suites name the same algorithms and
// key length, lifetimes aside.
func (s Suite) SameAlgorithms(o Suite) bool {
	return s.Auth == o.Auth && s.Cipher == o.Cipher && s.KeyBits == o.KeyBits && s.Hash == o.Hash && s.Group == o.Group
}

// transform encodes the suite as transform number n of a PROTO_ISAKMP
// proposal.
func (s Suite) transform(n uint8) (isakmp.Transform, error) {
	enc, err := encAlgorithm(s.Cipher)
	if err != nil {
		return isakmp.Transform{}, err
	}
	h, err := hashAlgorithm(s.Hash)
	if err != nil {
		return isakmp.Transform{}, err
	}
	a := isakmp.IKEAttributes{Encryption: enc, Hash: h, AuthMethod: isakmp.AuthMethod(s.Auth),
		Group: isakmp.GroupDescription(s.Group)}
	if s.Cipher == ikealg.CipherAES || (s.Cipher == ikealg.CipherBlowfish && s.KeyBits != 0 && s.KeyBits != 128) {
		a.KeyLength = uint16(s.KeyBits)
	}
	if s.LifetimeSecs != 0 {
		a.Lifetimes = append(a.Lifetimes, isakmp.Lifetime{Type: isakmp.LifeSeconds, Duration: uint64(s.LifetimeSecs)})
	}
	if s.LifetimeKB != 0 {
		a.Lifetimes = append(a.Lifetimes, isakmp.Lifetime{Type: isakmp.LifeKilobytes, Duration: uint64(s.LifetimeKB)})
	}
	return isakmp.Transform{Number: n, ID: isakmp.TransformKeyIKE, Attributes: a.Attributes()}, nil
}

// suiteOf decodes a PROTO_ISAKMP transform; ok is false for one this
// package cannot run (the responder then skips it).
func suiteOf(t isakmp.Transform) (Suite, error) {
	if t.ID != isakmp.TransformKeyIKE {
		return Suite{}, fmt.Errorf("transform id %d is not KEY_IKE", t.ID)
	}
	a, err := isakmp.ParseIKEAttributes(t.Attributes)
	if err != nil {
		return Suite{}, err
	}
	s := Suite{Auth: ikealg.AuthMethod(a.AuthMethod), Group: int(a.Group)}
	if s.Cipher, err = cipherOf(a.Encryption); err != nil {
		return Suite{}, err
	}
	if s.Hash, err = hashOf(a.Hash); err != nil {
		return Suite{}, err
	}
	s.KeyBits = int(a.KeyLength)
	switch s.Cipher {
	case ikealg.CipherDES:
		s.KeyBits = 64
	case ikealg.Cipher3DES:
		s.KeyBits = 192
	case ikealg.CipherBlowfish, ikealg.CipherAES:
		if s.KeyBits == 0 {
			s.KeyBits = 128
		}
	}
	if _, _, err := ikecrypto.CipherSizes(s.Cipher, s.KeyBits); err != nil {
		return Suite{}, err
	}
	for _, l := range a.Lifetimes {
		switch l.Type {
		case isakmp.LifeSeconds:
			s.LifetimeSecs = uint32(min(l.Duration, 1<<32-1))
		case isakmp.LifeKilobytes:
			s.LifetimeKB = uint32(min(l.Duration, 1<<32-1))
		}
	}
	return s, nil
}

func encAlgorithm(c ikealg.Cipher) (isakmp.EncryptionAlgorithm, error) {
	switch c {
	case ikealg.CipherDES:
		return isakmp.EncryptionDESCBC, nil
	case ikealg.Cipher3DES:
		return isakmp.Encryption3DESCBC, nil
	case ikealg.CipherBlowfish:
		return isakmp.EncryptionBlowfishCBC, nil
	case ikealg.CipherAES:
		return isakmp.EncryptionAESCBC, nil
	}
	return 0, fmt.Errorf("cipher %d has no IKE encryption algorithm", int(c))
}

func cipherOf(e isakmp.EncryptionAlgorithm) (ikealg.Cipher, error) {
	switch e {
	case isakmp.EncryptionDESCBC:
		return ikealg.CipherDES, nil
	case isakmp.Encryption3DESCBC:
		return ikealg.Cipher3DES, nil
	case isakmp.EncryptionBlowfishCBC:
		return ikealg.CipherBlowfish, nil
	case isakmp.EncryptionAESCBC:
		return ikealg.CipherAES, nil
	}
	return 0, fmt.Errorf("encryption algorithm %d not supported", int(e))
}

func hashAlgorithm(h ikealg.Hash) (isakmp.HashAlgorithm, error) {
	switch h {
	case ikealg.HashMD5:
		return isakmp.HashMD5, nil
	case ikealg.HashSHA1:
		return isakmp.HashSHA1, nil
	case ikealg.HashSHA256:
		return isakmp.HashSHA256, nil
	case ikealg.HashSHA384:
		return isakmp.HashSHA384, nil
	case ikealg.HashSHA512:
		return isakmp.HashSHA512, nil
	}
	return 0, fmt.Errorf("hash %d has no IKE hash algorithm", int(h))
}

func hashOf(h isakmp.HashAlgorithm) (ikealg.Hash, error) {
	switch h {
	case isakmp.HashMD5:
		return ikealg.HashMD5, nil
	case isakmp.HashSHA1:
		return ikealg.HashSHA1, nil
	case isakmp.HashSHA256:
		return ikealg.HashSHA256, nil
	case isakmp.HashSHA384:
		return ikealg.HashSHA384, nil
	case isakmp.HashSHA512:
		return ikealg.HashSHA512, nil
	}
	return 0, fmt.Errorf("hash algorithm %d not supported", int(h))
}
