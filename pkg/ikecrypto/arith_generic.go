//go:build !amd64 || purego

package ikecrypto

func cpuHasADX() bool { return false }

func addMulVVWADX(z, x []uint64, y uint64) uint64 { return addMulVVWGeneric(z, x, y) }

func mulRowsADX(t, x, y *uint64, n int) { panic("ikecrypto: no ADX") }

func sqrRowsADX(t, x *uint64, n int) { panic("ikecrypto: no ADX") }

func reduceRowsADX(t, p *uint64, n int, m0inv uint64) uint64 { panic("ikecrypto: no ADX") }

func sqrDiagADX(t, x *uint64, n int) { panic("ikecrypto: no ADX") }
