package ipsecconf

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// What error_message names, in ipsecconf's words.
const (
	fSrcAddr   = "Source Address"
	fDstAddr   = "Destination Address"
	fSrcPort   = "Source Port"
	fDstPort   = "Destination Port"
	fSrcMask   = "Source Mask"
	fDstMask   = "Destination Mask"
	fULP       = "Upper Layer Protocol"
	fAHAuth    = "Authentication Algorithm"
	fESPEncr   = "Encryption Algorithm"
	fESPAuth   = "ESP Authentication Algorithm"
	fSA        = "SA"
	fDir       = "Direction"
	fICMPType  = "ICMP type"
	fICMPCode  = "ICMP code"
	fNegotiate = "Negotiate"
	fTunnel    = "Tunnel"
)

// resolver turns a host name into addresses (the lab's hosts).
type resolver func(name string) []netip.Addr

// former converts one lexed entry into a rule as form_ipsec_conf does,
// warning as it goes; ok is false when the entry is refused.
type former struct {
	lines   [argBufLen]int // the lexer's token lines (see lexer.argLines)
	warn    func(string)
	resolve resolver

	rule                    engine.IPsecRule
	oldStyle, newStyle      bool
	saddr, daddr, dir       bool
	srcPrefix, dstPrefix    int // -1: none
	srcMask, dstMask        int // from smask/dmask; -1: none
	hasType, hasCode        bool
	hasTunnel, hasNegotiate bool
	swap                    bool
	srcAddrs, dstAddrs      []netip.Addr
}

// at is the line of the n-th token of the entry, as the messages give it.
func (f *former) at(n int) int {
	if n < 0 || n >= len(f.lines) || f.lines[n] == 0 {
		return 1
	}
	return f.lines[n]
}

func (f *former) bad(what string, n int) bool {
	f.warn(sprintf("Bad %s on line: %d", what, f.at(n)))
	return false
}

func (f *former) dup(what string, n int) bool {
	f.warn(sprintf("Duplicate %s on line: %d", what, f.at(n)))
	return false
}

func (f *former) requires(what string, n int) {
	f.warn(sprintf("Requires %s on line: %d", what, f.at(n)))
}

// form is form_ipsec_conf.
func (f *former) form(e *rawEntry) bool {
	f.srcPrefix, f.dstPrefix, f.srcMask, f.dstMask = -1, -1, -1, -1
	n, ok := f.pattern(e.pattern)
	if !ok {
		return false
	}
	if f.hasTunnel != f.hasNegotiate {
		if !f.hasNegotiate {
			f.requires(fNegotiate, n)
		} else {
			f.requires(fTunnel, n)
		}
		f.warn("tunnel and negotiate tokens must occur together")
		return false
	}
	noAlg := false
	for i, a := range e.actions {
		if i > 0 {
			if f.oldStyle {
				f.warn("or's only with new style")
				return false
			}
			f.newStyle = true
		}
		act, ok := f.action(a, &n, &noAlg)
		if !ok {
			return false
		}
		f.rule.Actions = append(f.rule.Actions, act)
	}
	return true
}

func (f *former) pattern(p []string) (int, bool) {
	n := 0
	for i := 0; i < len(p); i, n = i+1, n+1 {
		tok := p[i]
		kind, known := patternTokens[tok]
		if !known {
			f.warn(sprintf("Invalid pattern on line %d: %s", f.at(n), tok))
			return n, false
		}
		next := func() (string, bool) {
			i, n = i+1, n+1
			if i >= len(p) {
				return "", false
			}
			return p[i], true
		}
		if !f.patternToken(kind, next, &n) {
			return n, false
		}
	}
	return n, true
}

// Pattern tokens and their aliases.
const (
	tSaddr = iota + 1
	tDaddr
	tSport
	tDport
	tSmask
	tDmask
	tULP
	tLocal
	tLport
	tRemote
	tRport
	tDir
	tType
	tCode
	tNegotiate
	tTunnel
)

