package ikedb

import (
	"runtime/debug"
	"runtime/metrics"
)

// heapPacer paces the collector of a load. Each batch allocates many
// times what it keeps (the XML tokens, bbolt's copies of every node it
// dirtied), while the live heap between batches is a few MiB: at the
// GOGC the store sets for a write transaction (50) the collector ran
// hundreds of times in a load of 10,000 tunnels, a third of its CPU.
// So during a load the collector waits until the heap holds heapFloor,
// or heapGrowth times what is live and some, whichever is more (a
// memory limit with GOGC off, raised as the live heap grows): far fewer
// collections, and a peak still bounded by what is live. At twice, a
// load of 100,000 tunnels (20 to 30 MiB live) still spent a quarter of
// its CPU collecting; at three times it peaks at about 105 MiB. The
// store keeps GOGC off inside its transactions when it is off.
type heapPacer struct {
	oldPercent int
	oldLimit   int64
	sample     []metrics.Sample
}

const (
	heapFloor  = 48 << 20
	heapGrowth = 3
	heapSlack  = 8 << 20
)

// paceHeap starts pacing, unless the user tunes the collector (GOGC or
// GOMEMLIMIT set); stop puts the collector's settings back.
func paceHeap(getenv func(string) string) *heapPacer {
	p := &heapPacer{}
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return p
	}
	p.sample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	p.oldLimit = debug.SetMemoryLimit(-1)
	p.adjust()
	p.oldPercent = debug.SetGCPercent(-1)
	return p
}

// adjust sets the limit from the live heap the last collection found.
func (p *heapPacer) adjust() {
	if p.sample == nil {
		return
	}
	metrics.Read(p.sample)
	limit := int64(heapFloor)
	if s := p.sample[0].Value; s.Kind() == metrics.KindUint64 {
		limit = max(limit, heapGrowth*int64(s.Uint64())+heapSlack)
	}
	debug.SetMemoryLimit(limit)
}

func (p *heapPacer) stop() {
	if p.sample == nil {
		return
	}
	debug.SetGCPercent(p.oldPercent)
	debug.SetMemoryLimit(p.oldLimit)
}
