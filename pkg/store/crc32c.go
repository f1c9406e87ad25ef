package store

import (
	"encoding/binary"
	"sync"
)

// crc32c is CRC-32C (Castagnoli), the sum every value ends in: the
// processor's CRC32 instruction where it has one (crc32cHardware), else a
// slicing-by-8 table of 8 KiB built in microseconds on first use. Not
// hash/crc32: its package initialisation builds a table, and its SSE4.2
// path's first use builds more by hashing 1.5 MB of zeros (0.3 ms, a
// tenth of what a short command costs in all). The table costs 4.5x the
// instruction at 300 bytes and 2.3x at 64 on a quiet machine, up to 7x on
// a loaded one (BenchmarkCRC32C): a tenth of a listing's CPU.
func crc32c(crc uint32, p []byte) uint32 {
	if hasCRC32Instruction() {
		return crc32cHardware(crc, p)
	}
	return crc32cTable(crc, p)
}

// crc32cTable is crc32c through the slicing-by-8 table.
func crc32cTable(crc uint32, p []byte) uint32 {
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

// castagnoli is the reflected Castagnoli polynomial (hash/crc32.Castagnoli).
const castagnoli = 0x82f63b78

// slicing8 is the slicing-by-8 table of the reflected Castagnoli
// polynomial: t[0] the byte table, t[k] the same byte k bytes further.
var slicing8 = sync.OnceValue(func() *[8][256]uint32 {
	t := new([8][256]uint32)
	for i := range 256 {
		c := uint32(i)
		for range 8 {
			if c&1 == 1 {
				c = c>>1 ^ castagnoli
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
