package ikecrypto

import (
	"crypto/ecdh"
	"errors"
	"fmt"
	"io"
	"math/big"
)

var (
	// ErrInvalidPublic reports a peer public value that fails validation.
	ErrInvalidPublic = errors.New("invalid Diffie-Hellman public value")
	// ErrInvalidPrivate reports a private value outside the group's range.
	ErrInvalidPrivate = errors.New("invalid Diffie-Hellman private value")
	// errNoGroup guards against a zero or nil Group, which LookupGroup
	// never returns.
	errNoGroup = errors.New("ikecrypto: Group not obtained from LookupGroup")
)

var bigOne, bigTwo = big.NewInt(1), big.NewInt(2)

// PrivateKey is one side's Diffie-Hellman secret with its public value.
type PrivateKey struct {
	group Group
	x     *big.Int         // MODP exponent
	ec    *ecdh.PrivateKey // ECP scalar
	pub   []byte           // fixed-length KE payload body
}

func (g *Group) valid() bool {
	return g != nil && (g.kind == kindMODP && g.p != nil || g.kind == kindECP && g.curve != nil)
}

// GenerateKey draws a private value from r and computes the public value.
// Every byte comes from r, so a seeded reader reproduces the key: for ECP
// the scalar is rejection-sampled here rather than left to
// ecdh.Curve.GenerateKey, which ignores its reader in current Go.
func (g *Group) GenerateKey(r io.Reader) (*PrivateKey, error) {
	if !g.valid() {
		return nil, errNoGroup
	}
	if g.kind == kindECP {
		return g.generateECP(r)
	}
	x, err := g.drawExponent(r)
	if err != nil {
		return nil, err
	}
	return g.modpKey(x), nil
}

// NewPrivateKey builds a key from a big-endian private value: a MODP
// exponent in [1, p-2] ([1, q-1] for groups 22-24), or an ECP scalar of
// exactly the coordinate length in [1, n-1]. Tests and replay use it.
func (g *Group) NewPrivateKey(b []byte) (*PrivateKey, error) {
	if !g.valid() {
		return nil, errNoGroup
	}
	if g.kind == kindECP {
		k, err := g.curve.NewPrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("ikecrypto: group %d: %w: %v", g.Number, ErrInvalidPrivate, err)
		}
		return g.ecpKey(k), nil
	}
	x := new(big.Int).SetBytes(b)
	if x.Sign() <= 0 || x.Cmp(g.exponentLimit(false)) > 0 {
		return nil, fmt.Errorf("ikecrypto: group %d: %w: exponent out of range", g.Number, ErrInvalidPrivate)
	}
	return g.modpKey(x), nil
}

// exponentLimit is the largest private exponent: q-1 when the group has a
// prime-order subgroup, otherwise p-2, or 2^expBits-1 for freshly drawn
// exponents of groups with a recommended short exponent.
func (g *Group) exponentLimit(fresh bool) *big.Int {
	switch {
	case g.q != nil:
		return new(big.Int).Sub(g.q, bigOne)
	case fresh && g.expBits > 0:
		lim := new(big.Int).Lsh(bigOne, uint(g.expBits))
		return lim.Sub(lim, bigOne)
	default:
		return new(big.Int).Sub(g.p, big.NewInt(2))
	}
}

// drawBytes reads a big-endian value of the given bit length from r,
// clearing the excess top bits so that rejection rarely triggers.
func drawBytes(r io.Reader, bits int) ([]byte, error) {
	b := make([]byte, (bits+7)/8)
	if err := readRandom(r, b); err != nil {
		return nil, err
	}
	b[0] &= byte(0xff >> (8*len(b) - bits))
	return b, nil
}

// drawExponent rejection-samples a uniform exponent in [1, limit].
func (g *Group) drawExponent(r io.Reader) (*big.Int, error) {
	lim := g.exponentLimit(true)
	for range maxDraws {
		b, err := drawBytes(r, lim.BitLen())
		if err != nil {
			return nil, err
		}
		x := new(big.Int).SetBytes(b)
		if x.Sign() > 0 && x.Cmp(lim) <= 0 {
			return x, nil
		}
	}
	return nil, fmt.Errorf("ikecrypto: %w: no exponent in range", ErrRandomSource)
}

// generateECP rejection-samples a scalar until crypto/ecdh accepts it
// (non-zero and below the curve order). For the NIST curves the order has
// as many bits as the field, so masking to Bits keeps rejection rare.
func (g *Group) generateECP(r io.Reader) (*PrivateKey, error) {
	for range maxDraws {
		b, err := drawBytes(r, g.Bits)
		if err != nil {
			return nil, err
		}
		if k, err := g.curve.NewPrivateKey(b); err == nil {
			return g.ecpKey(k), nil
		}
	}
	return nil, fmt.Errorf("ikecrypto: %w: no scalar in range", ErrRandomSource)
}

