// Package daemonlog writes the log lines of every vendor's IKE daemons:
// in.iked's debug file (Solaris) and the tmd and isakmpd lines of AIX's
// syslog. Every emulated host runs both vendors' daemons, so whichever
// tool ran the transaction, its events are rendered here for both, each
// in its vendor's words, after the transaction ends.
package daemonlog

import (
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Vendors that write notes.
const (
	Solaris = "solaris"
	AIX     = "aix"
)

// Debug has in.iked log a line in debug category cat.
func Debug(h *engine.Host, cat uint32, format string, args ...any) {
	h.Emit(engine.Event{Kind: engine.EventNote, Vendor: Solaris, Category: cat, Detail: fmt.Sprintf(format, args...)})
}

// Syslog has AIX's daemon prog (tmd, isakmpd) log a line at level.
func Syslog(h *engine.Host, level engine.SyslogLevel, prog, format string, args ...any) {
	h.Emit(engine.Event{Kind: engine.EventNote, Vendor: AIX, Level: level, Program: prog,
		Detail: fmt.Sprintf(format, args...)})
}

// Write appends the lines of a finished transaction's events to the
// files they belong in. An uncommitted transaction's state changes are
// not told: only what the daemons said. Like a daemon's logging, it
// never fails: an unwritable file is the administrator's to fix.
func Write(evs []engine.Event, committed bool) {
	var files fileLines
	for i := range evs {
		e := &evs[i]
		if e.Log == nil || (!committed && e.ChangesState()) {
			continue
		}
		debugLine(&files, e)
		syslogLine(&files, e)
	}
	files.flush()
}

// fileLines collects lines per file in order, so each file is opened
// once per transaction.
type fileLines struct {
	order []string
	lines map[string]*strings.Builder
}

func (f *fileLines) add(file, line string) {
	if f.lines == nil {
		f.lines = map[string]*strings.Builder{}
	}
	b, ok := f.lines[file]
	if !ok {
		b = &strings.Builder{}
		f.lines[file] = b
		f.order = append(f.order, file)
	}
	b.WriteString(line)
}

func (f *fileLines) flush() {
	for _, name := range f.order {
		fh, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			continue
		}
		_, _ = fh.WriteString(f.lines[name].String())
		fh.Close()
	}
}

func stamp(e *engine.Event) string { return e.Time.Local().Format("Jan _2 15:04:05") }

func rangeText(r engine.AddrRange) string {
	if r.First == r.Last {
		return r.First.String()
	}
	return r.First.String() + "-" + r.Last.String()
}

func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return "an unaddressed host"
	}
	return a.String()
}
