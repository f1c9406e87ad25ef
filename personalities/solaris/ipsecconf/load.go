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
	seen     map[selectorKey]bool
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
		f := &former{lines: lx.argLines, warn: ld.warn, resolve: ld.resolve}
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
		if ld.duplicate(&r) {
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

// duplicate reports whether a rule covers the same traffic in a common
// direction as one in force or loaded before it (the kernel refuses
// those as existing entries), and records it: a map, so a long file
// loads in linear time.
func (ld *loader) duplicate(r *engine.IPsecRule) bool {
	if ld.seen == nil {
		ld.seen = map[selectorKey]bool{}
		for i := range ld.existing {
			ld.record(&ld.existing[i])
		}
	}
	for _, d := range []engine.IPsecDir{engine.IPsecInbound, engine.IPsecOutbound} {
		if r.Dir&d != 0 && ld.seen[keyOf(r, d)] {
			return true
		}
	}
	ld.record(r)
	return false
}

func (ld *loader) record(r *engine.IPsecRule) {
	for _, d := range []engine.IPsecDir{engine.IPsecInbound, engine.IPsecOutbound} {
		if r.Dir&d != 0 {
			ld.seen[keyOf(r, d)] = true
		}
	}
}

// selectorKey is what makes two rules the same entry to the kernel.
type selectorKey struct {
	dir                   engine.IPsecDir
	tunnel                string
	tunnelMode            bool
	proto                 int
	local, remote         netip.Prefix
	localPort, remotePort int
	icmp                  engine.ICMPMatch
	hasICMP               bool
}

func keyOf(r *engine.IPsecRule, d engine.IPsecDir) selectorKey {
	k := selectorKey{dir: d, tunnel: r.Tunnel, tunnelMode: r.TunnelMode, proto: r.Protocol,
		local: r.Local, remote: r.Remote, localPort: r.LocalPort, remotePort: r.RemotePort}
	if r.ICMP != nil {
		k.icmp, k.hasICMP = *r.ICMP, true
	}
	return k
}

// labResolver resolves the lab's host names to their addresses.
func labResolver(hosts map[string][]netip.Addr) resolver {
	return func(name string) []netip.Addr {
		return hosts[strings.ToLower(name)]
	}
}