var patternTokens = map[string]int{
	"saddr": tSaddr, "src": tSaddr, "srcaddr": tSaddr,
	"daddr": tDaddr, "dst": tDaddr, "dstaddr": tDaddr,
	"sport": tSport, "dport": tDport, "smask": tSmask, "dmask": tDmask,
	"ulp": tULP, "proto": tULP,
	"local": tLocal, "laddr": tLocal, "lport": tLport,
	"remote": tRemote, "raddr": tRemote, "rport": tRport,
	"dir": tDir, "type": tType, "code": tCode, "negotiate": tNegotiate, "tunnel": tTunnel,
}

func (f *former) style(old bool, what string, n int) bool {
	if old && f.newStyle || !old && f.oldStyle {
		return f.bad(what, n)
	}
	if old {
		f.oldStyle = true
	} else {
		f.newStyle = true
	}
	return true
}

func (f *former) patternToken(kind int, next func() (string, bool), n *int) bool {
	switch kind {
	case tDir:
		v, ok := next()
		switch {
		case !ok:
			return f.bad(fDir, *n)
		case strings.HasPrefix(v, "in"):
			f.rule.Dir = engine.IPsecInbound
		case strings.HasPrefix(v, "out"):
			f.rule.Dir = engine.IPsecOutbound
		case strings.HasPrefix(v, "both"):
			if f.oldStyle {
				return f.bad(fDir, *n)
			}
			f.newStyle = true
			f.rule.Dir = engine.IPsecInbound | engine.IPsecOutbound
		default:
			return f.bad(fDir, *n)
		}
		f.dir = true
	case tLocal, tSaddr:
		return f.address(kind == tSaddr, true, next, n)
	case tRemote, tDaddr:
		return f.address(kind == tDaddr, false, next, n)
	case tSport, tLport:
		return f.port(kind == tSport, true, next, n)
	case tDport, tRport:
		return f.port(kind == tDport, false, next, n)
	case tSmask, tDmask:
		return f.mask(kind == tSmask, next, n)
	case tULP:
		return f.ulp(next, n)
	case tType, tCode:
		return f.icmp(kind == tType, next, n)
	case tTunnel:
		if f.hasTunnel {
			return f.bad(fTunnel, *n)
		}
		v, ok := next()
		if !ok || len(v) >= 32 {
			return f.bad(fTunnel, *n)
		}
		f.rule.Tunnel, f.hasTunnel = v, true
	case tNegotiate:
		if f.hasNegotiate {
			return f.bad(fNegotiate, *n)
		}
		v, ok := next()
		switch {
		case !ok:
			return f.bad(fNegotiate, *n)
		case strings.HasPrefix(v, "tunnel"):
			f.rule.TunnelMode = true
		case !strings.HasPrefix(v, "transport"):
			return f.bad(fNegotiate, *n)
		}
		f.hasNegotiate = true
	}
	return true
}

func (f *former) address(old, src bool, next func() (string, bool), n *int) bool {
	what := fDstAddr
	seen := &f.daddr
	if src {
		what, seen = fSrcAddr, &f.saddr
	}
	if !f.style(old, what, *n) {
		return false
	}
	if *seen {
		return f.dup(what, *n)
	}
	*seen = true
	v, ok := next()
	if !ok {
		return f.bad(what, *n)
	}
	addrs, prefix, ok := f.parseAddress(v)
	if !ok {
		return f.bad(what, *n)
	}
	if src {
		f.srcAddrs, f.srcPrefix = addrs, prefix
	} else {
		f.dstAddrs, f.dstPrefix = addrs, prefix
	}
	return true
}

// parseAddress is parse_address: a host (name or literal) with an
// optional /prefix.
func (f *former) parseAddress(s string) ([]netip.Addr, int, bool) {
	prefix := -1
	if host, p, cut := strings.Cut(s, "/"); cut {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || p[0] == '+' {
			f.warn(sprintf("Unparseable prefix: '%s'.", p))
			return nil, 0, false
		}
		s, prefix = host, n
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return []netip.Addr{a.Unmap()}, prefix, true
	}
	if addrs := f.resolve(s); len(addrs) > 0 {
		return addrs, prefix, true
	}
	f.warn(sprintf("Could not resolve address %s.", s))
	return nil, 0, false
}

