package vpnxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ikemu/ikemu/pkg/boundedio"
)

// DecodeOptions configure Decode.
type DecodeOptions struct {
	// Entities are the general entities of ikedb -e, by name: the
	// replacement text of each. Text with markup is parsed where the
	// reference stands, so an entity can hold whole definitions (that is how
	// one file includes another). LoadEntities reads an entity file.
	Entities map[string]string
	// External names the entities whose replacement text was read from
	// another file (SYSTEM or PUBLIC). An error in a document that uses
	// one, directly or through another entity, quotes no text: it may be
	// a file the user could not otherwise read.
	External map[string]bool
}

// Decode reads one AIX_VPN document and returns it, or the first problem
// met as an *Error: XML that is not well formed, an element or attribute the
// vocabulary does not have or in a place it does not allow, a missing
// required attribute, or an attribute value outside its domain. Relations
// between values (references, uniqueness, consistency) are Validate's job.
//
// An external DOCTYPE is ignored, as ikedb does; a DOCTYPE with an internal
// subset is an error (ikedb -e is the way to declare entities).
func Decode(r io.Reader, opts DecodeOptions) (*Document, error) {
	return decode(r, opts, nil)
}

// DecodeEach reads a document as Decode does, but hands each top-level
// definition to each as soon as it is read, in a Document holding only
// it, and keeps none: a large document is never whole in memory. It
// returns the root element's attributes (a Document without
// definitions). An error from each stops the reading and is returned as
// it is; a problem with the document is the first one met, as Decode's,
// after each has seen the definitions before it.
func DecodeEach(r io.Reader, opts DecodeOptions, each func(*Document) error) (*Document, error) {
	return decode(r, opts, each)
}

// callbackError carries an error of DecodeEach's callback out of the
// parser untouched.
type callbackError struct{ err error }

func (e *callbackError) Error() string { return e.err.Error() }

func decode(r io.Reader, opts DecodeOptions, each func(*Document) error) (*Document, error) {
	p := &parser{ents: newEntitySet(opts.Entities, opts.External), each: each}
	p.open(r, 64<<10, "", 0)
	doc := &Document{}
	if err := p.document(doc); err != nil {
		var cb *callbackError
		if errors.As(err, &cb) {
			return nil, cb.err
		}
		var e *Error
		if p.usedFile && errors.As(err, &e) {
			e.Msg = withoutQuotes(e.Msg)
		}
		return nil, err
	}
	return doc, nil
}

const maxEntityDepth = 16

// parser reads tokens from a stack of frames: the document, and above it
// the markup entities being expanded.
type parser struct {
	frames   []*frame
	ents     *entitySet
	expanded int                   // bytes produced by entity expansion, against maxExpansion
	usedFile bool                  // an entity holding another file's text was used
	each     func(*Document) error // DecodeEach's callback; nil for Decode
}

type frame struct {
	dec    *xml.Decoder
	tap    *tapReader
	entity string // "" for the document
	line   int    // document line of the reference that opened the frame
	queue  []segment
}

// segment is a piece of character data that held entity sentinels.
type segment struct {
	text   string
	entity string // set for a reference, "" for text
	pos    Pos
}

// token is an xml.Token with where it was read.
type token struct {
	tok   xml.Token
	pos   Pos
	attrs []Pos // of StartElement.Attr; nil when all are on the element's line
}

func (t *token) attrPos(i int) Pos {
	if i < len(t.attrs) {
		return t.attrs[i]
	}
	return t.pos
}

func (f *frame) pos(line int) Pos {
	if f.entity == "" {
		return Pos{Line: line}
	}
	return Pos{Line: f.line, Entity: f.entity, EntityLine: line}
}

// advance moves pos down n lines within the text it points into.
func (pos Pos) advance(n int) Pos {
	if pos.Entity != "" {
		pos.EntityLine += n
	} else {
		pos.Line += n
	}
	return pos
}

