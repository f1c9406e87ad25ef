package solaris

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ikemu/ikemu/pkg/proc"
)

// writeRuleFile generates a configuration of n preshared rules.
func writeRuleFile(tb testing.TB, dir string, n int) string {
	var b bytes.Buffer
	b.WriteString("p1_xform { auth_method preshared oakley_group 14 auth_alg sha256 encr_alg aes }\n")
	for i := range n {
		fmt.Fprintf(&b, "{\n\tlabel \"rule %d\"\n\tlocal_addr 10.%d.%d.1\n\tremote_addr 10.%d.%d.0/24\n\tp2_pfs 14\n}\n",
			i, i/256%256, i%256, 100+i/256%100, i%256)
	}
	path := filepath.Join(dir, "ike.config")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func benchProc(lab string, out io.Writer) *proc.Proc {
	env := map[string]string{"IKEMU_LAB": lab}
	return &proc.Proc{Stdin: bytes.NewReader(nil), Stdout: out, Stderr: io.Discard,
		Getenv: func(k string) string { return env[k] }, UID: os.Geteuid()}
}

func runIkeadm(tb testing.TB, p *proc.Proc, args ...string) {
	if code := Ikeadm(args, p); code != 0 {
		tb.Fatalf("ikeadm %v: exit %d", args, code)
	}
}

// BenchmarkReadRule10000 is "ikeadm read rule" of a 10,000-rule file
// (target: 1 s).
func BenchmarkReadRule10000(b *testing.B) {
	dir := b.TempDir()
	cfg := writeRuleFile(b, dir, 10000)
	p := benchProc(filepath.Join(dir, "lab"), io.Discard)
	b.ResetTimer()
	for b.Loop() {
		runIkeadm(b, p, "read", "rule", cfg)
	}
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

// BenchmarkDumpRule10000 is "ikeadm dump rule" of 10,000 rules (target:
// 0.5 s, streamed).
func BenchmarkDumpRule10000(b *testing.B) {
	dir := b.TempDir()
	cfg := writeRuleFile(b, dir, 10000)
	lab := filepath.Join(dir, "lab")
	runIkeadm(b, benchProc(lab, io.Discard), "read", "rule", cfg)
	var w countingWriter
	p := benchProc(lab, &w)
	b.ResetTimer()
	for b.Loop() {
		runIkeadm(b, p, "dump", "rule")
	}
	b.ReportMetric(float64(w.n)/float64(b.N), "out-bytes/op")
}

// TestDumpRuleStreams checks that dump memory does not grow with the
// table: the peak heap while dumping 8,000 rules stays close to that of
// 1,000 rules.
func TestDumpRuleStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two rulebases")
	}
	peak := func(n int) uint64 {
		dir := t.TempDir()
		cfg := writeRuleFile(t, dir, n)
		lab := filepath.Join(dir, "lab")
		runIkeadm(t, benchProc(lab, io.Discard), "read", "rule", cfg)
		runtime.GC()
		w := countingWriter{gcEvery: 4}
		runIkeadm(t, benchProc(lab, &w), "dump", "rule")
		return w.peakHeap
	}
	small, large := peak(1000), peak(8000)
	// The output of 8,000 rules is ~12 MB; a dump that held it (or the
	// decoded rules) would add far more than this margin.
	t.Logf("live heap while dumping: %d KiB for 1,000 rules, %d KiB for 8,000", small>>10, large>>10)
	if small == 0 || large > small+2<<20 {
		t.Errorf("peak heap %d MiB for 8,000 rules vs %d MiB for 1,000: dump does not stream", large>>20, small>>20)
	}
}
