package store

// hasSSE42 is CPUID's answer, asked once at start-up (a single trap to
// the hypervisor on a virtual machine, about a microsecond) and never
// changed: a sync.OnceValue asked on every sum cost 2% of a listing.
var hasSSE42 = cpuHasSSE42()

func hasCRC32Instruction() bool { return hasSSE42 }

// cpuHasSSE42 is CPUID leaf 1's ECX bit 20.
func cpuHasSSE42() bool

// crc32cHardware is crc32c through the CRC32 instruction, 8 bytes at a
// time, the same reflected Castagnoli sum as the table's.
//
//go:noescape
func crc32cHardware(crc uint32, p []byte) uint32
