package ikecrypto

import "math/big"

// exp returns b^e mod p for e >= 0 by a fixed-window exponentiation: the
// same squarings and multiplications whatever the exponent's bits, bar its
// length. The table is indexed directly, so it is not constant-time (see
// the package comment).
func (m *montModulus) exp(b, e *big.Int) *big.Int {
	n := len(m.p)
	if e.Sign() == 0 {
		return big.NewInt(1)
	}
	p := intOf(m.p)
	if b.Sign() < 0 || b.Cmp(p) >= 0 {
		b = new(big.Int).Mod(b, p)
	}
	w := windowBits(e.BitLen())
	t := make([]uint64, 2*n)
	tbl := make([][]uint64, 1<<w)
	tbl[0] = m.one
	tbl[1] = make([]uint64, n)
	m.toMont(tbl[1], limbsOf(b, n), t)
	for i := 2; i < len(tbl); i++ {
		tbl[i] = make([]uint64, n)
		m.mul(tbl[i], tbl[i-1], tbl[1], t)
	}
	ex := limbsOf(e, (e.BitLen()+63)/64)
	digits := (e.BitLen() + w - 1) / w
	acc := make([]uint64, n)
	copy(acc, tbl[window(ex, (digits-1)*w, w)])
	for d := digits - 2; d >= 0; d-- {
		for range w {
			m.sqr(acc, acc, t)
		}
		m.mul(acc, acc, tbl[window(ex, d*w, w)], t)
	}
	m.fromMont(acc, acc, t)
	return intOf(acc)
}

// exp2 returns 2^e mod p for e >= 0 without a table: in Montgomery form,
// multiplying by 2^s (s < 64) is a shift and a one-limb reduction, so
// with 6-bit windows (digits below 64) the cost is the squarings alone.
// It needs m.topOnes.
func (m *montModulus) exp2(e *big.Int) *big.Int {
	const w = 6
	n := len(m.p)
	if e.Sign() == 0 {
		return big.NewInt(1)
	}
	t := make([]uint64, 2*n)
	ex := limbsOf(e, (e.BitLen()+63)/64)
	digits := (e.BitLen() + w - 1) / w
	acc := make([]uint64, n)
	m.shiftReduce(acc, m.one, t, uint(window(ex, (digits-1)*w, w)))
	for d := digits - 2; d >= 0; d-- {
		for range w {
			m.sqr(acc, acc, t)
		}
		m.shiftReduce(acc, acc, t, uint(window(ex, d*w, w)))
	}
	m.fromMont(acc, acc, t)
	return intOf(acc)
}

// windowBits picks the window that minimises squarings plus
// multiplications plus table entries for an exponent of the given length.
func windowBits(ebits int) int {
	best, cost := 1, ebits+1
	for w := 2; w <= 7; w++ {
		if c := (ebits+w-1)/w + 1<<w - 2; c < cost {
			best, cost = w, c
		}
	}
	return best
}

// window returns the w (< 64) bits of the little-endian limbs ex starting
// at bit pos; bits beyond the end read as zero.
func window(ex []uint64, pos, w int) uint64 {
	i, s := pos/64, uint(pos%64)
	v := ex[i] >> s
	if s+uint(w) > 64 && i+1 < len(ex) {
		v |= ex[i+1] << (64 - s)
	}
	return v & (1<<uint(w) - 1)
}
