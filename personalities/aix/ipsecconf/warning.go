package ipsecconf

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Warning is one setting that was not carried over as written, or one conn
// that was not converted. It never holds a secret.
type Warning struct {
	File string // the file, as named to Convert or by an include line
	Line int    // 0 when no single line is to blame
	Conn string // the section the line belongs to ("%default" included); "" outside conns
	Msg  string
}

// String renders the warning the way compilers report problems, so that
// editors can jump to the line:
//
//	ipsec.conf:12: conn office: leftsourceip=10.0.0.1 is not supported; ignored
func (w Warning) String() string {
	var b strings.Builder
	b.WriteString(w.File)
	if w.Line > 0 {
		b.WriteString(":" + strconv.Itoa(w.Line))
	}
	b.WriteString(": ")
	if w.Conn != "" {
		b.WriteString("conn " + printable(w.Conn) + ": ")
	}
	b.WriteString(w.Msg)
	return b.String()
}

// Error is a syntax error, or a file that could not be read. It never
// quotes the line, which may hold a secret.
type Error struct {
	File string
	Line int // 0 when the problem is not on one line
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return e.File + ": " + e.Msg
}

// pos is where a line was read.
type pos struct {
	file string
	line int
}

func errAt(at pos, msg string) *Error { return &Error{File: at.file, Line: at.line, Msg: msg} }

// warnings collects warnings once each: a setting written in %default or
// in a section pulled in with also= is met again for every conn using it,
// but it is one occurrence in the file.
type warnings struct {
	list []Warning
	seen map[Warning]bool
	rank map[string]int // files in the order they were first read
}

func (w *warnings) add(at pos, conn, msg string) {
	x := Warning{File: at.file, Line: at.line, Conn: conn, Msg: msg}
	if w.seen[x] {
		return
	}
	if w.seen == nil {
		w.seen = map[Warning]bool{}
	}
	w.seen[x] = true
	w.list = append(w.list, x)
}

// file records that a file was read, so that its warnings sort after those
// of the files read before it.
func (w *warnings) file(name string) {
	if w.rank == nil {
		w.rank = map[string]int{}
	}
	if _, ok := w.rank[name]; !ok {
		w.rank[name] = len(w.rank)
	}
}

// sorted returns the warnings in file and line order, which is how an
// administrator works through them; warnings on one line keep the order
// they were found in.
func (w *warnings) sorted() []Warning {
	out := append([]Warning(nil), w.list...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := w.rank[a.File], w.rank[b.File]; ra != rb {
			return ra < rb
		}
		return a.Line < b.Line
	})
	return out
}

// sensitive reports whether a setting's value may be a secret or key
// material, which messages must not repeat.
func sensitive(key string) bool {
	k := strings.ToLower(key)
	for _, s := range []string{"pass", "secret", "psk", "ppk", "pin", "token"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return strings.HasSuffix(k, "key")
}

// maxShown keeps messages to one readable line: public keys and
// certificates can be kilobytes long.
const maxShown = 60

// show renders a setting for a message as key=value; the value is cut when
// long, quoted when it holds unprintable bytes, and left out when it may be
// a secret.
func show(key, value string) string {
	if sensitive(key) {
		return key
	}
	return key + "=" + printable(value)
}

// printable renders text from a file for a message.
func printable(s string) string {
	if len(s) > maxShown {
		cut := maxShown
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return strconv.Quote(s)
		}
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
