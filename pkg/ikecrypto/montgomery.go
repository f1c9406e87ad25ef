package ikecrypto

import (
	"math/big"
	"math/bits"
)

// montModulus is an odd modulus prepared for Montgomery arithmetic on
// 64-bit limbs. math/big's Exp costs about twice OpenSSL's time on the MODP
// sizes: it squares with its general multiplication and uses 4-bit
// windows. Here squaring has its own half-size product and the window
// grows with the exponent. The value is immutable once built and shared
// by every copy of its Group.
//
// Limb slices are little-endian and exactly len(p) long; every value kept
// in Montgomery form is fully reduced (below p), so results are the same
// integers math/big computes.
type montModulus struct {
	p     []uint64
	m0inv uint64   // -p^-1 mod 2^64
	one   []uint64 // R mod p, R = 2^(64n): 1 in Montgomery form
	rr    []uint64 // R^2 mod p: converts into Montgomery form
	// topOnes: the top limb is 2^64-1 (the RFC 2409/3526 primes), which
	// bounds the quotient estimate of shiftReduce.
	topOnes bool
	adx     bool // use the amd64 MULX/ADX limb loop
}

func newMontModulus(p *big.Int) *montModulus {
	n := (p.BitLen() + 63) / 64
	m := &montModulus{p: limbsOf(p, n)}
	// Newton's iteration doubles the correct low bits of p0^-1 each step:
	// p0 is its own inverse mod 8 (3 bits), five steps reach 96 > 64.
	p0, inv := m.p[0], m.p[0]
	for range 5 {
		inv *= 2 - p0*inv
	}
	m.m0inv = -inv
	r := new(big.Int).Lsh(bigOne, uint(64*n))
	m.one = limbsOf(new(big.Int).Mod(r, p), n)
	m.rr = limbsOf(new(big.Int).Mod(new(big.Int).Mul(r, r), p), n)
	m.topOnes = m.p[n-1] == ^uint64(0)
	m.adx = cpuHasADX()
	return m
}

// limbsOf returns v (0 <= v < 2^(64n)) as n little-endian limbs.
func limbsOf(v *big.Int, n int) []uint64 {
	b := v.FillBytes(make([]byte, 8*n))
	z := make([]uint64, n)
	for i := range z {
		o := len(b) - 8*(i+1)
		z[i] = uint64(b[o])<<56 | uint64(b[o+1])<<48 | uint64(b[o+2])<<40 | uint64(b[o+3])<<32 |
			uint64(b[o+4])<<24 | uint64(b[o+5])<<16 | uint64(b[o+6])<<8 | uint64(b[o+7])
	}
	return z
}

// intOf is the inverse of limbsOf.
func intOf(z []uint64) *big.Int {
	b := make([]byte, 8*len(z))
	for i, w := range z {
		o := len(b) - 8*(i+1)
		for k := range 8 {
			b[o+k] = byte(w >> (56 - 8*k))
		}
	}
	return new(big.Int).SetBytes(b)
}

// mul sets z = x*y/R mod p. t is scratch of 2n limbs; z may alias x or y.
func (m *montModulus) mul(z, x, y, t []uint64) {
	n := len(m.p)
	t = t[:2*n]
	clear(t)
	x, y = x[:n], y[:n]
	if m.adx {
		mulRowsADX(&t[0], &x[0], &y[0], n)
	} else {
		for i, yi := range y {
			t[i+n] = addMulVVWGeneric(t[i:i+n], x, yi)
		}
	}
	m.reduce(z, t)
}