func (f *former) port(old, src bool, next func() (string, bool), n *int) bool {
	what, dst := fDstPort, &f.rule.RemotePort
	if src {
		what, dst = fSrcPort, &f.rule.LocalPort
	}
	if !f.style(old, what, *n) {
		return false
	}
	if *dst != 0 {
		return f.dup(what, *n)
	}
	v, ok := next()
	if !ok {
		return f.bad(what, *n)
	}
	p, ok := services[v]
	if !ok {
		x, err := parseInt(v)
		if err != nil || x < 0 || x >= 65536 {
			return f.bad(what, *n)
		}
		p = x
	}
	*dst = p
	return true
}

func (f *former) mask(src bool, next func() (string, bool), n *int) bool {
	what, m := fDstMask, &f.dstMask
	if src {
		what, m = fSrcMask, &f.srcMask
	}
	if !f.style(true, what, *n) {
		return false
	}
	if *m > 0 {
		return f.dup(what, *n)
	}
	v, ok := next()
	if !ok {
		return f.bad(what, *n)
	}
	bits, ok := parseMask(v)
	if !ok {
		return f.bad(what, *n)
	}
	*m = bits
	return true
}

// parseMask reads "0xffffff00" or a dotted mask into its prefix length
// (the leading ones).
func parseMask(s string) (int, bool) {
	var v uint64
	if strings.HasPrefix(strings.ToLower(s), "0x") && !strings.Contains(s, ".") {
		x, err := strconv.ParseUint(s[2:], 16, 32)
		if err != nil {
			return 0, false
		}
		v = x
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return 0, false
		}
		b := a.As4()
		v = uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	}
	if v == 0 {
		return 0, false
	}
	ones := 0
	for bit := uint64(1) << 31; bit != 0 && v&bit != 0; bit >>= 1 {
		ones++
	}
	return ones, true
}

func (f *former) ulp(next func() (string, bool), n *int) bool {
	if f.rule.Protocol != 0 {
		return f.dup(fULP, *n)
	}
	v, ok := next()
	if !ok {
		return f.bad(fULP, *n)
	}
	p, ok := protocols[v]
	if !ok {
		x, err := parseInt(v)
		if err != nil {
			return f.bad(fULP, *n)
		}
		p = x & 0xff
	}
	f.rule.Protocol = p
	return true
}

func (f *former) icmp(isType bool, next func() (string, bool), n *int) bool {
	if isType && f.hasType {
		return f.dup(fICMPType, *n)
	}
	if !isType && !f.hasType {
		return f.bad(fICMPCode, *n)
	}
	if !isType && f.hasCode {
		return f.dup(fICMPCode, *n)
	}
	v, _ := next()
	table, what := icmpTypes, fICMPType
	if !isType {
		table, what = icmpCodes, fICMPCode
	}
	lo, hi, ok := parseTypeCode(v, table)
	if !ok {
		return f.bad(what, *n)
	}
	if f.rule.ICMP == nil {
		f.rule.ICMP = &engine.ICMPMatch{Code: 255, CodeEnd: 255}
	}
	if isType {
		f.rule.ICMP.Type, f.rule.ICMP.TypeEnd, f.hasType = lo, hi, true
	} else {
		f.rule.ICMP.Code, f.rule.ICMP.CodeEnd, f.hasCode = lo, hi, true
	}
	return true
}

// parseTypeCode reads "N", "N-M" or a keyword of the table.
func parseTypeCode(s string, table map[string]int) (uint8, uint8, bool) {
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		a, b, dash := strings.Cut(strings.TrimRight(s, " \t"), "-")
		lo, err := strconv.ParseInt(a, 0, 32)
		if err != nil || lo < 0 || lo > 255 {
			return 0, 0, false
		}
		hi := lo
		if dash {
			if hi, err = strconv.ParseInt(b, 0, 32); err != nil || hi < 0 || hi > 255 {
				return 0, 0, false
			}
		}
		if hi < lo {
			hi = lo
		}
		return uint8(lo), uint8(hi), true
	}
	v, ok := table[s]
	return uint8(v), uint8(v), ok
}

// parseInt is parse_int: strtol with base 0 and nothing but spaces after.
func parseInt(s string) (int, error) {
	t := strings.TrimRight(s, " \t\n")
	x, err := strconv.ParseInt(t, 0, 32)
	return int(x), err
}

func itoa(n int) string { return strconv.Itoa(n) }
