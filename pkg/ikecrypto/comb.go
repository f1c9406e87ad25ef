package ikecrypto

import "math/big"

// combRows is the number of exponent slices a combTable combines: its
// table has 2^combRows entries. Six keeps the table small (64 values) and
// its construction near the cost of one ordinary exponentiation, so a
// process that computes a single g^x loses nothing; every further g^x
// then costs about a third.
const combRows = 6

// combTable is a fixed-base comb (Lim and Lee) for one base and exponents
// of at most rows*cols bits. Write e as rows slices of cols bits,
// e = sum e_k 2^(k*cols); entry s of the table is the product of
// base^(2^(k*cols)) over the bits k set in s. Then base^e needs cols-1
// squarings and cols multiplications, each by the entry whose bits are
// bit j of every slice.
type combTable struct {
	m    *montModulus
	cols int
	tbl  [][]uint64 // Montgomery form
}

func newCombTable(m *montModulus, base *big.Int, maxBits int) *combTable {
	n := len(m.p)
	c := &combTable{m: m, cols: (maxBits + combRows - 1) / combRows}
	t := make([]uint64, 2*n)
	// rowBase[k] = base^(2^(k*cols))
	rowBase := make([][]uint64, combRows)
	rowBase[0] = make([]uint64, n)
	m.toMont(rowBase[0], limbsOf(new(big.Int).Mod(base, intOf(m.p)), n), t)
	for k := 1; k < combRows; k++ {
		rowBase[k] = append([]uint64(nil), rowBase[k-1]...)
		for range c.cols {
			m.sqr(rowBase[k], rowBase[k], t)
		}
	}
	c.tbl = make([][]uint64, 1<<combRows)
	c.tbl[0] = m.one
	for s := 1; s < len(c.tbl); s++ {
		k := topBit(s)
		c.tbl[s] = make([]uint64, n)
		if rest := s &^ (1 << k); rest == 0 {
			copy(c.tbl[s], rowBase[k])
		} else {
			m.mul(c.tbl[s], c.tbl[rest], rowBase[k], t)
		}
	}
	return c
}

// topBit is the index of the highest set bit of s > 0.
func topBit(s int) int {
	k := 0
	for s > 1 {
		s >>= 1
		k++
	}
	return k
}

// fits reports whether the table covers exponent e.
func (c *combTable) fits(e *big.Int) bool { return e.BitLen() <= combRows*c.cols }

// exp returns base^e mod p for 0 <= e with c.fits(e).
func (c *combTable) exp(e *big.Int) *big.Int {
	m := c.m
	n := len(m.p)
	ex := limbsOf(e, (combRows*c.cols+63)/64)
	t := make([]uint64, 2*n)
	acc := append([]uint64(nil), c.tbl[c.column(ex, c.cols-1)]...)
	for j := c.cols - 2; j >= 0; j-- {
		m.sqr(acc, acc, t)
		m.mul(acc, acc, c.tbl[c.column(ex, j)], t)
	}
	m.fromMont(acc, acc, t)
	return intOf(acc)
}

// column gathers bit j of every slice of the exponent limbs ex.
func (c *combTable) column(ex []uint64, j int) int {
	s := 0
	for k := range combRows {
		pos := k*c.cols + j
		s |= int(ex[pos/64]>>(pos%64)&1) << k
	}
	return s
}
