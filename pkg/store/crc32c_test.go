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
			want := crc32.Update(seed, tab, buf[:n])
			if got := crc32cTable(seed, buf[:n]); got != want {
				t.Errorf("crc32cTable(%#x, %d bytes) = %#x, hash/crc32 %#x", seed, n, got, want)
			}
			if got := crc32c(seed, buf[:n]); got != want {
				t.Errorf("crc32c(%#x, %d bytes) = %#x, hash/crc32 %#x (instruction: %v)", seed, n, got, want, hasCRC32Instruction())
			}
		}
	}
}

// FuzzCRC32C checks both paths against hash/crc32 on any input, at any
// alignment.
func FuzzCRC32C(f *testing.F) {
	tab := crc32.MakeTable(crc32.Castagnoli)
	f.Add(uint32(0), []byte("123456789"), uint8(0))
	f.Add(uint32(0xdeadbeef), make([]byte, 300), uint8(3))
	f.Fuzz(func(t *testing.T, seed uint32, p []byte, skip uint8) {
		p = p[min(int(skip), len(p)):]
		want := crc32.Update(seed, tab, p)
		if got := crc32c(seed, p); got != want {
			t.Fatalf("crc32c(%#x, % x) = %#x, hash/crc32 %#x", seed, p, got, want)
		}
		if got := crc32cTable(seed, p); got != want {
			t.Fatalf("crc32cTable(%#x, % x) = %#x, hash/crc32 %#x", seed, p, got, want)
		}
	})
}

// BenchmarkCRC32C compares the table, the instruction and hash/crc32's
// hardware path (whose one-off setup is outside the timing) at the sizes
// the store hashes.
func BenchmarkCRC32C(b *testing.B) {
	tab := crc32.MakeTable(crc32.Castagnoli)
	for _, n := range []int{12, 64, 300, 2048} {
		p := make([]byte, n)
		b.Run(fmt.Sprintf("n=%d/impl=table", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				crc32cTable(0, p)
			}
		})
		b.Run(fmt.Sprintf("n=%d/impl=store", n), func(b *testing.B) {
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
