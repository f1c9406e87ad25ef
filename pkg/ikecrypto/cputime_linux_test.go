package ikecrypto

import (
	"syscall"
	"time"
)

// threadCPU returns the CPU time of the calling OS thread, so that
// benchmarks on a shared, loaded machine count our cycles and not the
// neighbours'. The caller locks itself to its thread.
func threadCPU() (time.Duration, bool) {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
