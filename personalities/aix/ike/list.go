package ike

import (
	"bufio"
	"cmp"
	"io"
	"runtime/debug"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/ikemu/ikemu/pkg/engine"
)

const listHeader = "Phase  Tun Id  Status      Local Id                        Remote Id\n"

// listRow is one line of the short list format.
type listRow struct {
	phase, num, status, local, remote string
}

// write prints the row as "%-7s%-8s%-12s%-32s%s\n" would, without
// fmt: a listing of 100,000 tunnels prints this once per line.
func (w listRow) write(out *bufio.Writer) {
	padded(out, w.phase, 7)
	padded(out, w.num, 8)
	padded(out, w.status, 12)
	padded(out, w.local, 32)
	out.WriteString(w.remote)
	out.WriteByte('\n')
}

// padded writes s left-justified in a field of width runes.
func padded(out *bufio.Writer, s string, width int) {
	out.WriteString(s)
	for n := utf8.RuneCountInString(s); n < width; n++ {
		out.WriteByte(' ')
	}
}

// p1View and p2View are the tunnel manager's phase 1 and phase 2 tunnels.
type p1View struct {
	num       uint32
	status    engine.TunnelStatus
	local     string
	remote    string
	initiator bool
	cky       [2]uint64
	hasSA     bool
	sa        *engine.Phase1SA // kept for the verbose layout only
	entry     *engine.TunnelEntry
}

type p2View struct {
	num, p1num uint32
	status     engine.TunnelStatus
	local      string
	remote     string
	initiator  bool
	cky        [2]uint64
	hasSA      bool
	sa         *engine.Phase2SA // kept for the verbose layout only
}