func (p *parser) open(src io.Reader, size int, entity string, line int) {
	tap := newTap(src, size)
	d := xml.NewDecoder(tap)
	d.Entity = p.ents.dec
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		switch strings.ToUpper(label) {
		case "US-ASCII", "ASCII":
			return tap, nil
		case "ISO-8859-1", "LATIN1", "ISO_8859-1":
			tap.switchLatin1()
			return tap, nil
		}
		return nil, errCharset
	}
	p.frames = append(p.frames, &frame{dec: d, tap: tap, entity: entity, line: line})
}

// next returns the next token, expanding entities on the way.
func (p *parser) next() (token, error) {
	for {
		f := p.frames[len(p.frames)-1]
		if len(f.queue) > 0 {
			seg := f.queue[0]
			f.queue = f.queue[1:]
			if seg.entity == "" {
				return token{tok: xml.CharData(seg.text), pos: seg.pos}, nil
			}
			if t, err := p.reference(seg); err != nil || t.tok != nil {
				return t, err
			}
			continue
		}
		t, err := p.read(f)
		if err == io.EOF && len(p.frames) > 1 {
			p.frames = p.frames[:len(p.frames)-1]
			continue
		}
		if err != nil || t.tok != nil {
			return t, err
		}
	}
}

// read takes one token from f's decoder. It returns no token when it queued
// segments instead.
func (p *parser) read(f *frame) (token, error) {
	line, _ := f.dec.InputPos()
	f.tap.startToken()
	tok, err := f.dec.Token()
	if err == io.EOF {
		return token{}, err
	}
	if errors.Is(err, boundedio.ErrTooLarge) {
		return token{}, err // names the file; no line to add
	}
	if err != nil {
		if se, ok := err.(*xml.SyntaxError); ok {
			line = se.Line
		} else {
			line, _ = f.dec.InputPos()
		}
		return token{}, errAt(f.pos(line), "", "", syntaxMsg(err))
	}
	pos := f.pos(line)
	switch t := tok.(type) {
	case xml.CharData:
		if bytes.ContainsAny(t, sentinelRunes) {
			f.queue = splitSentinels(string(t), pos)
			return token{}, nil
		}
	case xml.StartElement:
		return p.start(f, t, line, pos)
	}
	return token{tok: tok, pos: pos}, nil
}

// splitSentinels cuts character data at the entity sentinels in it.
func splitSentinels(s string, pos Pos) []segment {
	var out []segment
	for s != "" {
		i := strings.IndexAny(s, sentinelRunes)
		if i < 0 {
			return append(out, segment{text: s, pos: pos})
		}
		if i > 0 {
			out = append(out, segment{text: s[:i], pos: pos})
			pos = pos.advance(strings.Count(s[:i], "\n"))
		}
		name, rest := cutSentinel(s[i:])
		out = append(out, segment{entity: name, pos: pos})
		s = rest
	}
	return out
}

// cutSentinel splits off the sentinel that s starts with. A stray sentinel
// character yields a name no entity has, which the caller reports.
func cutSentinel(s string) (name, rest string) {
	body, ok := strings.CutPrefix(s, string(sentOpen))
	end := strings.IndexRune(body, sentClose)
	if !ok || end < 0 || strings.ContainsRune(body[:end], sentOpen) {
		_, size := utf8.DecodeRuneInString(s)
		return string(sentOpen), s[size:]
	}
	return body[:end], body[end+len(string(sentClose)):]
}

// reference expands the entity a segment refers to: long text comes back
// as character data, markup is pushed as a new frame.
func (p *parser) reference(seg segment) (token, error) {
	text, markup, err := p.lookup(seg.entity, seg.pos, "")
	if err != nil || !markup {
		return token{tok: xml.CharData(text), pos: seg.pos}, err
	}
	if len(p.frames) > maxEntityDepth {
		return token{}, errAt(seg.pos, "", "", fmt.Sprintf("entity &%s;: entities nested too deeply", seg.entity))
	}
	p.open(strings.NewReader(text), len(text), seg.entity, seg.pos.Line)
	return token{}, nil
}

