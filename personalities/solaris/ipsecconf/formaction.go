package ipsecconf

import (
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Action tokens.
const (
	aApply = iota + 1
	aPermit
	aIPsec
	aBypass
	aDrop
)

var actionTokens = map[string]int{"apply": aApply, "permit": aPermit, "ipsec": aIPsec, "bypass": aBypass, "pass": aBypass, "drop": aDrop}

// actionState is what one alternative has seen of its properties.
type actionState struct {
	aalg, ealg, eaalg, authCovered, combined bool
	tok                                      int
}

// action is the action half of form_ipsec_conf for one alternative;
// noAlg stays set once any alternative is bypass or drop, as there.
func (f *former) action(a rawAction, n *int, noAlg *bool) (engine.IPsecAction, bool) {
	st := actionState{tok: actionTokens[a.name]}
	act := engine.IPsecAction{Kind: engine.IPsecApply}
	switch st.tok {
	case aApply:
		f.rule.Dir = engine.IPsecOutbound
	case aPermit:
		f.rule.Dir = engine.IPsecInbound
	case aIPsec:
		if f.oldStyle {
			if !f.dir {
				f.requires(fDir, *n)
				return act, false
			}
			if f.rule.Dir == engine.IPsecInbound {
				f.swap = true
			}
		}
		if !f.dir {
			f.rule.Dir = engine.IPsecInbound | engine.IPsecOutbound
		}
	case aBypass, aDrop:
		*noAlg = true
		act.Kind = engine.IPsecPass
		if st.tok == aDrop {
			act.Kind = engine.IPsecDrop
		}
	}
	*n++
	for i := 0; i < len(a.props); i, *n = i+1, *n+1 {
		next := func() (string, bool) {
			i, *n = i+1, *n+1
			if i >= len(a.props) {
				return "", false
			}
			return a.props[i], true
		}
		if !f.property(a.props[i], next, n, &act, &st) {
			return act, false
		}
	}
	return f.finishAction(act, &st, *n, *noAlg)
}

func (f *former) property(name string, next func() (string, bool), n *int, act *engine.IPsecAction, st *actionState) bool {
	switch name {
	case "auth_algs":
		return f.algProperty(fAHAuth, authAlgs, &st.aalg, next, n, func(r engine.IPsecAlgReq) {
			act.AHAuth, act.AH = r, true
			st.authCovered = true
		})
	case "encr_algs":
		return f.algProperty(fESPEncr, encrAlgs, &st.ealg, next, n, func(r engine.IPsecAlgReq) {
			act.ESPEncr, act.ESP = r, true
			a, _ := algByID(encrAlgs, r.ID)
			st.combined = a.combined
		})
	case "encr_auth_algs":
		return f.algProperty(fESPAuth, authAlgs, &st.eaalg, next, n, func(r engine.IPsecAlgReq) {
			act.ESPAuth, act.ESP = r, true
			st.authCovered = true
		})
	case "sa":
		v, ok := next()
		switch {
		case !ok:
			return f.bad(fSA, *n)
		case v == "unique":
			act.Unique = true
		case v != "shared":
			return f.bad(fSA, *n)
		}
		return true
	case "dir":
		return f.dirProperty(next, n, st)
	}
	f.warn(sprintf("Invalid properties on line %d: %s", f.at(*n), name))
	return false
}

func (f *former) algProperty(what string, table []alg, seen *bool, next func() (string, bool), n *int, set func(engine.IPsecAlgReq)) bool {
	if *seen {
		return f.dup(what, *n)
	}
	v, ok := next()
	if !ok {
		return f.bad(what, *n)
	}
	req, none, ok := parseAlg(v, table)
	if none {
		return true
	}
	if !ok {
		return f.bad(what, *n)
	}
	set(req)
	*seen = true
	return true
}

func (f *former) dirProperty(next func() (string, bool), n *int, st *actionState) bool {
	if f.dir {
		return f.dup(fDir, *n)
	}
	if f.newStyle {
		return f.bad(fDir, *n)
	}
	f.oldStyle, f.dir = true, true
	v, ok := next()
	switch {
	case !ok:
		return f.bad(fDir, *n)
	case v == "out":
		f.rule.Dir = engine.IPsecOutbound
	case v == "in":
		f.rule.Dir = engine.IPsecInbound
	default:
		return f.bad(fDir, *n)
	}
	if f.rule.Dir&engine.IPsecInbound != 0 && st.tok == aApply {
		f.warn("Direction in conflict with action")
		return false
	}
	if f.rule.Dir&engine.IPsecOutbound != 0 && st.tok == aPermit {
		f.warn("Directionin conflict with action")
		return false
	}
	return true
}

func (f *former) finishAction(act engine.IPsecAction, st *actionState, n int, noAlg bool) (engine.IPsecAction, bool) {
	if st.combined {
		if st.eaalg {
			f.warn(sprintf("ERROR: Rule on line %d: Combined mode and esp authentication not supported together.", f.at(n)))
			return act, false
		}
		st.authCovered = true
	}
	if !st.authCovered && !noAlg {
		f.warn(sprintf("DANGER:  Rule on line %d has encryption with no authentication.", f.at(n)))
	}
	if !st.ealg && st.eaalg {
		act.ESPEncr = engine.IPsecAlgReq{ID: 11} // null encryption
		st.ealg = true
	}
	if !f.newStyle {
		switch {
		case len(f.rule.Actions) == 0 && st.tok == aPermit,
			len(f.rule.Actions) == 0 && (st.tok == aBypass || st.tok == aDrop) && f.rule.Dir == engine.IPsecInbound:
			f.swap = true
		}
	}
	isAlg := st.aalg || st.ealg || st.eaalg
	if act.Kind != engine.IPsecApply {
		if !f.dir {
			f.warn("dir string not found for bypass policy")
		}
		if isAlg {
			f.warn("Algorithms found for bypass policy")
			return act, false
		}
		return act, true
	}
	if !isAlg {
		f.warn("No IPsec algorithms given")
		return act, false
	}
	return act, true
}

// parseAlg is parse_ipsec_alg: "name", "name(n)", "name(n..m)",
// "name(..m)" or "name(n..)"; none reports "none", which is ignored.
func parseAlg(s string, table []alg) (req engine.IPsecAlgReq, none, ok bool) {
	tstr := s
	if len(tstr) > 39 {
		tstr = tstr[:39]
	}
	remainder := len(s)
	name, rest := strtok(tstr, "()")
	remainder -= len(name)
	lens, _ := strtok(rest, "()")
	l1, l2 := 0, spdMaxBits
	if lens != "" {
		remainder -= len(lens)
		if remainder > 2 {
			return req, false, false
		}
		dotStart := lens[0] == '.'
		s1, after := strtok(lens, ".")
		s2, _ := strtok(after, ".")
		len1 := 0
		if s1 != "" {
			l1, len1 = parseIntC(s1), len(s1)
		}
		if s2 != "" {
			l2 = parseIntC(s2)
		}
		switch {
		case len(lens) == len1:
			l2 = l1
		case dotStart:
			l2, l1 = l1, 0
		case len(lens)-2 == len1:
			l2 = spdMaxBits
		}
	}
	if strings.EqualFold(name, "none") {
		return req, true, false
	}
	a, known := algByName(table, name)
	if !known {
		id, numeric := numericAlg(name)
		if !numeric {
			return req, false, false
		}
		if a, known = algByID(table, id); !known {
			return req, false, false // the kernel does not know it
		}
	}
	req = engine.IPsecAlgReq{ID: a.id, MinBits: l1, MaxBits: l2}
	return req, false, rangeOK(a, l1, l2)
}

// rangeOK is alg_rangecheck: the key lengths asked for meet the
// algorithm's (as unsigned numbers, as there).
func rangeOK(a alg, l1, l2 int) bool {
	if a.id == 0 {
		return true
	}
	lo, hi := uint32(l1), uint32(l2)
	if lo == 0 && hi == 0 {
		return true
	}
	lo, hi = max(lo, uint32(a.minBits)), min(hi, uint32(a.maxBits))
	return lo <= hi
}

func numericAlg(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := parseInt(s)
	return n, err == nil && n > 0 && n <= 255
}

// parseIntC is parse_int's value: -1 when not a number.
func parseIntC(s string) int {
	n, err := parseInt(s)
	if err != nil {
		return -1
	}
	return n
}

// strtok returns the first token of s delimited by any of delims, and
// what follows its delimiter.
func strtok(s, delims string) (string, string) {
	s = strings.TrimLeft(s, delims)
	if s == "" {
		return "", ""
	}
	i := strings.IndexAny(s, delims)
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
}
