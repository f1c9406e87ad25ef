package store

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// A write transaction holds every node it dirtied until it commits:
// bbolt's copy of each key and value, and a 64-byte entry per key (a
// load of 100,000 rules dirties 500,000 keys, 56 MB). The collector's
// default pacing lets the heap grow to twice what is live before it
// runs, so a large load peaked at twice its live heap.
const (
	// writeGCPercent paces the collector while a write transaction
	// builds: the heap grows by half of what is live, not all of it.
	// A small transaction allocates too little to meet a collection.
	writeGCPercent = 50
	// bigCommitHeap is the live heap above which a commit first
	// collects.
	bigCommitHeap = 32 << 20
)

// paceForWrite sets the collector's pacing for a write transaction and
// returns what restores it. A lower setting the process was given
// (GOGC, or off) is kept.
func paceForWrite() (restore func()) {
	old := debug.SetGCPercent(writeGCPercent)
	if old < writeGCPercent { // off (-1), or already lower
		debug.SetGCPercent(old)
		return func() {}
	}
	return func() { debug.SetGCPercent(old) }
}

// collectBeforeCommit runs the collector before a large commit. bbolt
// then allocates a page buffer for every dirty node while every node is
// still held; collecting first lets the buffers reuse what building the
// transaction left as garbage instead of growing the heap by them.
func collectBeforeCommit() {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 && s[0].Value.Uint64() > bigCommitHeap {
		runtime.GC()
	}
}
