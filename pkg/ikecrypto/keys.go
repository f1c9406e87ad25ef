package ikecrypto

import (
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/pkg/ikealg"
)

// ErrPhase1Input reports a Phase1Input that cannot be derived from.
var ErrPhase1Input = errors.New("invalid phase 1 key derivation input")

// SKEYIDPreshared is RFC 2409 section 5: SKEYID = prf(pre-shared-key,
// Ni_b | Nr_b).
func SKEYIDPreshared(prf PRF, psk, ni, nr []byte) []byte {
	return prf.Sum(psk, ni, nr)
}

// SKEYIDSignature is RFC 2409 section 5 for DSS and RSA signatures:
// SKEYID = prf(Ni_b | Nr_b, g^xy).
func SKEYIDSignature(prf PRF, ni, nr, gxy []byte) []byte {
	key := make([]byte, 0, len(ni)+len(nr))
	key = append(append(key, ni...), nr...)
	return prf.Sum(key, gxy)
}

// SKEYIDPublicKeyEncryption is RFC 2409 section 5 for (revised) public
// key encryption: SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R).
func SKEYIDPublicKeyEncryption(prf PRF, ni, nr []byte, ckyI, ckyR [8]byte) []byte {
	return prf.Sum(prf.Digest(ni, nr), ckyI[:], ckyR[:])
}

// deriveSKEYIDs computes the three keys of RFC 2409 section 5 with mac,
// the prf under SKEYID; the trailing 0, 1 and 2 are single octets.
//
//	SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
//	SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
//	SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
func deriveSKEYIDs(mac *KeyedPRF, gxy []byte, ckyI, ckyR [8]byte) (d, a, e []byte) {
	d = mac.Sum(gxy, ckyI[:], ckyR[:], []byte{0})
	a = mac.Sum(d, gxy, ckyI[:], ckyR[:], []byte{1})
	e = mac.Sum(a, gxy, ckyI[:], ckyR[:], []byte{2})
	return d, a, e
}

// ExpandKey returns the n-byte encryption key of RFC 2409 appendix B: the
// leading bytes of SKEYID_e when it is long enough, otherwise the leading
// bytes of K1 | K2 | ... with K1 = prf(SKEYID_e, 0) (one zero octet) and
// Ki = prf(SKEYID_e, K(i-1)).
func ExpandKey(prf PRF, skeyidE []byte, n int) []byte {
	if n <= 0 {
		return []byte{}
	}
	if len(skeyidE) >= n {
		return append([]byte(nil), skeyidE[:n]...)
	}
	if prf.Size() == 0 {
		return nil // zero PRF: nothing to expand with
	}
	out := make([]byte, 0, n+prf.Size())
	block := []byte{0}
	mac := prf.Keyed(skeyidE)
	for len(out) < n {
		block = mac.Sum(block)
		out = append(out, block...)
	}
	return out[:n]
}

// Phase1IV is RFC 2409 appendix B: the IV of the first encrypted phase 1
// message is hash(g^xi | g^xr), truncated to the cipher block size, with
// the negotiated (plain, not HMAC) hash.
func Phase1IV(prf PRF, gxi, gxr []byte, blockSize int) ([]byte, error) {
	if blockSize <= 0 || blockSize > prf.Size() {
		return nil, fmt.Errorf("ikecrypto: %w: block size %d with a %d-byte hash",
			ErrPhase1Input, blockSize, prf.Size())
	}
	return prf.Digest(gxi, gxr)[:blockSize], nil
}

// HashI is HASH_I of RFC 2409 section 5:
// prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b).
func HashI(prf PRF, skeyid, gxi, gxr []byte, ckyI, ckyR [8]byte, saiB, idiiB []byte) []byte {
	return hashI(prf.Keyed(skeyid), gxi, gxr, ckyI, ckyR, saiB, idiiB)
}

func hashI(mac *KeyedPRF, gxi, gxr []byte, ckyI, ckyR [8]byte, saiB, idiiB []byte) []byte {
	return mac.Sum(gxi, gxr, ckyI[:], ckyR[:], saiB, idiiB)
}

// HashR is HASH_R of RFC 2409 section 5:
// prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b).
// It takes its arguments in HashI's order (initiator first) and does the
// swapping itself, so callers cannot get it backwards.
func HashR(prf PRF, skeyid, gxi, gxr []byte, ckyI, ckyR [8]byte, saiB, idirB []byte) []byte {
	return hashR(prf.Keyed(skeyid), gxi, gxr, ckyI, ckyR, saiB, idirB)
}

func hashR(mac *KeyedPRF, gxi, gxr []byte, ckyI, ckyR [8]byte, saiB, idirB []byte) []byte {
	return mac.Sum(gxr, gxi, ckyR[:], ckyI[:], saiB, idirB)
}

