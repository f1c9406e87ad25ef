package ikev1

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// Phase2Suite is one IPsec protection a Quick Mode offers or agrees:
// one proposal with one transform.
type Phase2Suite struct {
	Protocol isakmp.ProtocolID // ESP or AH
	// Cipher is ESP's encryption (CipherNone: ESP_NULL); AH has none.
	Cipher  ikealg.Cipher
	KeyBits int // 0: the cipher's fixed or default length
	// Auth is the HMAC integrity algorithm (HashNone: none).
	Auth          ikealg.Hash
	Encapsulation isakmp.EncapsulationMode
	LifetimeSecs  uint32
	LifetimeKB    uint32
}

// SameAlgorithms reports whether two suites protect the same way,
// lifetimes aside.
func (s Phase2Suite) SameAlgorithms(o Phase2Suite) bool {
	return s.Protocol == o.Protocol && s.Cipher == o.Cipher && s.effectiveBits() == o.effectiveBits() &&
		s.Auth == o.Auth && s.Encapsulation == o.Encapsulation
}

// effectiveBits is the key length the suite runs with: fixed for DES
// and 3DES (no Key Length goes on the wire), the default when unnamed.
func (s Phase2Suite) effectiveBits() int {
	switch s.Cipher {
	case ikealg.CipherDES:
		return 64
	case ikealg.Cipher3DES:
		return 192
	case ikealg.CipherAES, ikealg.CipherBlowfish:
		if s.KeyBits == 0 {
			return 128
		}
	}
	return s.KeyBits
}

// proposal encodes the suite as proposal n, transform tn, with this
// end's SPI.
func (s Phase2Suite) proposal(n, tn uint8, spi uint32, pfs int) (isakmp.Proposal, error) {
	id, err := s.transformID()
	if err != nil {
		return isakmp.Proposal{}, err
	}
	a := isakmp.IPsecAttributes{Group: isakmp.GroupDescription(pfs), Encapsulation: s.Encapsulation}
	if s.Auth != ikealg.HashNone {
		if a.AuthAlgorithm, err = authAlgorithm(s.Auth); err != nil {
			return isakmp.Proposal{}, err
		}
	}
	// A Key Length goes with the variable-length ciphers, and only when
	// the owner named one: a suite decodes to exactly what was offered.
	if s.Protocol == isakmp.ProtocolESP && s.KeyBits != 0 && (s.Cipher == ikealg.CipherAES || s.Cipher == ikealg.CipherBlowfish) {
		a.KeyLength = uint16(s.KeyBits)
	}
	if s.LifetimeSecs != 0 {
		a.Lifetimes = append(a.Lifetimes, isakmp.Lifetime{Type: isakmp.LifeSeconds, Duration: uint64(s.LifetimeSecs)})
	}
	if s.LifetimeKB != 0 {
		a.Lifetimes = append(a.Lifetimes, isakmp.Lifetime{Type: isakmp.LifeKilobytes, Duration: uint64(s.LifetimeKB)})
	}
	return isakmp.Proposal{Number: n, Protocol: s.Protocol, SPI: spiBytes(spi),
		Transforms: []isakmp.Transform{{Number: tn, ID: id, Attributes: a.Attributes()}}}, nil
}

func (s Phase2Suite) keyBits() int {
	if s.KeyBits == 0 && s.Cipher == ikealg.CipherAES {
		return 128
	}
	return s.KeyBits
}

func (s Phase2Suite) transformID() (isakmp.TransformID, error) {
	if s.Protocol == isakmp.ProtocolAH {
		switch s.Auth {
		case ikealg.HashMD5:
			return isakmp.TransformAHMD5, nil
		case ikealg.HashSHA1:
			return isakmp.TransformAHSHA, nil
		case ikealg.HashSHA256:
			return isakmp.TransformAHSHA2_256, nil
		case ikealg.HashSHA384:
			return isakmp.TransformAHSHA2_384, nil
		case ikealg.HashSHA512:
			return isakmp.TransformAHSHA2_512, nil
		}
		return 0, fmt.Errorf("ikev1: AH with hash %d", s.Auth)
	}
	if s.Protocol != isakmp.ProtocolESP {
		return 0, fmt.Errorf("ikev1: protocol %v", s.Protocol)
	}
	switch s.Cipher {
	case ikealg.CipherNone:
		return isakmp.TransformESPNull, nil
	case ikealg.CipherDES:
		return isakmp.TransformESPDES, nil
	case ikealg.Cipher3DES:
		return isakmp.TransformESP3DES, nil
	case ikealg.CipherBlowfish:
		return isakmp.TransformESPBlowfish, nil
	case ikealg.CipherAES:
		return isakmp.TransformESPAES, nil
	}
	return 0, fmt.Errorf("ikev1: ESP with cipher %d", s.Cipher)
}

// offeredSuite is one alternative of a Quick Mode offer: a transform of
// a proposal, with the numbers an answer must echo.
type offeredSuite struct {
	suite     Phase2Suite
	spi       uint32
	pfs       int
	proposal  uint8
	transform uint8
}

