package ipsecconf

import (
	"io"
	"io/fs"
	"net/netip"
	"unicode/utf8"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// Options tell Convert about the host the configuration is moved to.
type Options struct {
	// LocalAddrs are the emulated host's addresses. A conn's local side is
	// the one whose left= or right= is among them; they also stand in for
	// %defaultroute and %any on the local side.
	LocalAddrs []netip.Addr
	// Include, when not nil, is the file system include lines are read
	// from. An absolute name is looked up from its root (so os.DirFS("/")
	// or the emulated root fits); a relative one from the directory of
	// the including file, whose name is confName or secretsName for the
	// top files. Nil leaves include lines unfollowed, with a warning.
	Include fs.FS
}

// Convert reads an ipsec.conf and, when secrets is not nil, its
// ipsec.secrets, and returns the AIX tunnel definitions they describe,
// ready for vpnxml.Write or an ikedb put. The document passes
// vpnxml.Validate(doc, nil): it refers to nothing outside itself.
//
// Everything that is not carried over as written comes back as a
// Warning: settings AIX has no place for, conns that cannot be converted,
// values assumed where the Linux tools' defaults could not be known. The
// error is for input that cannot be read at all: a syntax error or a read
// failure, reported as an *Error with file and line. Neither ever holds a
// secret.
func Convert(conf io.Reader, confName string, secrets io.Reader, secretsName string, opts Options) (*vpnxml.Document, []Warning, error) {
	if conf == nil {
		return nil, nil, &Error{File: confName, Msg: "no ipsec.conf to read"}
	}
	c := &converter{opts: opts, secretsName: secretsName, doc: &vpnxml.Document{Version: "2.0"}}
	in := &includer{fsys: opts.Include}
	cp := &confParser{in: in, w: &c.w}
	in.enter(topSource(confName))
	if err := cp.file(conf, topSource(confName), 0); err != nil {
		return nil, nil, err
	}
	if secrets != nil {
		sp := &secretsParser{in: in, w: &c.w}
		if err := sp.file(secrets, topSource(secretsName), 0); err != nil {
			return nil, nil, err
		}
		c.secrets, c.haveSecrets = sp.list, true
	}
	c.run(cp.sections)
	if errs := vpnxml.Validate(c.doc, nil); len(errs) > 0 {
		// Each conn was validated on its own; what is left is a clash
		// between conns, which is a bug here rather than in the input.
		return nil, nil, &Error{File: confName, Msg: "internal error: converted document does not validate: " + errs[0].Error()}
	}
	return c.doc, c.w.sorted(), nil
}

// converter holds the state of one Convert call.
type converter struct {
	opts        Options
	w           warnings
	dialect     dialect
	secretsName string
	secrets     []*secret
	haveSecrets bool
	names       namer
	doc         *vpnxml.Document
	keys        []keyUse // preshared keys put in doc, by peer identity
}

// keyUse records which entry gave the key of a peer identity.
type keyUse struct {
	id   vpnxml.ID
	from *secret
	conn string
}

func (c *converter) run(sections []*section) {
	c.dialect = detectDialect(sections)
	r := newResolver(sections, &c.w)
	templates := alsoTargets(sections)
	for _, s := range sections {
		switch {
		case s.kind == kindSetup:
			c.setup(s)
		case s.kind == kindCA:
			c.w.add(s.at, "", "ca "+printable(s.name)+": CA sections are not converted; install the CA certificate with the AIX certificate tools")
		case s.name == "%default" || r.conns[s.name] != s:
			// %default is applied through the conns; a second definition
			// of a name was reported by newResolver.
		default:
			c.conn(r, s, templates[s.name])
		}
	}
	c.unusedSecrets()
}

// setup reports the config setup settings: they configure the Linux
// daemons, and none has a place in the AIX tunnel database.
func (c *converter) setup(s *section) {
	for _, st := range s.settings {
		c.w.add(st.at, "", "config setup: "+st.String()+" is not supported; ignored")
	}
}

// conn converts one conn section, unless it is a template: a conn that
// others pull in with also= and that has no auto= of its own is only a
// set of shared settings.
func (c *converter) conn(r *resolver, s *section, template bool) {
	if template {
		own, _ := r.effective(s, false)
		if a, ok := own["auto"]; !ok || a.value == "ignore" {
			c.w.add(s.at, s.name, "used through also= only (no auto= of its own); not converted by itself")
			return
		}
	}
	if !utf8.ValidString(s.name) {
		c.w.add(s.at, s.name, "the name is not valid UTF-8; conn skipped")
		return
	}
	set, missing, loop := r.effectiveChecked(s)
	if missing != nil {
		c.w.add(missing.at, s.name, missing.String()+": no conn of that name; conn skipped")
		return
	}
	if loop != nil {
		c.w.add(loop.at, s.name, loop.String()+" leads back to a section that includes this one; conn skipped")
		return
	}
	for _, st := range set {
		if !knownKeyword(st.name) {
			c.w.add(st.at, s.name, st.String()+": unknown keyword; conn skipped")
			return
		}
	}
	c.convertConn(&connView{name: s.name, sect: s, set: set, used: map[string]bool{}})
}

// connView is a conn with its effective settings, and which of them the
// conversion has used, so that the rest can be reported.
type connView struct {
	name string
	sect *section
	set  map[string]setting
	used map[string]bool
}

func (v *connView) get(key string) (setting, bool) {
	s, ok := v.set[key]
	if ok {
		v.used[key] = true
	}
	return s, ok
}

// connWarn reports what happened to the conn as a whole.
func (c *converter) connWarn(v *connView, at pos, msg string) { c.w.add(at, v.name, msg) }

// settingWarn reports a setting's value, against the section the line is
// in: a line of %default is one occurrence however many conns use it.
func (c *converter) settingWarn(s setting, msg string) { c.w.add(s.at, sectionLabel(s.sect), msg) }

// skip reports a conn that is not converted, at the setting responsible.
func (c *converter) skip(v *connView, s setting, msg string) bool {
	at := s.at
	if at.file == "" {
		at = v.sect.at
	}
	c.w.add(at, v.name, msg+"; conn skipped")
	return false
}

// convertConn runs the steps of a conn's conversion; a step that cannot
// go on reports why and stops it.
func (c *converter) convertConn(v *connView) {
	p := &plan{v: v}
	steps := []func(*plan) bool{
		c.ikeVersion, c.connType, c.sides, c.authMethod, c.identities,
		c.phase1, c.phase2, c.pfs, c.selectors, c.flags,
	}
	for _, step := range steps {
		if !step(p) {
			return
		}
	}
	c.otherSettings(v)
	c.emit(p)
}

// unusedSecrets reports PSK entries no converted conn used: their keys are
// not in the document.
func (c *converter) unusedSecrets() {
	for _, s := range c.secrets {
		if !s.used {
			c.w.add(s.at, "", "this PSK entry fits no converted conn; not converted")
		}
	}
}