// tunnels collects the host's tunnel manager state in number order. The
// decoded SAs are kept only for the verbose layout (keepSAs): the short
// one of 100,000 tunnels holds their views, not them.
func tunnels(h *engine.Host, keepSAs bool) ([]p1View, []p2View, error) {
	now := h.Now()
	// Sized once: appending 100,000 views would hold the old array and
	// the new at every doubling.
	p1 := make([]p1View, 0, h.SAs().CountPhase1())
	p2 := make([]p2View, 0, h.SAs().CountPhase2())
	err := h.SAs().ScanAllPhase1(func(sa *engine.Phase1SA) error {
		st := engine.TunnelActive
		if sa.Expired(now) {
			st = engine.TunnelExpired
		}
		v := p1View{num: sa.TunnelNum, status: st, local: sa.Local.First.String(), remote: sa.Remote.First.String(),
			initiator: sa.Initiator, cky: [2]uint64{sa.CookieI, sa.CookieR}, hasSA: true}
		if keepSAs {
			v.sa = sa
		}
		p1 = append(p1, v)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = h.SAs().ScanPhase2(func(sa *engine.Phase2SA) error {
		st := engine.TunnelActive
		if sa.Expired(now) {
			st = engine.TunnelExpired
		}
		v := p2View{num: sa.TunnelNum, p1num: sa.P1TunnelNum, status: st, local: rangeID(sa.Local), remote: rangeID(sa.Remote),
			initiator: sa.Initiator, cky: [2]uint64{sa.CookieI, sa.CookieR}, hasSA: true}
		if keepSAs {
			v.sa = sa
		}
		p2 = append(p2, v)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = h.Tunnels().ScanEntries(func(e *engine.TunnelEntry) error {
		if e.Phase == 1 {
			p1 = append(p1, p1View{num: e.TunnelNum, status: e.Status, local: e.Local, remote: e.Remote, initiator: e.Initiator, entry: e})
		} else {
			p2 = append(p2, p2View{num: e.TunnelNum, status: e.Status, local: e.Local, remote: e.Remote, initiator: e.Initiator})
		}
		return nil
	})
	sortByNum(p1, func(v p1View) uint32 { return v.num })
	sortByNum(p2, func(v p2View) uint32 { return v.num })
	return p1, p2, err
}

// rangeID renders a phase 2 identity as the list does: first-last.
func rangeID(r engine.AddrRange) string { return r.First.String() + "-" + r.Last.String() }

func (r *invocation) list(h *engine.Host) error {
	// The views of 100,000 tunnels are most of the heap: collect more
	// often near listHeapLimit rather than let it double.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(listHeapLimit))
	p1, p2, err := tunnels(h, r.req.Verbose)
	if err != nil {
		return err
	}
	rows := r.selectRows(p1, p2)
	if len(rows) == 0 {
		return nil // the tunnel manager has nothing: no output at all
	}
	w := bufio.NewWriter(r.p.Stdout)
	defer w.Flush()
	if r.req.Verbose {
		return r.writeVerbose(w, h, rows)
	}
	io.WriteString(w, listHeader)
	for _, row := range rows {
		row.short().write(w)
	}
	return nil
}

// listed is one selected tunnel, of either phase.
type listed struct {
	p1 *p1View
	p2 *p2View
}

func (l listed) short() listRow {
	if l.p1 != nil {
		return listRow{"1", strconv.FormatUint(uint64(l.p1.num), 10), string(l.p1.status), l.p1.local, l.p1.remote}
	}
	return listRow{"2", strconv.FormatUint(uint64(l.p2.num), 10), string(l.p2.status), l.p2.local, l.p2.remote}
}

// selectRows orders and filters as list's phase, numlist and role say:
// phase=1 phase 1 only; phase=2 each phase 2 tunnel after its phase 1;
// phase=1+ (the default) each phase 1 tunnel followed by its phase 2s.
func (r *invocation) selectRows(p1 []p1View, p2 []p2View) []listed {
	q := r.req
	roleOK := func(init bool) bool {
		return q.Role == "" || (q.Role == "i") == init
	}
	var rows []listed
	switch q.Phase {
	case "1":
		for i := range p1 {
			if roleOK(p1[i].initiator) && (q.NumList == nil || q.NumList.Contains(int(p1[i].num))) {
				rows = append(rows, listed{p1: &p1[i]})
			}
		}
	case "2":
		parents := phase1Index(p1)
		for i := range p2 {
			if !roleOK(p2[i].initiator) || (q.NumList != nil && !q.NumList.Contains(int(p2[i].num))) {
				continue
			}
			if parent := parents[p1Key{p2[i].cky, p2[i].p1num}]; parent != nil {
				rows = append(rows, listed{p1: parent})
			}
			rows = append(rows, listed{p2: &p2[i]})
		}
	default:
		rows = r.phase1Plus(p1, p2, roleOK)
	}
	return rows
}

func (r *invocation) phase1Plus(p1 []p1View, p2 []p2View, roleOK func(bool) bool) []listed {
	q := r.req
	rows := make([]listed, 0, len(p1)+len(p2))
	used := make([]bool, len(p2))
	// Each phase 1 SA's phase 2 tunnels as a chain through next, in
	// number order: one map entry per SA, not a slice each.
	first := make(map[[2]uint64]int32, len(p2))
	next := make([]int32, len(p2))
	for j := len(p2) - 1; j >= 0; j-- {
		if !p2[j].hasSA {
			continue
		}
		next[j] = -1
		if f, ok := first[p2[j].cky]; ok {
			next[j] = f
		}
		first[p2[j].cky] = int32(j)
	}
	for i := range p1 {
		if !roleOK(p1[i].initiator) || (q.NumList != nil && !q.NumList.Contains(int(p1[i].num))) {
			continue
		}
		rows = append(rows, listed{p1: &p1[i]})
		if !p1[i].hasSA {
			continue
		}
		j, ok := first[p1[i].cky]
		for ; ok && j >= 0; j = next[j] {
			if !used[j] {
				rows, used[j] = append(rows, listed{p2: &p2[j]}), true
			}
		}
	}
	if q.NumList != nil {
		return rows
	}
	// Phase 2 tunnels whose phase 1 was removed live on until they expire.
	for j := range p2 {
		if !used[j] && roleOK(p2[j].initiator) {
			rows = append(rows, listed{p2: &p2[j]})
		}
	}
	return rows
}

// p1Key finds the phase 1 tunnel of a phase 2 one: the SA's cookies
// and tunnel number.
type p1Key struct {
	cky [2]uint64
	num uint32
}

// phase1Index maps each phase 1 tunnel with an SA by its key, the first
// in number order winning.
func phase1Index(p1 []p1View) map[p1Key]*p1View {
	m := make(map[p1Key]*p1View, len(p1))
	for i := range p1 {
		k := p1Key{p1[i].cky, p1[i].num}
		if _, dup := m[k]; p1[i].hasSA && !dup {
			m[k] = &p1[i]
		}
	}
	return m
}

func sortByNum[T any](v []T, key func(T) uint32) {
	slices.SortStableFunc(v, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
}
