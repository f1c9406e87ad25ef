package filt

import (
	"fmt"
	"io"
	"strconv"

	"github.com/ikemu/ikemu/pkg/engine"
)

// placementText is how lsfilt shows the dynamic filter placement rule
// [C: lsfilt -O on AIX, quoted in public runbooks].
const placementText = "*** Dynamic filter placement rule for IKE tunnels ***"

// numbered is a rule with the ID lsfilt shows for it.
type numbered struct {
	id int
	r  engine.FilterRule
}

// listing is what one lsfilt listing shows: its rules and whether the
// description is kept (never for the kernel's rules, as IBM says).
type listing struct {
	version int
	rules   []numbered
	descr   bool
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func maskText(version int, m fmt.Stringer, bits int) string {
	if version == 6 {
		return strconv.Itoa(bits)
	}
	return m.String()
}

// writeLong is lsfilt's default form: one block of labelled lines per
// rule between a beginning and an end line [R: field labels and layout
// as AIX prints them, from administrators' captures].
func (l listing) writeLong(w io.Writer, what string) {
	fmt.Fprintf(w, "Beginning of IPv%d %s.\n", l.version, what)
	for _, n := range l.rules {
		fmt.Fprintf(w, "Rule %d:\n", n.id)
		r := n.r
		if r.Action == engine.FilterPlacement {
			fmt.Fprintf(w, "Rule action         : %s\n", placementText)
			fmt.Fprintf(w, "Logging control     : %s\n\n", yes(r.Log))
			continue
		}
		fmt.Fprintf(w, "Rule action         : %s\n", r.Action)
		fmt.Fprintf(w, "Source Address      : %s\n", r.Src)
		fmt.Fprintf(w, "Source Mask         : %s\n", maskText(l.version, r.SrcMask, r.SrcBits))
		fmt.Fprintf(w, "Destination Address : %s\n", r.Dst)
		fmt.Fprintf(w, "Destination Mask    : %s\n", maskText(l.version, r.DstMask, r.DstBits))
		fmt.Fprintf(w, "Source Routing      : %s\n", yes(r.SourceRoute))
		fmt.Fprintf(w, "Protocol            : %s\n", r.Protocol)
		fmt.Fprintf(w, "Source Port         : %-3s %d\n", r.SrcPort.Op, r.SrcPort.Port)
		fmt.Fprintf(w, "Destination Port    : %-3s %d\n", r.DstPort.Op, r.DstPort.Port)
		fmt.Fprintf(w, "Scope               : %s\n", r.Scope)
		fmt.Fprintf(w, "Direction           : %s\n", r.Direction)
		fmt.Fprintf(w, "Logging control     : %s\n", yes(r.Log))
		fmt.Fprintf(w, "Fragment control    : %s\n", fragments[r.Fragment])
		fmt.Fprintf(w, "Tunnel ID number    : %d\n", r.TunnelID)
		fmt.Fprintf(w, "Interface           : %s\n", r.Interface)
		fmt.Fprintf(w, "Auto-Generated      : %s\n", yes(r.AutoGen))
		fmt.Fprintf(w, "Expiration Time     : %d\n", r.Expiration)
		if l.descr {
			fmt.Fprintf(w, "Description         : %s\n", r.Description)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "End of IPv%d %s.\n", l.version, what)
}

// writeColon is lsfilt -O: one line per rule, 22 fields separated by
// '|' in the order IBM's mkfilt module parses them; the placement rule
// has three [C: IBM's mkfilt module and lsfilt -O captures].
func (l listing) writeColon(w io.Writer) {
	for _, n := range l.rules {
		r := n.r
		if r.Action == engine.FilterPlacement {
			fmt.Fprintf(w, "%d|%s|%s\n", n.id, placementText, yes(r.Log))
			continue
		}
		descr := ""
		if l.descr {
			descr = r.Description
		}
		fmt.Fprintf(w, "%d|%s|%s|%s|%s|%s|%s|%s|%s|%d|%s|%d|%s|%s|%s|%s|%d|%s|%d|||%s\n",
			n.id, r.Action, r.Src, maskText(l.version, r.SrcMask, r.SrcBits),
			r.Dst, maskText(l.version, r.DstMask, r.DstBits), yes(r.SourceRoute), r.Protocol,
			r.SrcPort.Op, r.SrcPort.Port, r.DstPort.Op, r.DstPort.Port, r.Scope, r.Direction,
			yes(r.Log), fragments[r.Fragment], r.TunnelID, r.Interface, r.Expiration, descr)
	}
}

// tableListing numbers a table's rules as lsfilt shows them: 1..n,
// then the default rule as 0.
func tableListing(version int, t engine.FilterTable, ids map[int]bool) listing {
	l := listing{version: version, descr: true}
	for i, r := range t.Rules {
		if ids == nil || ids[i+1] {
			l.rules = append(l.rules, numbered{i + 1, r})
		}
	}
	if ids == nil || ids[0] {
		l.rules = append(l.rules, numbered{0, t.Default})
	}
	return l
}