// Phase1Input gathers what DerivePhase1 needs. Byte slices are the payload
// bodies (generic headers stripped), as RFC 2409 uses them.
type Phase1Input struct {
	Method  ikealg.AuthMethod // preshared, DSS/RSA signature, RSA encryption
	Hash    ikealg.Hash       // negotiated hash; the PRF is its HMAC
	PSK     []byte            // preshared key (Method AuthPreshared only)
	Ni, Nr  []byte            // Ni_b, Nr_b
	GXY     []byte            // shared secret g^xy
	GXi     []byte            // initiator public value g^xi
	GXr     []byte            // responder public value g^xr
	CookieI [8]byte           // CKY-I
	CookieR [8]byte           // CKY-R
	Cipher  ikealg.Cipher     // phase 1 encryption algorithm
	KeyBits int               // Key Length attribute, 0 for the default
}

// Phase1Keys is the keying material of one phase 1 SA; both ends derive
// the same values.
type Phase1Keys struct {
	SKEYID  []byte
	SKEYIDd []byte // SKEYID_d, keys phase 2
	SKEYIDa []byte // SKEYID_a, authenticates ISAKMP messages
	SKEYIDe []byte // SKEYID_e, source of EncKey
	EncKey  []byte // phase 1 cipher key (appendix B)
	IV      []byte // IV of the first encrypted message

	// Kept so that HashI/HashR need only the SA and identity payloads.
	skeyidMAC  *KeyedPRF // prf under SKEYID
	gxi, gxr   []byte
	ckyI, ckyR [8]byte
}

// DerivePhase1 runs the RFC 2409 derivation from SKEYID to the key and IV.
func DerivePhase1(in Phase1Input) (*Phase1Keys, error) {
	prf, err := NewPRF(in.Hash)
	if err != nil {
		return nil, err
	}
	keyLen, blockSize, err := CipherSizes(in.Cipher, in.KeyBits)
	if err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	skeyid, err := in.skeyid(prf)
	if err != nil {
		return nil, err
	}
	k := &Phase1Keys{SKEYID: skeyid, skeyidMAC: prf.Keyed(skeyid), ckyI: in.CookieI, ckyR: in.CookieR,
		gxi: append([]byte(nil), in.GXi...), gxr: append([]byte(nil), in.GXr...)}
	k.SKEYIDd, k.SKEYIDa, k.SKEYIDe = deriveSKEYIDs(k.skeyidMAC, in.GXY, in.CookieI, in.CookieR)
	k.EncKey = ExpandKey(prf, k.SKEYIDe, keyLen)
	if k.IV, err = Phase1IV(prf, in.GXi, in.GXr, blockSize); err != nil {
		return nil, err
	}
	return k, nil
}

// check rejects inputs that would silently give keys no peer shares.
func (in *Phase1Input) check() error {
	for _, n := range []struct {
		name string
		b    []byte
	}{{"Ni", in.Ni}, {"Nr", in.Nr}} {
		if CheckNonceLen(len(n.b)) != nil {
			return fmt.Errorf("ikecrypto: %w: %s is %d bytes", ErrNonceLength, n.name, len(n.b))
		}
	}
	var zero [8]byte
	switch {
	case len(in.GXY) == 0 || len(in.GXi) == 0 || len(in.GXr) == 0:
		return fmt.Errorf("ikecrypto: %w: missing Diffie-Hellman value", ErrPhase1Input)
	case in.CookieI == zero || in.CookieR == zero:
		return fmt.Errorf("ikecrypto: %w: zero cookie", ErrPhase1Input)
	}
	return nil
}

// skeyid dispatches on the authentication method (RFC 2409 section 5).
func (in *Phase1Input) skeyid(prf PRF) ([]byte, error) {
	switch in.Method {
	case ikealg.AuthPreshared:
		if len(in.PSK) == 0 {
			return nil, fmt.Errorf("ikecrypto: %w: empty preshared key", ErrPhase1Input)
		}
		return SKEYIDPreshared(prf, in.PSK, in.Ni, in.Nr), nil
	case ikealg.AuthDSSSig, ikealg.AuthRSASig:
		return SKEYIDSignature(prf, in.Ni, in.Nr, in.GXY), nil
	case ikealg.AuthRSAEncrypt, ikealg.AuthRevRSAEncrypt:
		return SKEYIDPublicKeyEncryption(prf, in.Ni, in.Nr, in.CookieI, in.CookieR), nil
	}
	return nil, fmt.Errorf("ikecrypto: %w: authentication method %d", ErrPhase1Input, int(in.Method))
}

// HashI returns HASH_I for this SA given SAi_b and IDii_b.
func (k *Phase1Keys) HashI(saiB, idiiB []byte) []byte {
	if k == nil {
		return nil
	}
	return hashI(k.skeyidMAC, k.gxi, k.gxr, k.ckyI, k.ckyR, saiB, idiiB)
}

// HashR returns HASH_R for this SA given SAi_b and IDir_b.
func (k *Phase1Keys) HashR(saiB, idirB []byte) []byte {
	if k == nil {
		return nil
	}
	return hashR(k.skeyidMAC, k.gxi, k.gxr, k.ckyI, k.ckyR, saiB, idirB)
}
