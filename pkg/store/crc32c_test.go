package store

import (
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

func TestCRC32CMatchesHashCRC32(t *testing.T) {
	tab := crc32.MakeTable(crc32.Castagnoli)
	r := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 20000)
	for i := range buf {
		buf[i] = byte(r.Uint32())
	}
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 31, 33, 100, 1000, 1024, len(buf)} {
		for _, seed := range []uint32{0, 0xdeadbeef} {
			if got, want := crc32c(seed, buf[:n]), crc32.Update(seed, tab, buf[:n]); got != want {
				t.Errorf("crc32c(%#x, %d bytes) = %#x, hash/crc32 %#x", seed, n, got, want)
			}
		}
	}
}

// BenchmarkCRC32C compares the table with hash/crc32's hardware path
// (whose one-off setup is outside the timing) at the sizes the store
// hashes.
func BenchmarkCRC32C(b *testing.B) {
	tab := crc32.MakeTable(crc32.Castagnoli)
	for _, n := range []int{12, 64, 300, 2048} {
		p := make([]byte, n)
		b.Run(fmt.Sprintf("n=%d/impl=table", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				crc32c(0, p)
			}
		})
		b.Run(fmt.Sprintf("n=%d/impl=sse42", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				crc32.Update(0, tab, p)
			}
		})
	}
}
