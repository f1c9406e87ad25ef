package vpnxml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ikemu/ikemu/pkg/boundedio"
)

// LoadEntities reads an ikedb -e entity file: <!ENTITY name "text">
// declarations, one or more per line, with comments allowed between them.
// An entity declared SYSTEM "file" (or PUBLIC "id" "file") takes the content
// of that file, resolved relative to the entity file's directory; this is
// how one XML file includes another. The result goes into
// DecodeOptions.Entities.
func LoadEntities(path string) (map[string]string, error) {
	opts, err := LoadEntityOptions(path)
	return opts.Entities, err
}

// LoadEntityOptions is LoadEntities, with DecodeOptions.External naming
// the entities whose text came from another file.
func LoadEntityOptions(path string) (DecodeOptions, error) {
	data, err := boundedio.ReadFile(path, path, boundedio.FileLimit)
	if err != nil {
		return DecodeOptions{}, err
	}
	dir := filepath.Dir(path)
	ents, external, err := parseEntities(bytes.NewReader(data), func(systemID string) ([]byte, error) {
		p := strings.TrimPrefix(systemID, "file://")
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return boundedio.ReadFile(p, systemID, boundedio.FileLimit)
	})
	return DecodeOptions{Entities: ents, External: external}, err
}

// ParseEntities parses entity declarations. resolve reads the target of a
// SYSTEM or PUBLIC entity; with a nil resolve such entities are an error.
// As in XML, the first declaration of a name wins. Errors are *Error.
func ParseEntities(r io.Reader, resolve func(systemID string) ([]byte, error)) (map[string]string, error) {
	ents, _, err := parseEntities(r, resolve)
	return ents, err
}

func parseEntities(r io.Reader, resolve func(systemID string) ([]byte, error)) (map[string]string, map[string]bool, error) {
	data, err := boundedio.ReadAll(r, "entity file", boundedio.FileLimit)
	if err != nil {
		return nil, nil, err
	}
	s := &declScanner{s: string(data), line: 1, resolve: resolve, out: map[string]string{}, fromFiles: map[string]bool{}}
	if !utf8.Valid(data) {
		return nil, nil, &Error{Msg: "entity file: invalid UTF-8"}
	}
	if err := s.run(); err != nil {
		return nil, nil, err
	}
	return s.out, s.fromFiles, nil
}

// declScanner reads a sequence of markup declarations.
type declScanner struct {
	s         string
	i, line   int
	resolve   func(string) ([]byte, error)
	out       map[string]string
	fromFiles map[string]bool // names whose text came from another file
}

func (d *declScanner) fail(format string, args ...any) *Error {
	return &Error{Line: d.line, Msg: fmt.Sprintf(format, args...)}
}

