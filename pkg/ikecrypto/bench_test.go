package ikecrypto

import (
	"math/big"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"

	"github.com/ikemu/ikemu/pkg/ikealg"
)

// BenchmarkDH measures one end's work per SA: GenerateKey plus
// SharedSecret (including peer validation) against a fixed peer value.
func BenchmarkDH(b *testing.B) {
	for _, n := range SupportedGroups() {
		b.Run("group="+strconv.Itoa(n), func(b *testing.B) {
			g := mustGroup(b, n)
			peer, err := g.GenerateKey(seeded(99))
			if err != nil {
				b.Fatal(err)
			}
			pub := peer.PublicBytes()
			r := seeded(1)
			for b.Loop() {
				k, err := g.GenerateKey(r)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := k.SharedSecret(pub); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDerivePhase1 measures the key schedule alone (SHA-256, AES-256).
func BenchmarkDerivePhase1(b *testing.B) {
	in := validInput()
	in.Hash, in.Cipher, in.KeyBits = ikealg.HashSHA256, ikealg.CipherAES, 256
	in.GXY = make([]byte, 256)
	for b.Loop() {
		if _, err := DerivePhase1(in); err != nil {
			b.Fatal(err)
		}
	}
}

// The ModExp benchmarks put this package's exponentiation next to
// math/big's for one group's fresh exponent length (scripts/bench times
// OpenSSL with the same lengths): base=fixed is g^x, base=variable the
// peer's value raised to x.
func BenchmarkModExpGroup2(b *testing.B)  { benchModExp(b, 2) }
func BenchmarkModExpGroup14(b *testing.B) { benchModExp(b, 14) }

// fixedNoTable is publicExp without the comb table: the cost of the
// first g^x in a process before the table pays for itself.
func fixedNoTable(g *Group, x *big.Int) *big.Int {
	if g.mont.adx && g.mont.topOnes && g.g.Cmp(bigTwo) == 0 {
		return g.mont.exp2(x)
	}
	return g.modExp(g.g, x)
}

func benchModExp(b *testing.B, n int) {
	g := mustGroup(b, n)
	r := rand.New(rand.NewPCG(uint64(n), 7))
	bits := g.exponentLimit(true).BitLen()
	x := randInt(r, bits)
	x.SetBit(x, bits-1, 1)
	y := new(big.Int).Exp(g.g, randInt(r, bits), g.p)
	b.Logf("group %d: %d-bit modulus, %d-bit exponent", n, g.p.BitLen(), x.BitLen())
	for _, c := range []struct {
		name string
		f    func() *big.Int
	}{
		{"base=fixed/impl=big", func() *big.Int { return new(big.Int).Exp(g.g, x, g.p) }},
		{"base=fixed/impl=mont", func() *big.Int { return g.publicExp(x) }},
		{"base=fixed/impl=mont-notable", func() *big.Int { return fixedNoTable(g, x) }},
		{"base=fixed/impl=table-build", func() *big.Int {
			newCombTable(g.mont, g.g, bits)
			return nil
		}},
		{"base=variable/impl=big", func() *big.Int { return new(big.Int).Exp(y, x, g.p) }},
		{"base=variable/impl=mont", func() *big.Int { return g.modExp(y, x) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			t0, ok := threadCPU()
			for b.Loop() {
				c.f()
			}
			if t1, _ := threadCPU(); ok {
				b.ReportMetric(float64(t1-t0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
