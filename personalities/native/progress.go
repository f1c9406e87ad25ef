package native

import (
	"fmt"
	"io"
	"time"

	"golang.org/x/term"
)

// progress reports how far a long native operation has got, on standard
// error and only when that is a terminal: redirected, it writes nothing,
// so scripts and transcripts see the same bytes as without it. The line
// is redrawn at most every interval and cleared at the end.
type progress struct {
	w        io.Writer // nil: silent
	what     string
	total    int // 0: unknown
	done     int
	now      func() time.Time
	interval time.Duration
	last     time.Time
	drawn    bool
}

// newProgress reports on stderr if it is a terminal.
func newProgress(stderr io.Writer, what string, total int) *progress {
	pr := &progress{what: what, total: total, now: time.Now, interval: 100 * time.Millisecond}
	if f, ok := stderr.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
		pr.w = stderr
		pr.last = pr.now() // nothing for operations that end within one interval
	}
	return pr
}

// Add counts n more items done.
func (pr *progress) Add(n int) {
	pr.done += n
	if pr.w == nil {
		return
	}
	if t := pr.now(); t.Sub(pr.last) >= pr.interval {
		pr.last = t
		pr.draw()
	}
}

func (pr *progress) draw() {
	if pr.total > 0 {
		fmt.Fprintf(pr.w, "\r\x1b[Kikemu: %d of %d %s (%d%%)", pr.done, pr.total, pr.what, pr.done*100/pr.total)
	} else {
		fmt.Fprintf(pr.w, "\r\x1b[Kikemu: %d %s", pr.done, pr.what)
	}
	pr.drawn = true
}

// Done clears the progress line, if one was drawn.
func (pr *progress) Done() {
	if pr.w != nil && pr.drawn {
		io.WriteString(pr.w, "\r\x1b[K")
	}
}