func (d *declScanner) run() *Error {
	for d.skipSpace(); d.i < len(d.s); d.skipSpace() {
		rest := d.s[d.i:]
		var err *Error
		switch {
		case strings.HasPrefix(rest, "<!--"):
			err = d.skipPast("-->", "comment")
		case strings.HasPrefix(rest, "<?"):
			err = d.skipPast("?>", "processing instruction")
		case strings.HasPrefix(rest, "<!ENTITY"):
			d.i += len("<!ENTITY")
			err = d.entity()
		default:
			err = d.fail("expected an <!ENTITY name \"text\"> declaration")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// skipSpace skips white space and reports whether there was any.
func (d *declScanner) skipSpace() bool {
	start := d.i
	for d.i < len(d.s) && isTagSpace(d.s[d.i]) {
		if d.s[d.i] == '\n' {
			d.line++
		}
		d.i++
	}
	return d.i > start
}

func (d *declScanner) skipPast(end, what string) *Error {
	j := strings.Index(d.s[d.i:], end)
	if j < 0 {
		return d.fail("unterminated %s", what)
	}
	d.line += strings.Count(d.s[d.i:d.i+j], "\n")
	d.i += j + len(end)
	return nil
}

func (d *declScanner) entity() *Error {
	if !d.skipSpace() {
		return d.fail("expected white space after <!ENTITY")
	}
	if strings.HasPrefix(d.s[d.i:], "%") {
		return d.fail("parameter entities are not supported")
	}
	name := d.name()
	if name == "" {
		return d.fail("expected an entity name after <!ENTITY")
	}
	d.skipSpace()
	value, err := d.definition(name)
	if err != nil {
		return err
	}
	d.skipSpace()
	if !strings.HasPrefix(d.s[d.i:], ">") {
		return d.fail("entity &%s;: expected '>' to end the declaration", name)
	}
	d.i++
	if _, dup := d.out[name]; !dup {
		d.out[name] = value
	}
	return nil
}

func (d *declScanner) name() string {
	start := d.i
	for d.i < len(d.s) {
		r, size := utf8.DecodeRuneInString(d.s[d.i:])
		if !isNameRune(r, d.i == start) {
			break
		}
		d.i += size
	}
	return d.s[start:d.i]
}

// isNameRune approximates the XML Name production: letters, '_' and ':'
// start a name; digits, '.', '-' and combining marks may follow.
func isNameRune(r rune, first bool) bool {
	if unicode.IsLetter(r) || r == '_' || r == ':' {
		return true
	}
	return !first && (unicode.IsDigit(r) || r == '.' || r == '-' || unicode.Is(unicode.Mn, r))
}

// definition reads a quoted value, or an external identifier and the
// content it names.
func (d *declScanner) definition(name string) (string, *Error) {
	rest := d.s[d.i:]
	switch {
	case strings.HasPrefix(rest, "\"") || strings.HasPrefix(rest, "'"):
		return d.literal(name)
	case strings.HasPrefix(rest, "SYSTEM"):
		d.i += len("SYSTEM")
	case strings.HasPrefix(rest, "PUBLIC"):
		d.i += len("PUBLIC")
		d.skipSpace()
		if _, err := d.literal(name); err != nil {
			return "", err
		}
	default:
		return "", d.fail("entity &%s;: expected a quoted value, SYSTEM or PUBLIC", name)
	}
	d.skipSpace()
	line := d.line
	id, err := d.literal(name)
	if err != nil {
		return "", err
	}
	d.skipSpace()
	if strings.HasPrefix(d.s[d.i:], "NDATA") {
		return "", d.fail("entity &%s;: unparsed (NDATA) entities are not supported", name)
	}
	return d.external(name, id, line)
}

func (d *declScanner) literal(name string) (string, *Error) {
	if d.i >= len(d.s) || d.s[d.i] != '"' && d.s[d.i] != '\'' {
		return "", d.fail("entity &%s;: expected a quoted string", name)
	}
	q := d.s[d.i]
	j := strings.IndexByte(d.s[d.i+1:], q)
	if j < 0 {
		return "", d.fail("entity &%s;: unterminated quoted string", name)
	}
	v := d.s[d.i+1 : d.i+1+j]
	d.line += strings.Count(v, "\n")
	d.i += j + 2
	return v, nil
}

func (d *declScanner) external(name, id string, line int) (string, *Error) {
	if d.resolve == nil {
		return "", &Error{Line: line, Msg: fmt.Sprintf("entity &%s;: external entities are not available here", name)}
	}
	data, err := d.resolve(id)
	if err != nil {
		return "", &Error{Line: line, Msg: fmt.Sprintf("entity &%s;: %v", name, err)}
	}
	text, msg := externalText(data)
	if msg != "" {
		return "", &Error{Line: line, Msg: fmt.Sprintf("entity &%s;: %s: %s", name, id, msg)}
	}
	if _, declared := d.out[name]; !declared {
		d.fromFiles[name] = true // the first declaration wins
	}
	return text, nil
}

// externalText drops the byte order mark and text declaration of an
// external entity, which are not part of its replacement text, and decodes
// it to UTF-8.
func externalText(data []byte) (string, string) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	enc := "UTF-8"
	if bytes.HasPrefix(data, []byte("<?xml")) {
		end := bytes.Index(data, []byte("?>"))
		if end < 0 {
			return "", "unterminated text declaration"
		}
		enc = declaredEncoding(string(data[:end]))
		data = data[end+2:]
	}
	switch strings.ToUpper(enc) {
	case "UTF-8", "US-ASCII", "ASCII":
		if !utf8.Valid(data) {
			return "", "invalid UTF-8"
		}
		return string(data), ""
	case "ISO-8859-1", "LATIN1":
		return string(appendLatin1(nil, data)), ""
	}
	return "", fmt.Sprintf("encoding %q is %v", enc, errCharset)
}

func declaredEncoding(decl string) string {
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return "UTF-8"
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n=")
	if rest == "" {
		return ""
	}
	q := rest[0]
	end := strings.IndexByte(rest[1:], q)
	if end < 0 {
		return ""
	}
	return rest[1 : 1+end]
}

// Entity expansion.
//
// encoding/xml replaces a reference to an entity in Decoder.Entity with its
// text and never parses that text as markup. So short plain-text entities go
// to the decoder as they are, and every other entity goes as a sentinel
// (U+E000 name U+E001) that the parser spots in character data and
// attribute values and expands itself: markup by parsing the replacement
// text with a nested decoder, long text by substitution against a budget.
// References between entities are substituted up front, with cycle
// detection, so nested decoders never meet a user entity reference.

const (
	maxPlainInline = 1024     // longer text entities are charged to the budget
	maxEntityText  = 16 << 20 // size of one entity after substitution
	maxExpansion   = 64 << 20 // total text produced by expansions in one document
)

type entitySet struct {
	dec    map[string]string // Decoder.Entity
	text   map[string]string // long plain text
	markup map[string]string // replacement text holding markup
	bad    map[string]string // why an entity cannot be used; reported on use
	// fromFile names the entities whose replacement text holds text read
	// from another file (SYSTEM or PUBLIC, directly or through a
	// reference). They always go as sentinels, so the parser sees every
	// use, and errors in a document that used one quote none of its text.
	fromFile map[string]bool
}

// fromFile is the set of entities that are external or refer, at any
// depth, to one that is.
func fromFile(defs map[string]string, external map[string]bool) map[string]bool {
	tainted := map[string]bool{}
	for n := range external {
		tainted[n] = true
	}
	for grew := true; grew; {
		grew = false
		for n, v := range defs {
			if tainted[n] {
				continue
			}
			for m := range tainted {
				if strings.Contains(v, "&"+m+";") {
					tainted[n], grew = true, true
					break
				}
			}
		}
	}
	return tainted
}

func sentinel(name string) string { return string(sentOpen) + name + string(sentClose) }

func newEntitySet(defs map[string]string, external map[string]bool) *entitySet {
	set := &entitySet{dec: map[string]string{}, text: map[string]string{},
		markup: map[string]string{}, bad: map[string]string{}, fromFile: fromFile(defs, external)}
	x := &expander{defs: defs, done: map[string]string{}, active: map[string]bool{}}
	names := make([]string, 0, len(defs))
	for n := range defs {
		names = append(names, n)
	}
	sort.Strings(names) // deterministic messages
	for _, name := range names {
		raw, msg := x.expand(name)
		set.add(name, raw, msg)
	}
	return set
}

func (s *entitySet) add(name, raw, msg string) {
	if msg == "" && strings.ContainsRune(raw, '<') {
		s.markup[name] = raw
		s.dec[name] = sentinel(name)
		return
	}
	var text string
	if msg == "" {
		text, msg = plainText(raw)
	}
	switch {
	case msg != "":
		s.bad[name] = msg
		s.dec[name] = sentinel(name)
	case len(text) > maxPlainInline || s.fromFile[name]:
		s.text[name] = text
		s.dec[name] = sentinel(name)
	default:
		s.dec[name] = text
	}
}

// plainText resolves the character and predefined references of replacement
// text that holds no markup.
func plainText(raw string) (string, string) {
	if !strings.ContainsRune(raw, '&') {
		return raw, ""
	}
	d := xml.NewDecoder(strings.NewReader("<v>" + raw + "</v>"))
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return b.String(), ""
		}
		if err != nil {
			return "", syntaxMsg(err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
		}
	}
}

// expander substitutes references between entities.
type expander struct {
	defs   map[string]string
	done   map[string]string // substituted text, by name
	active map[string]bool   // names being substituted: a cycle if met again
}

func (x *expander) expand(name string) (string, string) {
	if v, ok := x.done[name]; ok {
		return v, ""
	}
	if x.active[name] {
		return "", fmt.Sprintf("entity &%s; refers to itself", name)
	}
	v := x.defs[name]
	if strings.ContainsRune(v, sentOpen) || strings.ContainsRune(v, sentClose) || !utf8.ValidString(v) {
		return "", fmt.Sprintf("entity &%s; contains a character that is not allowed", name)
	}
	x.active[name] = true
	out, msg := x.substitute(name, v)
	delete(x.active, name)
	if msg == "" && len(out) > maxEntityText {
		msg = fmt.Sprintf("entity &%s; expands to more than %d bytes", name, maxEntityText)
	}
	if msg != "" {
		return "", msg
	}
	x.done[name] = out
	return out, ""
}

// substitute replaces the references in v, the value of entity name, to
// declared entities by their substituted text, leaving character
// references, predefined entities and undeclared names for the XML decoder.
func (x *expander) substitute(name, v string) (string, string) {
	var b strings.Builder
	for {
		amp := strings.IndexByte(v, '&')
		if amp < 0 {
			b.WriteString(v)
			return b.String(), ""
		}
		b.WriteString(v[:amp])
		v = v[amp:]
		semi := strings.IndexByte(v, ';')
		ref := ""
		if semi > 1 {
			ref = v[1:semi]
		}
		if _, declared := x.defs[ref]; !declared || isPredefined(ref) {
			b.WriteByte('&')
			v = v[1:]
			continue
		}
		sub, msg := x.expand(ref)
		if msg != "" {
			return "", msg
		}
		if b.Len()+len(sub) > maxEntityText {
			return "", fmt.Sprintf("entity &%s; expands to more than %d bytes", name, maxEntityText)
		}
		b.WriteString(sub)
		v = v[semi+1:]
	}
}

func isPredefined(name string) bool {
	switch name {
	case "lt", "gt", "amp", "apos", "quot":
		return true
	}
	return false
}

// syntaxMsg words an encoding/xml error for an administrator.
func syntaxMsg(err error) string {
	se, ok := err.(*xml.SyntaxError)
	if !ok {
		return strings.TrimPrefix(err.Error(), "xml: ")
	}
	if rest, ok := strings.CutPrefix(se.Msg, "invalid character entity &"); ok && !strings.HasPrefix(rest, "#") {
		return "undefined entity &" + rest
	}
	return "XML syntax error: " + se.Msg
}
