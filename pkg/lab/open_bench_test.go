package lab

import (
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

func benchLab(b *testing.B) *Lab {
	dir := b.TempDir() + "/lab"
	l, err := Open(testProc(map[string]string{"IKEMU_LAB": dir}), nil)
	if err != nil {
		b.Fatal(err)
	}
	return l
}

func nop(*engine.Tx) error { return nil }

// BenchmarkView is one read-only open, transaction and close: the cost a
// reader pays, and a long writer's reopen after letting readers in.
func BenchmarkView(b *testing.B) {
	l := benchLab(b)
	for b.Loop() {
		if err := l.View(nop); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdate is one read-write open, committed transaction and close.
func BenchmarkUpdate(b *testing.B) {
	l := benchLab(b)
	for b.Loop() {
		if err := l.Update(nop); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriterStep is one committed transaction of a Writer that keeps
// the database open: what each tunnel of an activate adds.
func BenchmarkWriterStep(b *testing.B) {
	l := benchLab(b)
	w := l.Writer()
	defer w.Close()
	for b.Loop() {
		if err := w.Update(nop); err != nil {
			b.Fatal(err)
		}
	}
}
