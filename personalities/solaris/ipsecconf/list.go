package ipsecconf

import (
	"bufio"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// writeSaved writes the policy as ipsecconf keeps it in its file: each
// entry's text under its "#INDEX" line, and a blank line after it.
func writeSaved(w *bufio.Writer, r *engine.IPsecRule) {
	fmt.Fprintf(w, "#INDEX %d \n%s", r.Index, r.Text)
	if strings.HasSuffix(r.Text, "\n") {
		w.WriteString("\n")
	} else {
		w.WriteString("\n\n")
	}
}

// lister writes the rules in force as ipsecconf -l does: one policy per
// direction, names unless -n.
type lister struct {
	numeric bool
	names   map[netip.Addr]string // lab host names by address
}

func (l lister) write(w *bufio.Writer, r *engine.IPsecRule, p engine.IPsecPolicyEntry) {
	dir := p.Dir
	if r.Tunnel == "" {
		fmt.Fprintf(w, "#INDEX %d\n", p.Index)
	} else {
		fmt.Fprintf(w, "#INDEX %s,%d\n", r.Tunnel, p.Index)
	}
	w.WriteString("{ ")
	if r.Tunnel != "" {
		mode := "transport"
		if r.TunnelMode {
			mode = "tunnel"
		}
		fmt.Fprintf(w, "tunnel %s negotiate %s ", r.Tunnel, mode)
	}
	if r.Protocol != 0 {
		name, ok := protocolName(r.Protocol)
		if l.numeric || !ok {
			name = itoa(r.Protocol)
		}
		fmt.Fprintf(w, "ulp %s ", name)
	}
	l.side(w, "laddr", "lport", r.Local, r.LocalPort)
	l.side(w, "raddr", "rport", r.Remote, r.RemotePort)
	if c := r.ICMP; c != nil {
		fmt.Fprintf(w, "type %d", c.Type)
		if c.TypeEnd != c.Type {
			fmt.Fprintf(w, "-%d ", c.TypeEnd)
		} else {
			w.WriteString(" ")
		}
		if c.Code != 255 {
			fmt.Fprintf(w, "code %d", c.Code)
			if c.CodeEnd != c.Code {
				fmt.Fprintf(w, "-%d ", c.CodeEnd)
			} else {
				w.WriteString(" ")
			}
		}
	}
	if dir == engine.IPsecOutbound {
		w.WriteString("dir out ")
	} else {
		w.WriteString("dir in ")
	}
	w.WriteString("} ")
	for i, a := range r.Actions {
		if i > 0 {
			w.WriteString("or ")
		}
		writeAction(w, a)
	}
	w.WriteString("\n")
}

func (l lister) side(w *bufio.Writer, addrTok, portTok string, p netip.Prefix, port int) {
	if p.IsValid() {
		fmt.Fprintf(w, "%s ", addrTok)
		a := p.Addr()
		if !a.IsUnspecified() {
			if name, ok := l.names[a]; ok && !l.numeric {
				w.WriteString(name)
			} else {
				w.WriteString(a.String())
			}
		}
		fmt.Fprintf(w, "/%d ", p.Bits())
	}
	if port != 0 {
		name, ok := serviceName(port)
		if l.numeric || !ok {
			name = itoa(port)
		}
		fmt.Fprintf(w, "%s %s ", portTok, name)
	}
}

func writeAction(w *bufio.Writer, a engine.IPsecAction) {
	switch a.Kind {
	case engine.IPsecPass:
		w.WriteString("pass { } ")
		return
	case engine.IPsecDrop:
		w.WriteString("drop { } ")
		return
	}
	w.WriteString("ipsec { ")
	if a.AH && a.AHAuth.ID != 0 {
		writeAlg(w, "auth_algs", authAlgs, a.AHAuth)
	}
	if a.ESP {
		writeAlg(w, "encr_algs", encrAlgs, a.ESPEncr)
		if a.ESPAuth.ID != 0 {
			writeAlg(w, "encr_auth_algs", authAlgs, a.ESPAuth)
		}
	}
	if a.Unique {
		w.WriteString("sa unique ")
	} else {
		w.WriteString("sa shared ")
	}
	w.WriteString("} ")
}

// writeAlg prints an algorithm with the key lengths the kernel holds for
// it: the request's, its default length for no minimum and its longest
// for no maximum.
func writeAlg(w *bufio.Writer, tag string, table []alg, r engine.IPsecAlgReq) {
	fmt.Fprintf(w, "%s %s", tag, algName(table, r.ID))
	lo, hi := r.MinBits, r.MaxBits
	if a, ok := algByID(table, r.ID); ok {
		if lo == 0 {
			lo = a.def
		}
		if hi == spdMaxBits || hi == 0 {
			hi = a.maxBits
		}
	}
	if lo != 0 || (hi != 0 && hi != spdMaxBits) {
		w.WriteString("(")
		if lo != 0 {
			fmt.Fprintf(w, "%d", lo)
		}
		if lo != 0 && hi != 0 && lo != hi {
			w.WriteString("..")
			if hi != spdMaxBits {
				fmt.Fprintf(w, "%d", hi)
			}
		}
		w.WriteString(")")
	}
	w.WriteString(" ")
}

// listed is one kernel policy of a rule, as the dump returns it.
type listed struct {
	rule   *engine.IPsecRule
	policy engine.IPsecPolicyEntry
}

// sortDump puts policies in the kernel's dump order: inbound, then
// outbound; in each, those hashed by a full-length remote address, then
// the others for IPv4 and for IPv6, each list by priority.
func sortDump(entries []listed) {
	group := func(e listed) int {
		if rem := e.rule.Remote; rem.IsValid() && rem.Bits() == rem.Addr().BitLen() {
			return 0
		}
		if e.policy.IPv6 {
			return 2
		}
		return 1
	}
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if a.policy.Dir != b.policy.Dir {
			return a.policy.Dir == engine.IPsecInbound
		}
		if ga, gb := group(a), group(b); ga != gb {
			return ga < gb
		}
		if a.rule.Priority != b.rule.Priority {
			return a.rule.Priority > b.rule.Priority
		}
		return a.policy.Index < b.policy.Index
	})
}
