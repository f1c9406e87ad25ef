package ike

import (
	"bufio"
	"bytes"
	"cmp"
	"io"
	"net/netip"
	"runtime/debug"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/ikemu/ikemu/personalities/aix/ikecmd"
	"github.com/ikemu/ikemu/pkg/engine"
)

// listDB lists the definitions: the short layout, the definition
// numbers, and the tunnel manager's state (Active when an SA of the
// definition is up, else Dormant). It reads the database only, so it
// works while tmd is stopped. Each definition's two sides are rendered
// as it is read and only they are kept (in one buffer, for the sort by
// number; the rest of the line, padding most of it, is written as it
// goes out): a listing of 100,000 definitions holds their text, not
// them.
func (r *invocation) listDB() error {
	// Decoding leaves garbage at a steady rate while little stays live:
	// collect half as often, but never let the heap pass listHeapLimit.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(listHeapLimit))
	return r.lab.View(r.onHost(func(h *engine.Host) error {
		active, err := activeDefinitions(h)
		if err != nil {
			return err
		}
		l, err := renderDefinitions(h, active)
		if err != nil {
			return err
		}
		order := l.order(r.req.Phase, r.req.NumList)
		if len(order) == 0 {
			return nil
		}
		w := bufio.NewWriter(r.p.Stdout)
		defer w.Flush()
		io.WriteString(w, listHeader)
		for _, d := range order {
			w.Write(l.appendLine(w.AvailableBuffer(), d))
		}
		return nil
	}))
}

// listHeapLimit is the heap a listing lets grow before collecting more
// often (the listings stay within 64 MiB of resident memory).
const listHeapLimit = 48 << 20

// activeSet names the definitions of each phase with a live SA.
type activeSet struct{ phase1, phase2 map[string]bool }

// activeDefinitions names the definitions with a live SA.
func activeDefinitions(h *engine.Host) (activeSet, error) {
	up := activeSet{map[string]bool{}, map[string]bool{}}
	now := h.Now()
	err := h.SAs().ScanPhase1(func(sa *engine.Phase1SA) error {
		up.phase1[sa.PolicyLabel] = true
		return nil
	})
	if err != nil {
		return up, err
	}
	err = h.SAs().ScanPhase2(func(sa *engine.Phase2SA) error {
		if !sa.Expired(now) && sa.PolicyName != "" {
			up.phase2[sa.PolicyName] = true
		}
		return nil
	})
	return up, err
}

// dbLine is one rendered definition: its phase, number and state, and
// where its local (from-mid) and remote (mid-to) sides lie in the
// listing's text; a phase 2 one also the scan index of the phase 1
// definition it runs under (-1: none). Lines hold no pointers, so the
// collector has nothing to trace in 100,000 of them, and 32-bit
// fields, so they take half the pages.
type dbLine struct {
	num, chunk, from, mid, to int32
	parent                    int32
	phase                     uint8
	active                    bool
}

// dbListing is every definition of a host, rendered, each phase sorted
// by number; pos maps a phase 1 definition's scan index to its place in
// p1.
type dbListing struct {
	text   lineText
	p1, p2 []dbLine
	pos    []int32
}

// lineText holds a listing's rendered sides in chunks that are never
// copied: one buffer grown by append would hold its old and new copies
// at each doubling, up to three times the text (lines vary in length,
// so no size given up front is right). Sides are rendered in place.
type lineText struct {
	chunks [][]byte
}

// lineChunk is the size of a chunk of rendered sides, and lineRoom the
// room a chunk must have left for the next line's to go in it.
const (
	lineChunk = 1 << 20
	lineRoom  = 4 << 10
)

// add renders one line's sides and records in d where they lie. Sides
// longer than lineRoom may grow their chunk (append copies it).
func (t *lineText) add(d *dbLine, local, remote func([]byte) []byte) {
	n := len(t.chunks)
	if n == 0 || cap(t.chunks[n-1])-len(t.chunks[n-1]) < lineRoom {
		t.chunks = append(t.chunks, make([]byte, 0, lineChunk))
		n++
	}
	c := t.chunks[n-1]
	d.chunk, d.from = int32(n-1), int32(len(c))
	c = local(c)
	d.mid = int32(len(c))
	c = remote(c)
	d.to = int32(len(c))
	t.chunks[n-1] = c
}

// appendLine appends d's line in the short list layout (listRow's).
func (l *dbListing) appendLine(b []byte, d *dbLine) []byte {
	c := l.text.chunks[d.chunk]
	local, remote := c[d.from:d.mid], c[d.mid:d.to]
	b = appendLineStart(b, int(d.phase), int(d.num), d.active)
	b = append(b, local...)
	b = appendSpaces(b, 32-utf8.RuneCount(local))
	b = append(b, remote...)
	return append(b, '\n')
}

