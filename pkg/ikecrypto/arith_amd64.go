//go:build !purego

package ikecrypto

// cpuHasADX reports whether MULX, ADCX and ADOX are available.
//
//go:noescape
func cpuHasADX() bool

// addMulVVWADX is addMulVVWGeneric with MULX and two carry chains.
//
//go:noescape
func addMulVVWADX(z, x []uint64, y uint64) uint64

// mulRowsADX is the product phase of montModulus.mul.
//
//go:noescape
func mulRowsADX(t, x, y *uint64, n int)

// sqrRowsADX is the cross-product phase of montModulus.sqr.
//
//go:noescape
func sqrRowsADX(t, x *uint64, n int)

// reduceRowsADX is the loop of montModulus.reduce.
//
//go:noescape
func reduceRowsADX(t, p *uint64, n int, m0inv uint64) uint64

// sqrDiagADX doubles the cross products and adds the squares.
//
//go:noescape
func sqrDiagADX(t, x *uint64, n int)
