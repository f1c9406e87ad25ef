package ikecrypto

import "math/big"

// exp returns b^e mod p for e >= 0 by a left-to-right sliding window
// over a table of the odd powers of b. Its squarings and multiplications
// follow the exponent's bits and the table is indexed directly, so it is
// not constant-time (see the package comment).
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
	// odd[k] = b^(2k+1)
	odd := make([][]uint64, 1<<(w-1))
	odd[0] = make([]uint64, n)
	m.toMont(odd[0], limbsOf(b, n), t)
	b2 := make([]uint64, n)
	m.sqr(b2, odd[0], t)
	for k := 1; k < len(odd); k++ {
		odd[k] = make([]uint64, n)
		m.mul(odd[k], odd[k-1], b2, t)
	}
	var acc []uint64 // nil until the first window
	for i := e.BitLen() - 1; i >= 0; {
		if e.Bit(i) == 0 {
			m.sqr(acc, acc, t)
			i--
			continue
		}
		// The window is bits i down to j, j the lowest set bit within w.
		j := max(i-w+1, 0)
		for e.Bit(j) == 0 {
			j++
		}
		v := 0
		for k := i; k >= j; k-- {
			v = v<<1 | int(e.Bit(k))
		}
		if acc == nil {
			acc = append([]uint64(nil), odd[v>>1]...)
		} else {
			for range i - j + 1 {
				m.sqr(acc, acc, t)
			}
			m.mul(acc, acc, odd[v>>1], t)
		}
		i = j - 1
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

// windowBits picks the sliding window that minimises multiplications
// (about one per w+1 bits) plus odd powers in the table (2^(w-1)).
func windowBits(ebits int) int {
	best, cost := 1, ebits
	for w := 2; w <= 7; w++ {
		if c := ebits/(w+1) + 1<<(w-1); c < cost {
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