// lookup returns the replacement text of a sentinel entity and whether it
// is markup, charging it to the expansion budget.
func (p *parser) lookup(name string, pos Pos, elem string) (string, bool, error) {
	if msg, bad := p.ents.bad[name]; bad {
		return "", false, errAt(pos, elem, "", msg)
	}
	text, isText := p.ents.text[name]
	markup, isMarkup := p.ents.markup[name]
	if !isText && !isMarkup {
		return "", false, errAt(pos, elem, "", "reserved character U+E000 or U+E001 in the document")
	}
	p.expanded += len(text) + len(markup)
	p.usedFile = p.usedFile || p.ents.fromFile[name]
	if p.expanded > maxExpansion {
		return "", false, errAt(pos, elem, "", fmt.Sprintf("entity expansion exceeds %d bytes", maxExpansion))
	}
	if isMarkup {
		return markup, true, nil
	}
	return text, false, nil
}

// start completes a start tag: the line of each attribute, and the
// entities in attribute values that the decoder left as sentinels.
func (p *parser) start(f *frame, t xml.StartElement, line int, pos Pos) (token, error) {
	ti := token{tok: t, pos: pos}
	end, _ := f.dec.InputPos()
	if end != line || len(t.Attr) > 1 {
		lines, ok := scanAttrs(f.tap.token(), line, len(t.Attr))
		if !ok {
			return token{}, errAt(pos, "", "", "XML syntax error: attributes must be separated by white space")
		}
		if end != line && lines != nil {
			ti.attrs = make([]Pos, len(lines))
			for i, l := range lines {
				ti.attrs[i] = f.pos(l)
			}
		}
	}
	for i := range t.Attr {
		v := t.Attr[i].Value
		if !strings.ContainsAny(v, sentinelRunes) {
			continue
		}
		expanded, err := p.attrValue(v, ti.attrPos(i), qname(t.Name))
		if err != nil {
			err.Attribute = qname(t.Attr[i].Name)
			return token{}, err
		}
		t.Attr[i].Value = expanded
	}
	return ti, nil
}

// attrValue expands the sentinels in an attribute value. XML forbids '<'
// in attribute values, so markup entities cannot be used there.
func (p *parser) attrValue(v string, pos Pos, elem string) (string, *Error) {
	var b strings.Builder
	for v != "" {
		i := strings.IndexAny(v, sentinelRunes)
		if i < 0 {
			b.WriteString(v)
			break
		}
		b.WriteString(v[:i])
		name, rest := cutSentinel(v[i:])
		text, markup, err := p.lookup(name, pos, elem)
		if err != nil {
			return "", err.(*Error)
		}
		if markup {
			return "", errAt(pos, elem, "", fmt.Sprintf("entity &%s; contains markup and cannot be used in an attribute value", name))
		}
		b.WriteString(text)
		v = rest
	}
	return b.String(), nil
}

func qname(n xml.Name) string {
	switch n.Space {
	case "":
		return n.Local
	case "http://www.w3.org/XML/1998/namespace":
		return "xml:" + n.Local
	}
	return n.Space + ":" + n.Local
}

// document reads the prolog, the root element and what follows it.
func (p *parser) document(doc *Document) error {
	t, err := p.prolog()
	if err != nil {
		return err
	}
	if err := p.root(t, doc); err != nil {
		return err
	}
	return p.epilog()
}

func (p *parser) line() int {
	line, _ := p.frames[0].dec.InputPos()
	return line
}

