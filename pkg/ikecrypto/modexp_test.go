package ikecrypto

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// modpGroups are the groups whose arithmetic montModulus does.
func modpGroups(t testing.TB) []*Group {
	var gs []*Group
	for _, n := range SupportedGroups() {
		if g := mustGroup(t, n); !g.IsECP() {
			gs = append(gs, g)
		}
	}
	return gs
}

// randInt draws a value of at most bits bits, often with runs of all-zero
// or all-one limbs, which exercise the carry paths.
func randInt(r *rand.Rand, bits int) *big.Int {
	b := make([]byte, (bits+7)/8)
	for i := range b {
		switch r.IntN(8) {
		case 0:
			b[i] = 0
		case 1:
			b[i] = 0xff
		default:
			b[i] = byte(r.Uint32())
		}
	}
	v := new(big.Int).SetBytes(b)
	return v.Rsh(v, uint(8*len(b)-bits))
}

// edgeBases are the bases at the ends of the range for p.
func edgeBases(p *big.Int) []*big.Int {
	pm := func(d int64) *big.Int { return new(big.Int).Add(p, big.NewInt(d)) }
	return []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(2), pm(-1), pm(-2), p, pm(1),
		new(big.Int).Lsh(p, 3)}
}

// exponentSizes straddle limb and window boundaries. Exponents as long as
// the prime are tried only up to 2048 bits, with fewer bases: math/big's
// side of the comparison dominates the test's time.
func exponentSizes(g *Group) (short, long []int) {
	short = []int{1, 2, 5, 63, 64, 65, 127, 320}
	if g.expBits > 0 {
		short = append(short, g.expBits)
	}
	if g.p.BitLen() <= 2048 {
		long = []int{g.p.BitLen() - 1, g.p.BitLen(), g.p.BitLen() + 70}
	}
	return short, long
}

// The Montgomery exponentiation must give math/big's integers exactly.
func TestModExpMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, g := range modpGroups(t) {
		t.Run(strconv.Itoa(g.Number), func(t *testing.T) {
			bases := edgeBases(g.p)
			for range 2 {
				bases = append(bases, randInt(r, g.p.BitLen()), randInt(r, g.p.BitLen()-1-r.IntN(200)))
			}
			short, long := exponentSizes(g)
			if g.p.BitLen() > 4096 {
				// The same loops as the smaller moduli, at four times
				// the cost: their full-length exponents add time, not
				// coverage.
				long = nil
			}
			for _, bits := range short {
				e := randInt(r, bits)
				for i, b := range bases {
					// Above 2048 bits: p-1 and the random bases.
					if g.p.BitLen() <= 2048 || i == 3 || i >= len(edgeBases(g.p)) {
						checkExp(t, g, b, e)
					}
				}
			}
			for _, bits := range long {
				e := randInt(r, bits)
				for _, b := range bases[len(bases)-4:] {
					checkExp(t, g, b, e)
				}
				checkExp(t, g, bases[3], e) // p-1
			}
			checkExp(t, g, bases[len(bases)-1], new(big.Int))
		})
	}
}

func checkExp(t *testing.T, g *Group, b, e *big.Int) {
	t.Helper()
	want := new(big.Int).Exp(b, e, g.p)
	if got := g.mont.exp(b, e); got.Cmp(want) != 0 {
		t.Fatalf("group %d: %x^%x: got %x, want %x", g.Number, b, e, got, want)
	}
}

// exp2 is the g^x path of groups 1-18.
func TestModExp2MatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, g := range modpGroups(t) {
		if !g.mont.topOnes {
			if g.q == nil {
				t.Errorf("group %d: safe prime without an all-ones top limb", g.Number)
			}
			continue
		}
		short, long := exponentSizes(g)
		for _, bits := range append(short, long...) {
			for range 2 {
				e := randInt(r, bits)
				want := new(big.Int).Exp(bigTwo, e, g.p)
				if got := g.mont.exp2(e); got.Cmp(want) != 0 {
					t.Fatalf("group %d: 2^%x: got %x, want %x", g.Number, e, got, want)
				}
			}
		}
		if got := g.mont.exp2(new(big.Int)); got.Cmp(bigOne) != 0 {
			t.Errorf("group %d: 2^0 = %v", g.Number, got)
		}
	}
}

// The assembly limb loop must match the generic one, where it runs.
func TestAddMulVVWMatchesGeneric(t *testing.T) {
	if !cpuHasADX() {
		t.Skip("no ADX on this CPU or build: the generic loop is the only one")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for n := 1; n <= 40; n++ {
		for range 20 {
			x, z := make([]uint64, n), make([]uint64, n)
			for i := range x {
				x[i], z[i] = r.Uint64(), r.Uint64()
				if r.IntN(4) == 0 {
					x[i], z[i] = ^uint64(0), ^uint64(0)
				}
			}
			y := r.Uint64()
			if r.IntN(4) == 0 {
				y = ^uint64(0)
			}
			z2 := append([]uint64(nil), z...)
			c1, c2 := addMulVVWADX(z, x, y), addMulVVWGeneric(z2, x, y)
			if c1 != c2 || !slices.Equal(z, z2) {
				t.Fatalf("n=%d: addMulVVWADX differs from the generic loop", n)
			}
		}
	}
}

// The comb table serves GenerateKey's exponents; publicExp falls back to
// exp2 or exp beyond them. Both must agree with math/big.
func TestPublicExpMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, g := range modpGroups(t) {
		lim := g.exponentLimit(true).BitLen()
		sizes := []int{1, 6, 7, 64, lim - 1, lim}
		if g.p.BitLen() <= 2048 {
			sizes = append(sizes, lim+1, g.p.BitLen())
		}
		for _, bits := range sizes {
			e := randInt(r, bits)
			if got, want := g.publicExp(e), new(big.Int).Exp(g.g, e, g.p); got.Cmp(want) != 0 {
				t.Fatalf("group %d: g^%x: got %x, want %x", g.Number, e, got, want)
			}
		}
		if got := g.publicExp(new(big.Int)); got.Cmp(bigOne) != 0 {
			t.Errorf("group %d: g^0 = %v", g.Number, got)
		}
	}
}
