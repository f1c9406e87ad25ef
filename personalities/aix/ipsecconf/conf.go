package ipsecconf

import (
	"io"
	"strconv"
	"strings"
)

// sectionKind tells the three kinds of ipsec.conf section apart.
type sectionKind int

const (
	kindSetup sectionKind = iota // config setup
	kindConn                     // conn NAME, including conn %default
	kindCA                       // ca NAME (strongSwan)
)

// section is one section of ipsec.conf with its settings in file order.
type section struct {
	kind     sectionKind
	name     string
	at       pos
	settings []setting
	last     map[string]int // key to the index of its latest line in settings
}

// setting is one key=value line, with the section it was written in: a
// conn's effective settings come from several sections, and warnings name
// the one the line is in.
type setting struct {
	key   string // the canonical name: aliases such as keylife= become lifetime=
	name  string // the name as written, for messages
	value string
	at    pos
	sect  *section
}

// String renders the setting for messages (see show).
func (s setting) String() string { return show(s.name, s.value) }

// canonicalKey maps the settings that have several names to one, so that
// a conn's own keylife= overrides a lifetime= it inherits.
func canonicalKey(k string) string {
	switch k {
	case "keylife", "salifetime":
		return "lifetime"
	case "margintime":
		return "rekeymargin"
	case "aggrmode":
		return "aggressive"
	case "phase2alg":
		return "esp"
	}
	return k
}

// confParser reads ipsec.conf and the files it includes into sections.
type confParser struct {
	in       *includer
	w        *warnings
	sections []*section
}

// file reads one file. A line starting in the first column opens a section
// (or is an include or version line); indented lines hold the settings of
// the section above them.
func (p *confParser) file(r io.Reader, src source, depth int) error {
	p.w.file(src.shown)
	var cur *section
	return eachLine(r, src.shown, func(line string, at pos) error {
		text, err := stripComment(line, `"`, at)
		if err != nil || strings.TrimSpace(text) == "" {
			return err
		}
		if isIndented(text) {
			return p.settingLine(cur, text, at)
		}
		cur = nil
		return p.topLine(text, src, at, depth, &cur)
	})
}

func (p *confParser) settingLine(cur *section, text string, at pos) error {
	if cur == nil {
		return errAt(at, "indented setting outside a section (settings belong under a config setup, conn or ca line)")
	}
	s, err := parseSetting(text, at)
	if err != nil {
		return err
	}
	s.sect = cur
	if i, ok := cur.last[s.key]; ok && s.key != "also" {
		old := cur.settings[i]
		again := "again"
		if old.name != s.name {
			again = "again as " + s.name + "="
		}
		p.w.add(old.at, sectionLabel(cur), old.name+"= is given "+again+" at line "+strconv.Itoa(at.line)+" of this section; this line is ignored")
	}
	cur.last[s.key] = len(cur.settings)
	cur.settings = append(cur.settings, s)
	return nil
}

// sectionLabel is the Conn field of a warning about a line in sect.
func sectionLabel(sect *section) string {
	if sect.kind == kindConn {
		return sect.name
	}
	return ""
}

// topLine handles a line that starts in the first column.
func (p *confParser) topLine(text string, src source, at pos, depth int, cur **section) error {
	f := strings.Fields(text)
	switch {
	case f[0] == "config" && len(f) == 2 && f[1] == "setup":
		*cur = p.open(kindSetup, "setup", at)
	case f[0] == "conn" && len(f) == 2:
		*cur = p.open(kindConn, f[1], at)
	case f[0] == "ca" && len(f) == 2:
		*cur = p.open(kindCA, f[1], at)
	case f[0] == "include" && len(f) == 2:
		return p.include(unquote(f[1]), src, at, depth)
	case f[0] == "version" && len(f) == 2:
		// FreeS/WAN's format marker ("version 2" or "2.0"); it changes nothing.
	case f[0] == "config" || f[0] == "conn" || f[0] == "ca" || f[0] == "include" || f[0] == "version":
		return errAt(at, f[0]+" takes exactly one word after it")
	default:
		return errAt(at, "unknown line "+strconv.Quote(printable(f[0]))+": expected config setup, conn, ca, include or an indented setting")
	}
	return nil
}

func (p *confParser) open(kind sectionKind, name string, at pos) *section {
	s := &section{kind: kind, name: name, at: at, last: map[string]int{}}
	p.sections = append(p.sections, s)
	return s
}

// include reads the files an include line names, when Options.Include
// allows it, and warns otherwise.
func (p *confParser) include(pattern string, src source, at pos, depth int) error {
	return includeFiles(p.in, p.w, pattern, src, at, depth, p.file)
}

// includeFiles follows one include line of either file format; read reads
// one included file.
func includeFiles(in *includer, w *warnings, pattern string, src source, at pos, depth int,
	read func(io.Reader, source, int) error) error {
	found, msg := in.resolve(pattern, src, depth)
	if msg != "" {
		w.add(at, "", "include "+printable(pattern)+": "+msg)
		return nil
	}
	for _, f := range found {
		if in.reading[f.inFS] {
			return errAt(at, "include "+printable(f.shown)+": include loop: the file is already being read")
		}
		rc, msg := in.open(f)
		if msg != "" {
			w.add(at, "", "include "+printable(f.shown)+": "+msg)
			continue
		}
		in.enter(f)
		err := read(rc, f, depth+1)
		delete(in.reading, f.inFS)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// parseSetting reads an indented key=value line. Blanks around '=' are
// allowed, as strongSwan allows them; a value in double quotes keeps its
// blanks and '#' characters.
func parseSetting(text string, at pos) (setting, error) {
	key, value, ok := strings.Cut(strings.TrimLeft(text, " \t"), "=")
	key = strings.TrimRight(key, " \t")
	if !ok || !validKey(key) {
		return setting{}, errAt(at, "expected key=value")
	}
	value = strings.TrimSpace(value)
	if strings.HasPrefix(value, `"`) {
		end := strings.IndexByte(value[1:], '"') + 1
		if end == 0 { // stripComment has already rejected this, but be safe
			return setting{}, errAt(at, "unterminated quoted string")
		}
		if strings.TrimSpace(value[end+1:]) != "" {
			return setting{}, errAt(at, "text after the closing quote")
		}
		value = value[1:end]
	}
	return setting{key: canonicalKey(key), name: key, value: value, at: at}, nil
}

func validKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// unquote removes one pair of surrounding double quotes.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