func (p *parser) prolog() (token, error) {
	for {
		t, err := p.next()
		if err == io.EOF {
			return token{}, errAt(Pos{Line: p.line()}, "", "", "no AIX_VPN element: the document is empty")
		}
		if err != nil {
			return token{}, err
		}
		switch tok := t.tok.(type) {
		case xml.StartElement:
			if qname(tok.Name) != "AIX_VPN" {
				return token{}, errAt(t.pos, qname(tok.Name), "", "the root element must be AIX_VPN")
			}
			return t, nil
		case xml.Directive:
			if msg := checkDoctype(string(tok)); msg != "" {
				return token{}, errAt(t.pos, "", "", msg)
			}
		case xml.CharData:
			if !isXMLSpace(tok) {
				return token{}, errAt(textPos(tok, t.pos), "", "", "text before the root element")
			}
		}
	}
}

// checkDoctype accepts a DOCTYPE without an internal subset, which ikedb
// ignores. An internal subset could redefine the vocabulary; ikedb -e is
// the supported way to add entities.
func checkDoctype(d string) string {
	fields := strings.Fields(d)
	word := ""
	if len(fields) > 0 {
		word = fields[0]
	}
	if word != "DOCTYPE" {
		return fmt.Sprintf("unexpected declaration <!%s", shortName(word))
	}
	// The XML standard's root element type constraint: the DOCTYPE
	// names the root, and ikedb's root is AIX_VPN.
	if len(fields) < 2 {
		return "the DOCTYPE names no root element; it must be AIX_VPN"
	}
	if name, _, _ := strings.Cut(fields[1], "["); name != "AIX_VPN" {
		return fmt.Sprintf("the DOCTYPE names %s; the root element must be AIX_VPN", shortName(name))
	}
	var quote rune
	for _, r := range d {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case quote == 0 && r == '[':
			return "internal DOCTYPE subsets are not supported; declare entities in an entity file (ikedb -e)"
		}
	}
	return ""
}

func (p *parser) epilog() error {
	for {
		t, err := p.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch tok := t.tok.(type) {
		case xml.StartElement:
			return errAt(t.pos, qname(tok.Name), "", "element after the end of AIX_VPN")
		case xml.Directive:
			return errAt(t.pos, "", "", "declaration after the end of AIX_VPN")
		case xml.CharData:
			if !isXMLSpace(tok) {
				return errAt(textPos(tok, t.pos), "", "", "text after the end of AIX_VPN")
			}
		}
	}
}

// textPos points at the first non-blank character of character data.
func textPos(b []byte, pos Pos) Pos {
	n := 0
	for _, c := range b {
		if !isTagSpace(c) {
			break
		}
		if c == '\n' {
			n++
		}
	}
	return pos.advance(n)
}

func clip(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 20 {
		s = s[:20] + "..."
	}
	return s
}

// children reads the content of the element that t started, up to its end
// tag, handing each child element to each once it fits the model.
func (p *parser) children(t token, m model, each func(token, string) error) error {
	elem := qname(t.tok.(xml.StartElement).Name)
	mt := matcher{m: m}
	for {
		c, err := p.next()
		if err == io.EOF {
			return errAt(t.pos, elem, "", "element is not closed")
		}
		if err != nil {
			return err
		}
		switch tok := c.tok.(type) {
		case xml.StartElement:
			if msg := mt.accept(tok.Name); msg != "" {
				return errAt(c.pos, elem, "", msg)
			}
			if err := each(c, tok.Name.Local); err != nil {
				return err
			}
		case xml.EndElement:
			if msg := mt.finish(); msg != "" {
				return errAt(t.pos, elem, "", msg)
			}
			return nil
		case xml.CharData:
			if !isXMLSpace(tok) {
				return errAt(textPos(tok, c.pos), elem, "", fmt.Sprintf("text %q is not allowed here", clip(tok)))
			}
		case xml.Directive:
			return errAt(c.pos, elem, "", "declarations are not allowed inside elements")
		}
	}
}

