package ipsecconf

import (
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// load is the outcome of reading a policy file as ipsecconf -a does.
type load struct {
	rules     []engine.IPsecRule
	numRules  int  // entries read
	goodRules int  // entries that parsed
	bailed    bool // a rule was refused while adding: nothing lands
}

// loader reads policy files into rules, warning in ipsecconf's words.
type loader struct {
	warn     func(string)
	quiet    bool
	resolve  resolver
	existing []engine.IPsecRule // rules already in force, for duplicates
}

// read parses data; every message goes through warn.
func (ld *loader) read(data []byte) load {
	var out load
	lx := newLexer(data, ld.warn)
	priority := uint32(basePriority)
	for {
		e, err := lx.entry()
		if err == errEOF {
			return out
		}
		out.numRules++
		if err != nil {
			ld.malformed(lx.entryText())
			continue
		}
		f := &former{lines: append([]int(nil), lx.lines...), warn: ld.warn, resolve: ld.resolve}
		if !f.form(e) {
			ld.warn("form_ipsec_conf error")
			ld.malformed(lx.entryText())
			continue
		}
		out.goodRules++
		r, err := f.finish(priority)
		priority--
		if err != nil {
			ld.warn(err.Error())
			ld.malformed(lx.entryText())
			out.bailed = true
			return out
		}
		r.Text = lx.entryText()
		if ld.duplicate(&r, out.rules) {
			if !ld.quiet {
				ld.warn("Duplicate policy entry (ignored):\n" + r.Text)
			}
			continue
		}
		out.rules = append(out.rules, r)
	}
}

func (ld *loader) malformed(text string) {
	ld.warn("Malformed command (fatal):\n" + text)
}

func (ld *loader) duplicate(r *engine.IPsecRule, loaded []engine.IPsecRule) bool {
	for _, list := range [][]engine.IPsecRule{ld.existing, loaded} {
		for i := range list {
			if sameSelector(&list[i], r) {
				return true
			}
		}
	}
	return false
}

// sameSelector reports whether two rules cover the same traffic in a
// common direction, which the kernel refuses as an existing entry.
func sameSelector(a, b *engine.IPsecRule) bool {
	return a.Dir&b.Dir != 0 && a.Tunnel == b.Tunnel && a.TunnelMode == b.TunnelMode &&
		a.Protocol == b.Protocol && a.Local == b.Local && a.Remote == b.Remote &&
		a.LocalPort == b.LocalPort && a.RemotePort == b.RemotePort && sameICMP(a.ICMP, b.ICMP)
}

func sameICMP(a, b *engine.ICMPMatch) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// labResolver resolves the lab's host names to their addresses.
func labResolver(hosts map[string][]netip.Addr) resolver {
	return func(name string) []netip.Addr {
		return hosts[strings.ToLower(name)]
	}
}
