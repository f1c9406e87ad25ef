package store

import "sync"

// hasCRC32Instruction reports SSE4.2, asked of CPUID on first use rather
// than at start-up: every CPUID traps to the hypervisor on a virtual
// machine, and most commands sum a few values only.
var hasCRC32Instruction = sync.OnceValue(cpuHasSSE42)

// cpuHasSSE42 is CPUID leaf 1's ECX bit 20.
func cpuHasSSE42() bool

// crc32cHardware is crc32c through the CRC32 instruction, 8 bytes at a
// time, the same reflected Castagnoli sum as the table's.
//
//go:noescape
func crc32cHardware(crc uint32, p []byte) uint32