// readAttrs stores the attributes of the element t starts into e.
func readAttrs[T any](t token, e *T, node *Node, specs []attr[T]) error {
	start := t.tok.(xml.StartElement)
	elem := start.Name.Local
	node.Pos = t.pos
	if len(start.Attr) > 0 {
		node.Attrs = make([]AttrPos, 0, len(start.Attr))
	}
	var seen uint64
	for i, a := range start.Attr {
		pos, name := t.attrPos(i), qname(a.Name)
		k := findAttr(specs, name)
		switch {
		case k < 0:
			return errAt(pos, elem, name, "unknown attribute")
		case seen&(1<<k) != 0:
			return errAt(pos, elem, name, "attribute given more than once")
		}
		seen |= 1 << k
		node.Attrs = append(node.Attrs, AttrPos{Name: specs[k].name, Pos: pos})
		if msg := specs[k].parse(e, a.Value); msg != "" {
			return errAt(pos, elem, name, msg)
		}
	}
	for k, s := range specs {
		if s.req && seen&(1<<k) == 0 {
			return errAt(t.pos, elem, s.name, "required attribute is missing")
		}
	}
	return nil
}

func findAttr[T any](specs []attr[T], name string) int {
	for k := range specs {
		if specs[k].name == name {
			return k
		}
	}
	return -1
}

// leaf reads an element that has attributes only.
func leaf[T any](p *parser, t token, e *T, node *Node, specs []attr[T]) error {
	if err := readAttrs(t, e, node, specs); err != nil {
		return err
	}
	return p.children(t, nil, nil)
}

func (p *parser) root(t token, doc *Document) error {
	if err := readAttrs(t, doc, &doc.Node, rootAttrs); err != nil {
		return err
	}
	return p.children(t, rootModel, func(c token, name string) error {
		if p.each == nil {
			return p.definition(c, name, doc)
		}
		one := &Document{}
		if err := p.definition(c, name, one); err != nil {
			return err
		}
		if err := p.each(one); err != nil {
			return &callbackError{err}
		}
		return nil
	})
}

// definition reads one top-level definition into doc.
func (p *parser) definition(c token, name string, doc *Document) error {
	var err error
	switch name {
	case "IKEProtection":
		doc.IKEProtections = append(doc.IKEProtections, IKEProtection{})
		err = p.ikeProtection(c, &doc.IKEProtections[len(doc.IKEProtections)-1])
	case "IKETunnel":
		doc.IKETunnels = append(doc.IKETunnels, IKETunnel{})
		err = p.ikeTunnel(c, &doc.IKETunnels[len(doc.IKETunnels)-1])
	case "IKEPresharedKey":
		doc.PresharedKeys = append(doc.PresharedKeys, IKEPresharedKey{})
		err = p.presharedKey(c, &doc.PresharedKeys[len(doc.PresharedKeys)-1])
	case "IKEGroup":
		doc.IKEGroups = append(doc.IKEGroups, IKEGroup{})
		err = p.ikeGroup(c, &doc.IKEGroups[len(doc.IKEGroups)-1])
	case "IPSecProposal":
		doc.IPSecProposals = append(doc.IPSecProposals, IPSecProposal{})
		err = p.proposal(c, &doc.IPSecProposals[len(doc.IPSecProposals)-1])
	case "IPSecProtection":
		doc.IPSecProtections = append(doc.IPSecProtections, IPSecProtection{})
		e := &doc.IPSecProtections[len(doc.IPSecProtections)-1]
		err = leaf(p, c, e, &e.Node, ipsecProtectionAttrs)
	case "IPSecTunnel":
		doc.IPSecTunnels = append(doc.IPSecTunnels, IPSecTunnel{})
		err = p.ipsecTunnel(c, &doc.IPSecTunnels[len(doc.IPSecTunnels)-1])
	}
	return err
}

