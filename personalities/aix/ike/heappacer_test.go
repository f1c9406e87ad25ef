package ike

import (
	"runtime/debug"
	"testing"
)

// TestHeapPacer: an activation turns GOGC off under a memory limit of at
// least heapFloor and puts both back; a user who set GOGC or GOMEMLIMIT
// keeps their settings.
func TestHeapPacer(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	limit := debug.SetMemoryLimit(-1)
	p := paceHeap(func(string) string { return "" })
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("GOGC while pacing: %d, want off", got)
	}
	if got := debug.SetMemoryLimit(-1); got < heapFloor {
		t.Errorf("memory limit while pacing: %d, want at least %d", got, heapFloor)
	}
	p.adjust()
	p.stop()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC after pacing: %d, want 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit after pacing: %d, want %d", got, limit)
	}
	p = paceHeap(func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set by the user, while pacing: %d, want 100", got)
	}
	p.adjust()
	p.stop()
}
