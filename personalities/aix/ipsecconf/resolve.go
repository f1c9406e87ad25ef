package ipsecconf

import "strings"

// resolver computes the settings a conn ends up with. A conn's own lines
// win over the sections it pulls in with also= (earlier also= lines first,
// depth first), which win over the %default sections (later ones first).
// A key whose winning value is empty is unset: that is how a conn clears
// a value it would otherwise inherit.
type resolver struct {
	conns    map[string]*section // by name; the first definition of each
	defaults []*section          // conn %default sections, in file order
	w        *warnings
}

func newResolver(sections []*section, w *warnings) *resolver {
	r := &resolver{conns: map[string]*section{}, w: w}
	for _, s := range sections {
		switch {
		case s.kind != kindConn:
		case s.name == "%default":
			r.defaults = append(r.defaults, s)
		case r.conns[s.name] != nil:
			first := r.conns[s.name].at
			w.add(s.at, s.name, "conn "+s.name+" is defined again (first at "+first.file+":"+itoa(first.line)+"); this definition is ignored")
		default:
			r.conns[s.name] = s
		}
	}
	return r
}

// merge is one computation of effective settings.
type merge struct {
	r       *resolver
	set     map[string]setting
	done    map[*section]bool // merged already (a section reached twice adds nothing new)
	path    map[*section]bool // on the current also= chain, to catch loops
	missing *setting          // an also= line naming no conn
	loop    *setting          // the conn's own also= line whose chain leads back
	root    *section          // the conn being resolved
	top     *setting          // the root's also= line being followed
}

// effective returns a conn's settings, or the also= line naming a conn
// that does not exist (the conn cannot then be converted faithfully).
func (r *resolver) effective(c *section, withDefaults bool) (map[string]setting, *setting) {
	m := r.merged(c, withDefaults)
	return m.set, m.missing
}

// effectiveChecked is effective with the %default sections, also
// returning the first also= line that leads back into a loop: such a conn
// cannot be resolved as its author meant.
func (r *resolver) effectiveChecked(c *section) (map[string]setting, *setting, *setting) {
	m := r.merged(c, true)
	return m.set, m.missing, m.loop
}

func (r *resolver) merged(c *section, withDefaults bool) *merge {
	m := &merge{r: r, set: map[string]setting{}, done: map[*section]bool{}, path: map[*section]bool{}, root: c}
	m.add(c)
	for i := len(r.defaults) - 1; withDefaults && i >= 0; i-- {
		m.add(r.defaults[i])
	}
	for k, s := range m.set {
		if s.value == "" {
			delete(m.set, k)
		}
	}
	return m
}

// add merges one section: its own settings first, then its also= sections.
func (m *merge) add(s *section) {
	if m.done[s] {
		return
	}
	m.done[s], m.path[s] = true, true
	defer delete(m.path, s)
	for k, i := range s.last {
		if _, ok := m.set[k]; !ok && k != "also" {
			m.set[k] = s.settings[i]
		}
	}
	for i := range s.settings {
		if st := &s.settings[i]; st.key == "also" {
			if s == m.root {
				m.top = st
			}
			m.also(st)
		}
	}
}

func (m *merge) also(st *setting) {
	for _, name := range strings.Fields(st.value) {
		target := m.r.conns[name]
		switch {
		case target == nil:
			if m.missing == nil {
				m.missing = st
			}
		case m.path[target]:
			if m.loop == nil {
				m.loop = m.top
			}
		default:
			m.add(target)
		}
	}
}

// alsoTargets returns the names that also= lines refer to: such conns are
// templates, converted only as part of the conns that include them.
func alsoTargets(sections []*section) map[string]bool {
	t := map[string]bool{}
	for _, s := range sections {
		for _, st := range s.settings {
			if st.key == "also" && s.kind == kindConn {
				for _, name := range strings.Fields(st.value) {
					t[name] = true
				}
			}
		}
	}
	return t
}