func (p *parser) ikeProtection(t token, e *IKEProtection) error {
	if err := readAttrs(t, e, &e.Node, ikeProtectionAttrs); err != nil {
		return err
	}
	return p.children(t, ikeProtectionModel, func(c token, _ string) error {
		e.Transforms = append(e.Transforms, IKETransform{})
		x := &e.Transforms[len(e.Transforms)-1]
		return leaf(p, c, x, &x.Node, ikeTransformAttrs)
	})
}

func (p *parser) ikeTunnel(t token, e *IKETunnel) error {
	if err := readAttrs(t, e, &e.Node, ikeTunnelAttrs); err != nil {
		return err
	}
	return p.children(t, ikeTunnelModel, func(c token, name string) error {
		if name == "IKELocalIdentity" {
			return p.ikeIdentity(c, &e.Local, ikeLocalModel)
		}
		return p.ikeIdentity(c, &e.Remote, ikeRemoteModel)
	})
}

func (p *parser) ikeIdentity(t token, e *IKEIdentity, m model) error {
	if err := readAttrs(t, e, &e.Node, ikeIdentityAttrs); err != nil {
		return err
	}
	return p.children(t, m, func(c token, name string) error { return p.id(c, name, &e.ID) })
}

// id reads an identity element; the model has already checked its name.
func (p *parser) id(t token, name string, id *ID) error {
	id.Type = IDType(name)
	return leaf(p, t, id, &id.Node, idAttrs(id.Type))
}

func (p *parser) presharedKey(t token, e *IKEPresharedKey) error {
	if err := readAttrs(t, e, &e.Node, presharedKeyAttrs); err != nil {
		return err
	}
	return p.children(t, presharedKeyModel, func(c token, _ string) error {
		k := &e.Identity
		if err := readAttrs(c, k, &k.Node, keyIdentityAttrs); err != nil {
			return err
		}
		return p.children(c, keyIdentityModel, func(c token, name string) error { return p.id(c, name, &k.ID) })
	})
}

func (p *parser) ikeGroup(t token, e *IKEGroup) error {
	if err := readAttrs(t, e, &e.Node, ikeGroupAttrs); err != nil {
		return err
	}
	return p.children(t, ikeGroupModel, func(c token, name string) error {
		e.Members = append(e.Members, ID{})
		return p.id(c, name, &e.Members[len(e.Members)-1])
	})
}

func (p *parser) proposal(t token, e *IPSecProposal) error {
	if err := readAttrs(t, e, &e.Node, ipsecProposalAttrs); err != nil {
		return err
	}
	err := p.children(t, proposalModel, func(c token, name string) error {
		if name == "IPSecESPProtocol" {
			e.ESP = &ESPProtocol{}
			return leaf(p, c, e.ESP, &e.ESP.Node, espAttrs)
		}
		e.AH = &AHProtocol{}
		return leaf(p, c, e.AH, &e.AH.Node, ahAttrs)
	})
	if err == nil && e.ESP == nil && e.AH == nil {
		return errAt(t.pos, "IPSecProposal", "", msgNoProtocol)
	}
	return err
}

const msgNoProtocol = "missing IPSecESPProtocol or IPSecAHProtocol"

func (p *parser) ipsecTunnel(t token, e *IPSecTunnel) error {
	if err := readAttrs(t, e, &e.Node, ipsecTunnelAttrs); err != nil {
		return err
	}
	return p.children(t, ipsecTunnelModel, func(c token, name string) error {
		x, m := &e.Local, ipsecLocalModel
		if name == "IPSecRemoteIdentity" {
			x, m = &e.Remote, ipsecRemoteModel
		}
		if err := readAttrs(c, x, &x.Node, ipsecIdentityAttrs); err != nil {
			return err
		}
		return p.children(c, m, func(c token, name string) error { return p.id(c, name, &x.ID) })
	})
}

// shortName keeps a name quoted in a message to a readable length, with
// unprintable bytes escaped.
func shortName(s string) string {
	const max = 80
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return strconv.Quote(s)
		}
	}
	return s
}