// renderDefinitions renders each definition, in one scan per phase,
// sorted by definition number. A definition that a lab from before
// numbering at store time left unnumbered shows the number it would be
// given (definitions' rule).
func renderDefinitions(h *engine.Host, active activeSet) (*dbListing, error) {
	n1, n2 := h.Policies().CountPhase1(), h.Policies().CountPhase2()
	l := &dbListing{p1: make([]dbLine, 0, n1), p2: make([]dbLine, 0, n2)}
	labels := &phase1Labels{ends: make([]int, 0, n1), unique: true}
	var unnumbered []string
	err := h.Policies().ScanPhase1Outlines(func(o *engine.Phase1Outline) error {
		if !o.Numbered {
			unnumbered = append(unnumbered, string(o.Label))
		}
		labels.add(o.Label, o.Matched)
		d := dbLine{num: int32(o.Number), parent: -1, phase: 1, active: active.phase1[string(o.Label)]}
		l.text.add(&d, func(b []byte) []byte { return appendP1Side(b, &o.Local) },
			func(b []byte) []byte { return appendP1Side(b, &o.Remote) })
		l.p1 = append(l.p1, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(unnumbered) > 0 {
		if err := l.renumber(h, unnumbered, labels); err != nil {
			return nil, err
		}
	}
	err = h.Policies().ScanPhase2Outlines(func(o *engine.Phase2Outline) error {
		d := dbLine{num: int32(o.Number), parent: int32(labels.index(o.Phase1)), phase: 2,
			active: active.phase2[string(o.Name)]}
		l.text.add(&d, func(b []byte) []byte { return appendP2Side(b, &o.Local) },
			func(b []byte) []byte { return appendP2Side(b, &o.Remote) })
		l.p2 = append(l.p2, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	l.sort()
	return l, nil
}

// phase1Labels are the phase 1 definitions' labels in scan order, for
// each phase 2 definition to find its phase 1 one: the first of that
// label. Definitions usually come in the order of their phase 1 ones,
// so the one after the last found (or the same) is tried first, which
// is right when no two phase 1 definitions share a label; else, and
// when the guess misses, a map of every label is built once.
type phase1Labels struct {
	text   []byte
	ends   []int // of each label in text
	unique bool  // no two share a label
	last   int
	first  map[string]int // scan index by label, built when needed
}

// add appends a label; matched says it was numbered one to one
// (engine.Phase1Outline.Matched).
func (ls *phase1Labels) add(label []byte, matched bool) {
	ls.text = append(ls.text, label...)
	ls.ends = append(ls.ends, len(ls.text))
	ls.unique = ls.unique && matched
}

func (ls *phase1Labels) label(i int) []byte {
	from := 0
	if i > 0 {
		from = ls.ends[i-1]
	}
	return ls.text[from:ls.ends[i]]
}

// index is the scan index of the first phase 1 definition labelled
// label, -1 if none is.
func (ls *phase1Labels) index(label []byte) int {
	if ls.unique {
		for _, i := range [...]int{ls.last + 1, ls.last} {
			if i < len(ls.ends) && bytes.Equal(ls.label(i), label) {
				ls.last = i
				return i
			}
		}
	}
	if ls.first == nil {
		// Keys cut from one copy of the labels, not one each.
		all, from := string(ls.text), 0
		ls.first = make(map[string]int, len(ls.ends))
		for i, to := range ls.ends {
			if _, dup := ls.first[all[from:to]]; !dup {
				ls.first[all[from:to]] = i
			}
			from = to
		}
	}
	i, ok := ls.first[string(label)]
	if !ok {
		return -1
	}
	ls.last = i
	return i
}

// sort orders each phase by number, keeping where each phase 1 line
// went. Definitions are numbered as they are stored, so each phase is
// usually in order already.
func (l *dbListing) sort() {
	byNum := func(a, b dbLine) int { return cmp.Compare(a.num, b.num) }
	for i := range l.p1 {
		l.p1[i].parent = int32(i) // its own scan index, while sorting
	}
	if !slices.IsSortedFunc(l.p1, byNum) {
		slices.SortStableFunc(l.p1, byNum)
	}
	l.pos = make([]int32, len(l.p1))
	for i := range l.p1 {
		l.pos[l.p1[i].parent] = int32(i)
		l.p1[i].parent = -1
	}
	if !slices.IsSortedFunc(l.p2, byNum) {
		slices.SortStableFunc(l.p2, byNum)
	}
}

// renumber gives the unnumbered phase 1 definitions their provisional
// numbers.
func (l *dbListing) renumber(h *engine.Host, unnumbered []string, labels *phase1Labels) error {
	provisional, err := h.Tunnels().Provisional(engine.TunnelPhase1, unnumbered)
	if err != nil {
		return err
	}
	for label, n := range provisional {
		l.p1[labels.index([]byte(label))].num = int32(n)
	}
	return nil
}

// order selects the lines the request lists, in listing order: all
// phase 1 definitions each followed by its phase 2 ones, or one phase's,
// optionally by number.
func (l *dbListing) order(phase string, nums ikecmd.NumList) []*dbLine {
	var out []*dbLine
	switch phase {
	case "1":
		for i := range l.p1 {
			if nums == nil || nums.Contains(int(l.p1[i].num)) {
				out = append(out, &l.p1[i])
			}
		}
	case "2":
		for j := range l.p2 {
			if nums != nil && !nums.Contains(int(l.p2[j].num)) {
				continue
			}
			if parent := l.p2[j].parent; parent >= 0 {
				out = append(out, &l.p1[l.pos[parent]])
			}
			out = append(out, &l.p2[j])
		}
	default:
		// Grouped once, not searched for per definition: phase 1 line
		// i's phase 2 lines are under[from[i]:from[i+1]], in order.
		from := make([]int32, len(l.p1)+1)
		for j := range l.p2 {
			if parent := l.p2[j].parent; parent >= 0 {
				from[l.pos[parent]+1]++
			}
		}
		for i := range l.p1 {
			from[i+1] += from[i]
		}
		under := make([]int32, from[len(l.p1)])
		next := slices.Clone(from[:len(l.p1)])
		for j := range l.p2 {
			if parent := l.p2[j].parent; parent >= 0 {
				i := l.pos[parent]
				under[next[i]] = int32(j)
				next[i]++
			}
		}
		out = make([]*dbLine, 0, len(l.p1)+len(l.p2))
		for i := range l.p1 {
			if nums != nil && !nums.Contains(int(l.p1[i].num)) {
				continue
			}
			out = append(out, &l.p1[i])
			for _, j := range under[from[i]:from[i+1]] {
				out = append(out, &l.p2[j])
			}
		}
	}
	return out
}

// appendLineStart appends a line of the short list layout (listRow's)
// up to its local side.
func appendLineStart(b []byte, phase, num int, active bool) []byte {
	start := len(b)
	b = append(b, byte('0'+phase))
	b = pad(b, start, 7)
	b = strconv.AppendInt(b, int64(num), 10)
	b = pad(b, start, 7+8)
	if active {
		b = append(b, engine.TunnelActive...)
	} else {
		b = append(b, "Dormant"...)
	}
	return pad(b, start, 7+8+12)
}

// pad pads the ASCII text from start to width bytes.
func pad(b []byte, start, width int) []byte {
	return appendSpaces(b, width-(len(b)-start))
}

// appendSpaces appends n spaces (none if n < 1).
func appendSpaces(b []byte, n int) []byte {
	const spaces = "                                "
	for ; n > len(spaces); n -= len(spaces) {
		b = append(b, spaces...)
	}
	if n > 0 {
		b = append(b, spaces[:n]...)
	}
	return b
}

// appendP1Side appends a phase 1 definition's identity: its first
// address (range), else its first identity string.
func appendP1Side(b []byte, s *engine.OutlineSide) []byte {
	if !s.HasRange {
		return append(b, s.Name...)
	}
	if s.Range.First == s.Range.Last {
		return appendAddr(b, s.Range.First)
	}
	return appendRange(b, s.Range)
}

// appendP2Side appends a phase 2 definition's selector: its group, else
// its first range.
func appendP2Side(b []byte, s *engine.OutlineSide) []byte {
	if !s.HasRange {
		return append(b, s.Name...)
	}
	return appendRange(b, s.Range)
}

// appendRange appends rangeID's first-last form; a range of one
// address (a phase 2 definition's usual host) repeats the text of it.
func appendRange(b []byte, r engine.AddrRange) []byte {
	start := len(b)
	b = appendAddr(b, r.First)
	b = append(b, '-')
	if r.Last == r.First {
		return append(b, b[start:len(b)-1]...)
	}
	return appendAddr(b, r.Last)
}

// appendAddr appends a's String form, invalid addresses included.
func appendAddr(b []byte, a netip.Addr) []byte {
	if !a.IsValid() {
		return append(b, a.String()...)
	}
	return a.AppendTo(b)
}
