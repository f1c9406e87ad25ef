package ike

import (
	"bufio"
	"io"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ikemu/ikemu/personalities/aix/ikecmd"
	"github.com/ikemu/ikemu/pkg/engine"
)

// listDB lists the definitions: the short layout, the definition
// numbers, and the tunnel manager's state (Active when an SA of the
// definition is up, else Dormant). It reads the database only, so it
// works while tmd is stopped. Each definition is rendered as it is
// decoded and only its line is kept (in one buffer, for the sort by
// number): a listing of 100,000 definitions holds their text, not them.
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
			w.Write(l.text.bytes(d))
		}
		return nil
	}))
}

// listHeapLimit is the heap a listing lets grow before collecting more
// often (the listings stay within 64 MiB of resident memory).
const listHeapLimit = 48 << 20

// definitionKey names a definition of a phase.
type definitionKey struct {
	phase int
	name  string
}

// activeDefinitions names the definitions with a live SA.
func activeDefinitions(h *engine.Host) (map[definitionKey]bool, error) {
	up := map[definitionKey]bool{}
	now := h.Now()
	err := h.SAs().ScanPhase1(func(sa *engine.Phase1SA) error {
		up[definitionKey{1, sa.PolicyLabel}] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = h.SAs().ScanPhase2(func(sa *engine.Phase2SA) error {
		if !sa.Expired(now) && sa.PolicyName != "" {
			up[definitionKey{2, sa.PolicyName}] = true
		}
		return nil
	})
	return up, err
}

// dbLine is one rendered definition: its number and its line in the
// listing's text buffer; a phase 2 one also the scan index of the phase
// 1 definition it runs under (-1: none). Lines hold no pointers, so
// the collector has nothing to trace in 100,000 of them.
type dbLine struct {
	num, chunk, from, to int
	parent               int
}

// dbListing is every definition of a host, rendered, each phase sorted
// by number; pos maps a phase 1 definition's scan index to its place in
// p1.
type dbListing struct {
	text   lineText
	p1, p2 []dbLine
	pos    []int
}

// lineText holds a listing's rendered lines in chunks that are never
// copied: one buffer grown by append would hold its old and new copies
// at each doubling, up to three times the text (lines vary in length,
// so no size given up front is right).
type lineText struct {
	chunks  [][]byte
	scratch []byte
}

// lineChunk is the size of a chunk of rendered lines.
const lineChunk = 1 << 20

// add renders one line and records in d where it lies.
func (t *lineText) add(d *dbLine, render func([]byte) []byte) {
	t.scratch = render(t.scratch[:0])
	n := len(t.chunks)
	if n == 0 || len(t.chunks[n-1])+len(t.scratch) > cap(t.chunks[n-1]) {
		t.chunks = append(t.chunks, make([]byte, 0, max(lineChunk, len(t.scratch))))
		n++
	}
	c := t.chunks[n-1]
	d.chunk, d.from = n-1, len(c)
	t.chunks[n-1] = append(c, t.scratch...)
	d.to = len(t.chunks[n-1])
}

func (t *lineText) bytes(d *dbLine) []byte { return t.chunks[d.chunk][d.from:d.to] }

// renderDefinitions renders each definition, in one scan per phase,
// sorted by definition number. A definition that a lab from before
// numbering at store time left unnumbered shows the number it would be
// given (definitions' rule).
func renderDefinitions(h *engine.Host, active map[definitionKey]bool) (*dbListing, error) {
	n1, n2 := h.Policies().CountPhase1(), h.Policies().CountPhase2()
	l := &dbListing{p1: make([]dbLine, 0, n1), p2: make([]dbLine, 0, n2)}
	nums, err := h.Tunnels().Numbers(engine.TunnelPhase1)
	if err != nil {
		return nil, err
	}
	scanIndex := make(map[string]int, n1)
	var unnumbered []string
	err = h.Policies().ScanPhase1Transient(func(p *engine.Phase1Policy) error {
		n, ok := nums[p.Label]
		if !ok {
			unnumbered = append(unnumbered, strings.Clone(p.Label))
		}
		if _, dup := scanIndex[p.Label]; !dup {
			scanIndex[strings.Clone(p.Label)] = len(l.p1)
		}
		d := dbLine{num: n, parent: -1}
		l.text.add(&d, func(b []byte) []byte {
			return appendDefinition(b, definitionKey{1, p.Label}, n, active,
				func(b []byte) []byte { return appendP1Side(b, p.LocalAddrs, p.LocalIDs) },
				func(b []byte) []byte { return appendP1Side(b, p.RemoteAddrs, p.RemoteIDs) })
		})
		l.p1 = append(l.p1, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(unnumbered) > 0 {
		if err := l.renumber(h, unnumbered, scanIndex, active); err != nil {
			return nil, err
		}
	}
	if nums, err = h.Tunnels().Numbers(engine.TunnelPhase2); err != nil {
		return nil, err
	}
	err = h.Policies().ScanPhase2Transient(func(p *engine.Phase2Policy) error {
		n := nums[p.Name]
		parent, ok := scanIndex[p.Phase1]
		if !ok {
			parent = -1
		}
		d := dbLine{num: n, parent: parent}
		l.text.add(&d, func(b []byte) []byte {
			return appendDefinition(b, definitionKey{2, p.Name}, n, active,
				func(b []byte) []byte { return appendSelector(b, p.Local) },
				func(b []byte) []byte { return appendSelector(b, p.Remote) })
		})
		l.p2 = append(l.p2, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	l.sort()
	return l, nil
}

// sort orders each phase by number, keeping where each phase 1 line went.
func (l *dbListing) sort() {
	for i := range l.p1 {
		l.p1[i].parent = i // its own scan index, while sorting
	}
	sortByNum(l.p1, func(d dbLine) uint32 { return uint32(d.num) })
	l.pos = make([]int, len(l.p1))
	for i := range l.p1 {
		l.pos[l.p1[i].parent] = i
		l.p1[i].parent = -1
	}
	sortByNum(l.p2, func(d dbLine) uint32 { return uint32(d.num) })
}

// renumber gives the unnumbered phase 1 definitions their provisional
// numbers, rendering their lines again.
func (l *dbListing) renumber(h *engine.Host, unnumbered []string, scanIndex map[string]int, active map[definitionKey]bool) error {
	provisional, err := h.Tunnels().Provisional(engine.TunnelPhase1, unnumbered)
	if err != nil {
		return err
	}
	for label, n := range provisional {
		p, err := h.Policies().Phase1ByLabel(label)
		if err != nil {
			return err
		}
		d := &l.p1[scanIndex[label]]
		d.num = n
		l.text.add(d, func(b []byte) []byte {
			return appendDefinition(b, definitionKey{1, p.Label}, n, active,
				func(b []byte) []byte { return appendP1Side(b, p.LocalAddrs, p.LocalIDs) },
				func(b []byte) []byte { return appendP1Side(b, p.RemoteAddrs, p.RemoteIDs) })
		})
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
			if nums == nil || nums.Contains(l.p1[i].num) {
				out = append(out, &l.p1[i])
			}
		}
	case "2":
		for j := range l.p2 {
			if nums != nil && !nums.Contains(l.p2[j].num) {
				continue
			}
			if parent := l.p2[j].parent; parent >= 0 {
				out = append(out, &l.p1[l.pos[parent]])
			}
			out = append(out, &l.p2[j])
		}
	default:
		// Grouped once, not searched for per definition.
		under := make([][]int32, len(l.p1))
		for j := range l.p2 {
			if parent := l.p2[j].parent; parent >= 0 {
				under[l.pos[parent]] = append(under[l.pos[parent]], int32(j))
			}
		}
		out = make([]*dbLine, 0, len(l.p1)+len(l.p2))
		for i := range l.p1 {
			if nums != nil && !nums.Contains(l.p1[i].num) {
				continue
			}
			out = append(out, &l.p1[i])
			for _, j := range under[i] {
				out = append(out, &l.p2[j])
			}
		}
	}
	return out
}

// appendDefinition appends one line in the short list layout (listRow's).
func appendDefinition(b []byte, key definitionKey, num int, active map[definitionKey]bool, local, remote func([]byte) []byte) []byte {
	start := len(b)
	b = append(b, byte('0'+key.phase))
	b = pad(b, start, 7)
	b = strconv.AppendInt(b, int64(num), 10)
	b = pad(b, start, 7+8)
	if active[key] {
		b = append(b, engine.TunnelActive...)
	} else {
		b = append(b, "Dormant"...)
	}
	b = pad(b, start, 7+8+12)
	b = appendPadded(b, len(b), 32, local)
	return append(remote(b), '\n')
}

// pad pads the ASCII text from start to width bytes.
func pad(b []byte, start, width int) []byte {
	for len(b)-start < width {
		b = append(b, ' ')
	}
	return b
}

// appendPadded appends what field appends, left-justified in width runes
// as fmt's %-*s does.
func appendPadded(b []byte, start, width int, field func([]byte) []byte) []byte {
	b = field(b)
	for n := utf8.RuneCount(b[start:]); n < width; n++ {
		b = append(b, ' ')
	}
	return b
}

// appendP1Side appends a phase 1 definition's identity: its first
// address, else its first identity string.
func appendP1Side(b []byte, addrs []engine.AddrRange, ids engine.Selectors) []byte {
	if len(addrs) > 0 {
		if addrs[0].First == addrs[0].Last {
			return appendAddr(b, addrs[0].First)
		}
		return appendRange(b, addrs[0])
	}
	if len(ids.Include) > 0 {
		return append(b, ids.Include[0]...)
	}
	return b
}

func appendSelector(b []byte, s engine.Selector) []byte {
	if s.Group != "" {
		return append(b, s.Group...)
	}
	if len(s.Addrs) == 0 {
		return b
	}
	return appendRange(b, s.Addrs[0])
}

// appendRange appends rangeID's first-last form.
func appendRange(b []byte, r engine.AddrRange) []byte {
	b = appendAddr(b, r.First)
	b = append(b, '-')
	return appendAddr(b, r.Last)
}

// appendAddr appends a's String form, invalid addresses included.
func appendAddr(b []byte, a netip.Addr) []byte {
	if !a.IsValid() {
		return append(b, a.String()...)
	}
	return a.AppendTo(b)
}
