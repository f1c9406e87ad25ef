package native

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgressOnlyOnTerminal: a writer that is not a terminal gets
// nothing, however long the operation.
func TestProgressOnlyOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	pr := newProgress(&buf, "items", 10)
	clock := time.Unix(0, 0)
	pr.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	for range 10 {
		pr.Add(1)
	}
	pr.Done()
	if buf.Len() != 0 {
		t.Errorf("progress written off a terminal: %q", buf.String())
	}
}

// TestProgressRedrawsAtMostEveryInterval: on a terminal the line is
// redrawn when the interval has passed, never more often, and cleared.
func TestProgressRedrawsAtMostEveryInterval(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(0, 0)
	pr := &progress{w: &buf, what: "phase 1 SAs", total: 4, now: func() time.Time { return clock }, interval: 100 * time.Millisecond, last: clock}
	pr.Add(1) // same instant: no redraw
	clock = clock.Add(150 * time.Millisecond)
	pr.Add(1)
	pr.Add(1) // within the interval of the last redraw
	pr.Done()
	want := "\r\x1b[Kikemu: 2 of 4 phase 1 SAs (50%)\r\x1b[K"
	if got := buf.String(); got != want {
		t.Errorf("progress = %q; want %q", got, want)
	}
	if strings.Count(buf.String(), "ikemu:") != 1 {
		t.Errorf("redrawn more than once")
	}
}