// sqr sets z = x*x/R mod p: each cross product x_i*x_j is computed once
// and doubled, which saves a quarter of a multiplication.
func (m *montModulus) sqr(z, x, t []uint64) {
	n := len(m.p)
	t = t[:2*n]
	clear(t)
	x = x[:n]
	if m.adx {
		sqrRowsADX(&t[0], &x[0], n)
		sqrDiagADX(&t[0], &x[0], n)
		m.reduce(z, t)
		return
	}
	for i := range n - 1 {
		t[i+n] = addMulVVWGeneric(t[2*i+1:i+n], x[i+1:], x[i])
	}
	// Twice the cross products stays below x^2 < 2^(128n): no carry out.
	var top uint64
	for i, w := range t {
		t[i] = w<<1 | top
		top = w >> 63
	}
	var c uint64
	for i, xi := range x {
		hi, lo := bits.Mul64(xi, xi)
		t[2*i], c = bits.Add64(t[2*i], lo, c)
		t[2*i+1], c = bits.Add64(t[2*i+1], hi, c)
	}
	m.reduce(z, t)
}

// reduce sets z = t/R mod p for t < p*R (Montgomery reduction of 2n limbs;
// t is destroyed).
func (m *montModulus) reduce(z, t []uint64) {
	n := len(m.p)
	t = t[:2*n]
	var carry uint64
	if m.adx {
		carry = reduceRowsADX(&t[0], &m.p[0], n, m.m0inv)
	} else {
		for i := range n {
			c := addMulVVWGeneric(t[i:i+n], m.p, t[i]*m.m0inv)
			var c1, c2 uint64
			t[i+n], c1 = bits.Add64(t[i+n], c, 0)
			t[i+n], c2 = bits.Add64(t[i+n], carry, 0)
			carry = c1 | c2
		}
	}
	// r = t[n:] + carry*R < 2p: one conditional subtraction reduces it.
	r := t[n:]
	if b := subVV(z[:n], r, m.p); b != 0 && carry == 0 {
		copy(z, r)
	}
}

// toMont sets z = x*R mod p for x < p.
func (m *montModulus) toMont(z, x, t []uint64) { m.mul(z, x, m.rr, t) }

// fromMont sets z = x/R mod p.
func (m *montModulus) fromMont(z, x, t []uint64) {
	n := len(m.p)
	t = t[:2*n]
	clear(t[n:])
	copy(t, x)
	m.reduce(z, t)
}

// shiftReduce sets z = x*2^s mod p for x < p, 0 <= s < 64, when the top
// limb of p is all ones: then q = the top limb of x*2^s is at most the
// true quotient and leaves a remainder below 4p. v is scratch of n+1 limbs.
func (m *montModulus) shiftReduce(z, x, v []uint64, s uint) {
	n := len(m.p)
	v = v[:n+1]
	var top uint64
	for i, w := range x[:n] {
		v[i] = w<<s | top
		top = w >> (63 - s) >> 1
	}
	v[n] = top
	v[n] -= subMulVVW(v[:n], m.p, v[n])
	for v[n] != 0 || !lessVV(v[:n], m.p) {
		v[n] -= subVV(v[:n], v[:n], m.p)
	}
	copy(z, v[:n])
}

// subVV sets z = x - y and returns the borrow.
func subVV(z, x, y []uint64) uint64 {
	var b uint64
	for i := range z {
		z[i], b = bits.Sub64(x[i], y[i], b)
	}
	return b
}

// subMulVVW sets z = z - x*y (mod 2^(64n)) and returns the borrowed word.
func subMulVVW(z, x []uint64, y uint64) uint64 {
	var c uint64
	for i := range z {
		hi, lo := bits.Mul64(x[i], y)
		lo, cc := bits.Add64(lo, c, 0)
		hi += cc
		var b uint64
		z[i], b = bits.Sub64(z[i], lo, 0)
		c = hi + b
	}
	return c
}

// lessVV reports x < y for equal lengths.
func lessVV(x, y []uint64) bool {
	for i := len(x) - 1; i >= 0; i-- {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return false
}

// addMulVVWGeneric sets z = z + x*y and returns the carry word.
func addMulVVWGeneric(z, x []uint64, y uint64) uint64 {
	var c uint64
	x = x[:len(z)]
	for i, xi := range x {
		hi, lo := bits.Mul64(xi, y)
		lo, cc := bits.Add64(lo, z[i], 0)
		hi += cc
		z[i], cc = bits.Add64(lo, c, 0)
		c = hi + cc
	}
	return c
}
