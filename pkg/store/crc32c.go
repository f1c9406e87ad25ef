package store

import (
	"encoding/binary"
	"hash/crc32"
	"sync"
)

// crc32c is CRC-32C (Castagnoli), the sum every value ends in. hash/crc32
// computes it with the SSE4.2 instruction, but its first use builds that
// path's tables by hashing 1.5 MB of zeros: 0.3 ms, a tenth of what a
// short command costs in all. Most of what the store hashes is short
// (keys, rows of a few hundred bytes), so those inputs go through a
// slicing-by-8 table of 8 KiB, built in microseconds on first use: 4.5x
// the hardware's 50 ns at 300 bytes, 2.3x at 64 (BenchmarkCRC32C), which
// a listing of 100,000 rows pays as 17 ms. Inputs of 1 KiB and more take
// the hardware path. Both give the same sum.
func crc32c(crc uint32, p []byte) uint32 {
	if len(p) >= hardwareCRCMin {
		return crc32.Update(crc, crc32.MakeTable(crc32.Castagnoli), p)
	}
	t := slicing8()
	crc = ^crc
	for ; len(p) >= 8; p = p[8:] {
		crc ^= binary.LittleEndian.Uint32(p)
		crc = t[0][p[7]] ^ t[1][p[6]] ^ t[2][p[5]] ^ t[3][p[4]] ^
			t[4][crc>>24] ^ t[5][crc>>16&0xff] ^ t[6][crc>>8&0xff] ^ t[7][crc&0xff]
	}
	for _, b := range p {
		crc = t[0][byte(crc)^b] ^ crc>>8
	}
	return ^crc
}

// hardwareCRCMin is the shortest input hashed by hash/crc32.
const hardwareCRCMin = 1 << 10

// slicing8 is the slicing-by-8 table of the reflected Castagnoli
// polynomial: t[0] the byte table, t[k] the same byte k bytes further.
var slicing8 = sync.OnceValue(func() *[8][256]uint32 {
	t := new([8][256]uint32)
	for i := range 256 {
		c := uint32(i)
		for range 8 {
			if c&1 == 1 {
				c = c>>1 ^ crc32.Castagnoli
			} else {
				c >>= 1
			}
		}
		t[0][i] = c
	}
	for i := range 256 {
		c := t[0][i]
		for k := 1; k < 8; k++ {
			c = t[0][c&0xff] ^ c>>8
			t[k][i] = c
		}
	}
	return t
})
