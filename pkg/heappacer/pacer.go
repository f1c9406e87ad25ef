// Package heappacer paces the collector of a long command whose every
// step allocates many times what it keeps while the live heap stays a
// few MiB: an activation of thousands of tunnels, a load of a large
// database. At the default GOGC (or the store's 50 inside a write
// transaction) the collector runs every few steps. During such a
// command the collector waits until the heap holds Floor, or Growth
// times what is live plus Slack, whichever is more: a memory limit with
// GOGC off, raised as the live heap grows. Far fewer collections, and a
// peak still bounded by what is live. The store keeps GOGC off inside its
// transactions when it is off.
package heappacer

import (
	"runtime/debug"
	"runtime/metrics"
)

// Pacer is the collector's pacing by one command.
type Pacer struct {
	floor, slack int64
	growth       int64
	oldPercent   int
	oldLimit     int64
	sample       []metrics.Sample
}

// Start starts pacing with a limit of max(floor, growth × live + slack)
// bytes, unless the user tunes the collector (GOGC or GOMEMLIMIT set in
// getenv); Stop puts the collector's settings back.
func Start(getenv func(string) string, floor int64, growth int, slack int64) *Pacer {
	p := &Pacer{floor: floor, growth: int64(growth), slack: slack}
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return p
	}
	p.sample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	p.oldLimit = debug.SetMemoryLimit(-1)
	p.Adjust()
	p.oldPercent = debug.SetGCPercent(-1)
	return p
}

// Adjust sets the limit from the live heap the last collection found.
func (p *Pacer) Adjust() {
	if p.sample == nil {
		return
	}
	metrics.Read(p.sample)
	limit := p.floor
	if s := p.sample[0].Value; s.Kind() == metrics.KindUint64 {
		limit = max(limit, p.growth*int64(s.Uint64())+p.slack)
	}
	debug.SetMemoryLimit(limit)
}

// Stop ends the pacing.
func (p *Pacer) Stop() {
	if p.sample == nil {
		return
	}
	debug.SetGCPercent(p.oldPercent)
	debug.SetMemoryLimit(p.oldLimit)
}
