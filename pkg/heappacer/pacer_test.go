package heappacer

import (
	"runtime/debug"
	"testing"
)

// TestHeapPacer: a pacer turns GOGC off under a memory limit of at
// least floor and puts both back; a user who set GOGC or GOMEMLIMIT
// keeps their settings.
func TestHeapPacer(t *testing.T) {
	const floor = 32 << 20
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	limit := debug.SetMemoryLimit(-1)
	p := Start(func(string) string { return "" }, floor, 2, 8<<20)
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("GOGC while pacing: %d, want off", got)
	}
	if got := debug.SetMemoryLimit(-1); got < floor {
		t.Errorf("memory limit while pacing: %d, want at least %d", got, floor)
	}
	p.Adjust()
	p.Stop()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC after pacing: %d, want 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit after pacing: %d, want %d", got, limit)
	}
	p = Start(func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	}, floor, 2, 8<<20)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set by the user, while pacing: %d, want 100", got)
	}
	p.Adjust()
	p.Stop()
}