// phase2SuitesOf decodes every transform of a proposal as an
// alternative; a transform this package cannot run is left out.
func phase2SuitesOf(p isakmp.Proposal) ([]offeredSuite, error) {
	if len(p.SPI) != 4 {
		return nil, fmt.Errorf("SPI of %d bytes", len(p.SPI))
	}
	spi := uint32(p.SPI[0])<<24 | uint32(p.SPI[1])<<16 | uint32(p.SPI[2])<<8 | uint32(p.SPI[3])
	var out []offeredSuite
	for _, t := range p.Transforms {
		s, pfs, err := phase2SuiteOf(p.Protocol, t)
		if err != nil {
			continue
		}
		out = append(out, offeredSuite{suite: s, spi: spi, pfs: pfs, proposal: p.Number, transform: t.Number})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("proposal %d: no transform this end can run", p.Number)
	}
	return out, nil
}

// phase2SuiteOf decodes one transform of a proposal of protocol proto,
// with its PFS group.
func phase2SuiteOf(proto isakmp.ProtocolID, t isakmp.Transform) (Phase2Suite, int, error) {
	a, err := isakmp.ParseIPsecAttributes(t.Attributes)
	if err != nil {
		return Phase2Suite{}, 0, err
	}
	s := Phase2Suite{Protocol: proto, Encapsulation: a.Encapsulation, KeyBits: int(a.KeyLength)}
	if a.AuthAlgorithm != 0 {
		if s.Auth, err = hashOfAuth(a.AuthAlgorithm); err != nil {
			return Phase2Suite{}, 0, err
		}
	}
	switch proto {
	case isakmp.ProtocolESP:
		if s.Cipher, err = espCipher(t.ID); err != nil {
			return Phase2Suite{}, 0, err
		}
	case isakmp.ProtocolAH:
	default:
		return Phase2Suite{}, 0, fmt.Errorf("protocol %v", proto)
	}
	for _, l := range a.Lifetimes {
		switch l.Type {
		case isakmp.LifeSeconds:
			s.LifetimeSecs = uint32(min(l.Duration, 1<<32-1))
		case isakmp.LifeKilobytes:
			s.LifetimeKB = uint32(min(l.Duration, 1<<32-1))
		}
	}
	return s, int(a.Group), nil
}

func espCipher(id isakmp.TransformID) (ikealg.Cipher, error) {
	switch id {
	case isakmp.TransformESPNull:
		return ikealg.CipherNone, nil
	case isakmp.TransformESPDES:
		return ikealg.CipherDES, nil
	case isakmp.TransformESP3DES:
		return ikealg.Cipher3DES, nil
	case isakmp.TransformESPBlowfish:
		return ikealg.CipherBlowfish, nil
	case isakmp.TransformESPAES:
		return ikealg.CipherAES, nil
	}
	return 0, fmt.Errorf("ESP transform %d not supported", id)
}

func authAlgorithm(h ikealg.Hash) (isakmp.AuthAlgorithm, error) {
	switch h {
	case ikealg.HashMD5:
		return isakmp.AuthAlgHMACMD5, nil
	case ikealg.HashSHA1:
		return isakmp.AuthAlgHMACSHA1, nil
	case ikealg.HashSHA256:
		return isakmp.AuthAlgHMACSHA256, nil
	case ikealg.HashSHA384:
		return isakmp.AuthAlgHMACSHA384, nil
	case ikealg.HashSHA512:
		return isakmp.AuthAlgHMACSHA512, nil
	}
	return 0, fmt.Errorf("ikev1: no IPsec authentication algorithm for hash %d", h)
}

func hashOfAuth(a isakmp.AuthAlgorithm) (ikealg.Hash, error) {
	switch a {
	case isakmp.AuthAlgHMACMD5:
		return ikealg.HashMD5, nil
	case isakmp.AuthAlgHMACSHA1:
		return ikealg.HashSHA1, nil
	case isakmp.AuthAlgHMACSHA256:
		return ikealg.HashSHA256, nil
	case isakmp.AuthAlgHMACSHA384:
		return ikealg.HashSHA384, nil
	case isakmp.AuthAlgHMACSHA512:
		return ikealg.HashSHA512, nil
	}
	return 0, fmt.Errorf("IPsec authentication algorithm %d not supported", a)
}

// keymatLen is the key material one direction of the SA needs:
// encryption key then integrity key.
func (s Phase2Suite) keymatLen() int {
	n := 0
	if s.Protocol == isakmp.ProtocolESP {
		switch s.Cipher {
		case ikealg.CipherDES:
			n = 8
		case ikealg.Cipher3DES:
			n = 24
		case ikealg.CipherBlowfish:
			n = max(s.KeyBits, 128) / 8
		case ikealg.CipherAES:
			n = s.keyBits() / 8
		}
	}
	switch s.Auth {
	case ikealg.HashMD5:
		n += 16
	case ikealg.HashSHA1:
		n += 20
	case ikealg.HashSHA256:
		n += 32
	case ikealg.HashSHA384:
		n += 48
	case ikealg.HashSHA512:
		n += 64
	}
	return n
}

func spiBytes(spi uint32) []byte {
	return []byte{byte(spi >> 24), byte(spi >> 16), byte(spi >> 8), byte(spi)}
}
