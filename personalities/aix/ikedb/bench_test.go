package ikedb

import (
	"io"
	"os"
	"runtime"
	"testing"
)

// BenchmarkPut10000 is "ikedb -p" of a file with 10,000 phase 1
// tunnels, their 10,000 preshared keys and 10,000 phase 2 tunnels on a
// fresh host (target: 2 s). Each iteration gets a new lab, made outside
// the timer.
func BenchmarkPut10000(b *testing.B) {
	e := newTestLab(b)
	file := e.writeDoc("db.xml", genDoc(10000))
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		p := newTestLab(b).proc(nil, io.Discard, io.Discard)
		b.StartTimer()
		if code := mainWith([]string{"-p", file}, p, nil); code != 0 {
			b.Fatalf("ikedb -p: exit %d", code)
		}
	}
}

// BenchmarkGet10000 is "ikedb -g" of that database (target: 1 s,
// streamed).
func BenchmarkGet10000(b *testing.B) {
	e := newTestLab(b)
	e.ok("-p", e.writeDoc("db.xml", genDoc(10000)))
	var w countingWriter
	p := e.proc(nil, &w, io.Discard)
	b.ResetTimer()
	for b.Loop() {
		if code := mainWith([]string{"-g"}, p, nil); code != 0 {
			b.Fatalf("ikedb -g: exit %d", code)
		}
	}
	b.ReportMetric(float64(w.n)/float64(b.N), "out-bytes/op")
}

// countingWriter counts bytes; with gcEvery set it also records the live
// heap (after a collection) every gcEvery writes while output streams.
type countingWriter struct {
	n        int64
	peakHeap uint64
	calls    int
	gcEvery  int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	if w.calls++; w.gcEvery > 0 && w.calls%w.gcEvery == 0 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		w.peakHeap = max(w.peakHeap, ms.HeapAlloc)
	}
	return len(p), nil
}

// TestGetStreams checks that ikedb -g memory does not grow with the
// database: the peak live heap while printing 8,000 tunnels of each phase
// stays close to that of 1,000.
func TestGetStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two databases")
	}
	peak := func(n int) (uint64, int64) {
		e := newTestLab(t)
		e.ok("-p", e.writeDoc("db.xml", genDoc(n)))
		runtime.GC()
		w := countingWriter{gcEvery: 4}
		if code := mainWith([]string{"-g"}, e.proc(nil, &w, io.Discard), nil); code != 0 {
			t.Fatalf("ikedb -g of %d: exit %d", n, code)
		}
		return w.peakHeap, w.n
	}
	small, _ := peak(1000)
	large, out := peak(8000)
	// The output for 8,000 tunnels of each phase is ~7 MB; a -g that held
	// it, or the decoded definitions, would add far more than this margin.
	t.Logf("live heap while printing: %d KiB for 1,000, %d KiB for 8,000 (%d MB out)", small>>10, large>>10, out>>20)
	if small == 0 || large > small+2<<20 {
		t.Errorf("peak heap %d MiB for 8,000 vs %d MiB for 1,000: ikedb -g does not stream", large>>20, small>>20)
	}
}

// TestGeneratedRoundTrip keeps the benchmark database honest: it
// puts, and -g prints it back byte for byte.
func TestGeneratedRoundTrip(t *testing.T) {
	e := newTestLab(t)
	file := e.writeDoc("db.xml", genDoc(300))
	e.ok("-p", file)
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.ok("-g"); got != string(want) {
		t.Errorf("-g differs from the file put (%d vs %d bytes)", len(got), len(want))
	}
}