func (g *Group) modpKey(x *big.Int) *PrivateKey {
	y := g.publicExp(x)
	return &PrivateKey{group: *g, x: x, pub: y.FillBytes(make([]byte, g.PublicLen()))}
}

// publicExp returns g^x mod p, from the generator's comb table for the
// exponents GenerateKey draws. Longer ones (NewPrivateKey accepts up to
// p-2 where the group draws short exponents) take exp2, which for the
// generator 2 of the RFC 2409/3526 groups needs only squarings, or
// modExp.
func (g *Group) publicExp(x *big.Int) *big.Int {
	if c := g.comb(); c.fits(x) {
		return c.exp(x)
	}
	if g.mont.adx && g.mont.topOnes && g.g.Cmp(bigTwo) == 0 {
		return g.mont.exp2(x)
	}
	return g.modExp(g.g, x)
}

// modExp returns b^e mod p. Without the amd64 ADX limb loop, montModulus
// is slower per multiplication than math/big's assembly, so math/big
// computes it; the comb table still pays off there.
func (g *Group) modExp(b, e *big.Int) *big.Int {
	if g.mont.adx {
		return g.mont.exp(b, e)
	}
	return new(big.Int).Exp(b, e, g.p)
}

// ecpKey drops the SEC 1 0x04 prefix: RFC 5903 section 7 sends X||Y.
func (g *Group) ecpKey(k *ecdh.PrivateKey) *PrivateKey {
	return &PrivateKey{group: *g, ec: k, pub: k.PublicKey().Bytes()[1:]}
}

// Group returns a copy of the key's group.
func (k *PrivateKey) Group() *Group {
	if k == nil {
		return nil
	}
	g := k.group
	return &g
}

// PublicBytes returns a copy of the public value (g^x) as sent in a KE
// payload: MODP padded to the prime length, ECP as X||Y.
func (k *PrivateKey) PublicBytes() []byte {
	if k == nil {
		return nil
	}
	return append([]byte(nil), k.pub...)
}

// SharedSecret validates the peer's public value and returns g^xy: MODP
// padded to the prime length, ECP the X coordinate (RFC 5903 section 7).
func (k *PrivateKey) SharedSecret(peerPublic []byte) ([]byte, error) {
	if k == nil || !k.group.valid() {
		return nil, errNoGroup
	}
	g := &k.group
	if len(peerPublic) != g.PublicLen() {
		return nil, fmt.Errorf("ikecrypto: group %d: %w: %d octets, want %d",
			g.Number, ErrInvalidPublic, len(peerPublic), g.PublicLen())
	}
	if g.kind == kindECP {
		return k.sharedECP(peerPublic)
	}
	return k.sharedMODP(peerPublic)
}

// sharedMODP validates the peer value as NIST SP 800-56A does:
// 1 < y < p-1 rules out the trivial subgroups of a safe prime, and
// y^q = 1 confines the RFC 5114 groups to their prime-order subgroup, which
// stops small-subgroup confinement of our exponent.
func (k *PrivateKey) sharedMODP(peer []byte) ([]byte, error) {
	g := &k.group
	y := new(big.Int).SetBytes(peer)
	pm1 := new(big.Int).Sub(g.p, bigOne)
	if y.Cmp(bigOne) <= 0 || y.Cmp(pm1) >= 0 {
		return nil, fmt.Errorf("ikecrypto: group %d: %w: not in (1, p-1)", g.Number, ErrInvalidPublic)
	}
	if g.q != nil && g.modExp(y, g.q).Cmp(bigOne) != 0 {
		return nil, fmt.Errorf("ikecrypto: group %d: %w: not in the order-q subgroup", g.Number, ErrInvalidPublic)
	}
	z := g.modExp(y, k.x)
	if z.Cmp(bigOne) == 0 {
		// Only reachable with an exponent that is a multiple of y's order.
		return nil, fmt.Errorf("ikecrypto: group %d: %w: degenerate shared secret", g.Number, ErrInvalidPublic)
	}
	return z.FillBytes(make([]byte, g.SharedLen())), nil
}

// sharedECP restores the SEC 1 prefix so that crypto/ecdh checks the
// point is on the curve.
func (k *PrivateKey) sharedECP(peer []byte) ([]byte, error) {
	g := &k.group
	pub, err := g.curve.NewPublicKey(append([]byte{4}, peer...))
	if err != nil {
		return nil, fmt.Errorf("ikecrypto: group %d: %w: %v", g.Number, ErrInvalidPublic, err)
	}
	z, err := k.ec.ECDH(pub)
	if err != nil {
		return nil, fmt.Errorf("ikecrypto: group %d: %w: %v", g.Number, ErrInvalidPublic, err)
	}
	return z, nil
}
