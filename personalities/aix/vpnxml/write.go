package vpnxml

import (
	"bufio"
	"errors"
	"io"
	"unicode/utf8"
)

// Writer writes a document in the layout of ikedb -g: an XML declaration,
// then every element with two spaces of indentation per level, its name on
// its own line and each attribute on a line of its own, four spaces deeper
// than the element, with ">" or "/>" right after the last attribute.
// Attributes come in the fixed order of the attribute tables and are
// escaped; absent ones are left out.
//
// It streams: call Begin, then the Write methods for each definition in any
// order, then End, so a large database never has to be held as one
// Document. Errors are sticky: after the first one every call returns it.
// The Writer does not validate; write what Validate accepted.
type Writer struct {
	w       *bufio.Writer
	err     error
	state   int // before Begin, root start tag open, in root, ended
	scratch []byte
}

const (
	stateNew = iota
	stateRootOpen
	stateInRoot
	stateEnded
)

var errOrder = errors.New("vpnxml: Writer calls out of order: Begin, Write..., End")

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 64<<10)}
}

// Begin writes the XML declaration and the AIX_VPN start tag; version is
// its Version attribute ("" leaves it out; ikedb writes "2.0").
func (w *Writer) Begin(version string) error {
	if w.err == nil && w.state != stateNew {
		w.err = errOrder
	}
	if w.err != nil {
		return w.err
	}
	w.w.WriteString("<?xml version=\"1.0\"?>\n")
	doc := Document{Version: version}
	w.startTag(0, "AIX_VPN", writeAttrs(w, 2, &doc, rootAttrs))
	w.state = stateRootOpen // ">" or "/>" waits until we know whether children follow
	return w.err
}

// End closes the root element and flushes.
func (w *Writer) End() error {
	if w.err == nil && w.state != stateRootOpen && w.state != stateInRoot {
		w.err = errOrder
	}
	if w.err != nil {
		return w.err
	}
	if w.state == stateRootOpen {
		w.w.WriteString("/>\n")
	} else {
		w.w.WriteString("</AIX_VPN>\n")
	}
	w.state = stateEnded
	if err := w.w.Flush(); err != nil {
		w.err = err
	}
	return w.err
}

// child prepares the writing of a definition: it completes the root start
// tag if needed and reports whether writing may go on.
func (w *Writer) child() bool {
	if w.err == nil && w.state != stateRootOpen && w.state != stateInRoot {
		w.err = errOrder
	}
	if w.err != nil {
		return false
	}
	if w.state == stateRootOpen {
		w.w.WriteString(">\n")
		w.state = stateInRoot
	}
	return true
}

// flushed returns the sticky error after a definition, picking up write
// errors as soon as the buffer fills.
func (w *Writer) flushed() error {
	if w.err == nil && w.w.Available() < 4096 {
		w.err = w.w.Flush()
	}
	return w.err
}

func (w *Writer) indent(n int) {
	const spaces = "                                "
	for n > len(spaces) {
		w.w.WriteString(spaces)
		n -= len(spaces)
	}
	w.w.WriteString(spaces[:n])
}

// startTag writes "<name" at depth; the attributes were already rendered
// into w.scratch by writeAttrs (n of them) and follow it.
func (w *Writer) startTag(depth int, name string, n int) {
	w.indent(2 * depth)
	w.w.WriteByte('<')
	w.w.WriteString(name)
	w.w.Write(w.scratch)
	_ = n
}

// open writes a start tag that has children.
func (w *Writer) open(depth int, name string, n int) {
	w.startTag(depth, name, n)
	w.w.WriteString(">\n")
}

// empty writes an element without children.
func (w *Writer) empty(depth int, name string, n int) {
	w.startTag(depth, name, n)
	w.w.WriteString("/>\n")
}

func (w *Writer) close(depth int, name string) {
	w.indent(2 * depth)
	w.w.WriteString("</")
	w.w.WriteString(name)
	w.w.WriteString(">\n")
}

// writeAttrs renders the attributes of e into w.scratch, each on its own
// line at the given depth's attribute indentation, and returns their count.
func writeAttrs[T any](w *Writer, depth int, e *T, specs []attr[T]) int {
	w.scratch = w.scratch[:0]
	n := 0
	var value []byte
	for _, s := range specs {
		var ok bool
		if value, ok = s.format(e, value[:0]); !ok {
			continue
		}
		w.scratch = append(w.scratch, '\n')
		for i := 0; i < 2*depth+4; i++ {
			w.scratch = append(w.scratch, ' ')
		}
		w.scratch = append(w.scratch, s.name...)
		w.scratch = append(w.scratch, '=', '"')
		w.scratch = appendEscaped(w.scratch, value)
		w.scratch = append(w.scratch, '"')
		n++
	}
	return n
}

// appendEscaped escapes an attribute value. Tabs and line ends become
// character references so that a reader's attribute normalisation keeps
// them; what XML cannot carry at all becomes U+FFFD.
func appendEscaped(b, v []byte) []byte {
	for len(v) > 0 {
		r, size := utf8.DecodeRune(v)
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\t':
			b = append(b, "&#x9;"...)
		case r == '\n':
			b = append(b, "&#xA;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case r == utf8.RuneError && size == 1 || !isXMLChar(r):
			b = append(b, "\uFFFD"...)
		default:
			b = append(b, v[:size]...)
		}
		v = v[size:]
	}
	return b
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// leafElem writes an element that has attributes only.
func leafElem[T any](w *Writer, depth int, name string, e *T, specs []attr[T]) {
	w.empty(depth, name, writeAttrs(w, depth, e, specs))
}

// WriteIKEProtection writes one IKEProtection with its transforms.
func (w *Writer) WriteIKEProtection(p *IKEProtection) error {
	if !w.child() {
		return w.err
	}
	if len(p.Transforms) == 0 {
		leafElem(w, 1, "IKEProtection", p, ikeProtectionAttrs)
		return w.flushed()
	}
	w.open(1, "IKEProtection", writeAttrs(w, 1, p, ikeProtectionAttrs))
	for i := range p.Transforms {
		leafElem(w, 2, "IKETransform", &p.Transforms[i], ikeTransformAttrs)
	}
	w.close(1, "IKEProtection")
	return w.flushed()
}

// WriteIKETunnel writes one IKETunnel with its identities.
func (w *Writer) WriteIKETunnel(t *IKETunnel) error {
	if !w.child() {
		return w.err
	}
	w.open(1, "IKETunnel", writeAttrs(w, 1, t, ikeTunnelAttrs))
	w.ikeIdentity("IKELocalIdentity", &t.Local)
	w.ikeIdentity("IKERemoteIdentity", &t.Remote)
	w.close(1, "IKETunnel")
	return w.flushed()
}

func (w *Writer) ikeIdentity(name string, e *IKEIdentity) {
	w.wrapper(name, writeAttrs(w, 2, e, ikeIdentityAttrs), &e.ID)
}

// wrapper writes an identity wrapper at depth 2 holding id, whose
// attributes are already in w.scratch.
func (w *Writer) wrapper(name string, n int, id *ID) {
	if id.Type == "" {
		w.empty(2, name, n)
		return
	}
	w.open(2, name, n)
	w.id(3, id)
	w.close(2, name)
}

// id writes an identity element. An unknown type cannot be written in a
// form Decode would read back, so it is an error.
func (w *Writer) id(depth int, id *ID) {
	specs := idAttrs(id.Type)
	if specs == nil {
		w.err = errors.New("vpnxml: cannot write identity of unknown type " + string(id.Type))
		return
	}
	leafElem(w, depth, string(id.Type), id, specs)
}

// WriteIKEPresharedKey writes one IKEPresharedKey.
func (w *Writer) WriteIKEPresharedKey(k *IKEPresharedKey) error {
	if !w.child() {
		return w.err
	}
	w.open(1, "IKEPresharedKey", writeAttrs(w, 1, k, presharedKeyAttrs))
	w.wrapper("PresharedKeyIdentity", writeAttrs(w, 2, &k.Identity, keyIdentityAttrs), &k.Identity.ID)
	w.close(1, "IKEPresharedKey")
	return w.flushed()
}

// WriteIKEGroup writes one IKEGroup with its members.
func (w *Writer) WriteIKEGroup(g *IKEGroup) error {
	if !w.child() {
		return w.err
	}
	if len(g.Members) == 0 {
		leafElem(w, 1, "IKEGroup", g, ikeGroupAttrs)
		return w.flushed()
	}
	w.open(1, "IKEGroup", writeAttrs(w, 1, g, ikeGroupAttrs))
	for i := range g.Members {
		w.id(2, &g.Members[i])
	}
	w.close(1, "IKEGroup")
	return w.flushed()
}

// WriteIPSecProposal writes one IPSecProposal with its protocols.
func (w *Writer) WriteIPSecProposal(p *IPSecProposal) error {
	if !w.child() {
		return w.err
	}
	if p.ESP == nil && p.AH == nil {
		leafElem(w, 1, "IPSecProposal", p, ipsecProposalAttrs)
		return w.flushed()
	}
	w.open(1, "IPSecProposal", writeAttrs(w, 1, p, ipsecProposalAttrs))
	if p.ESP != nil {
		leafElem(w, 2, "IPSecESPProtocol", p.ESP, espAttrs)
	}
	if p.AH != nil {
		leafElem(w, 2, "IPSecAHProtocol", p.AH, ahAttrs)
	}
	w.close(1, "IPSecProposal")
	return w.flushed()
}

// WriteIPSecProtection writes one IPSecProtection.
func (w *Writer) WriteIPSecProtection(p *IPSecProtection) error {
	if !w.child() {
		return w.err
	}
	leafElem(w, 1, "IPSecProtection", p, ipsecProtectionAttrs)
	return w.flushed()
}

// WriteIPSecTunnel writes one IPSecTunnel with its identities.
func (w *Writer) WriteIPSecTunnel(t *IPSecTunnel) error {
	if !w.child() {
		return w.err
	}
	w.open(1, "IPSecTunnel", writeAttrs(w, 1, t, ipsecTunnelAttrs))
	w.wrapper("IPSecLocalIdentity", writeAttrs(w, 2, &t.Local, ipsecIdentityAttrs), &t.Local.ID)
	w.wrapper("IPSecRemoteIdentity", writeAttrs(w, 2, &t.Remote, ipsecIdentityAttrs), &t.Remote.ID)
	w.close(1, "IPSecTunnel")
	return w.flushed()
}

// Write writes a whole document: the kinds in the order IKEProtection,
// IKEGroup, IKETunnel, IKEPresharedKey, IPSecProposal, IPSecProtection,
// IPSecTunnel (what is referred to before what refers to it), each kind in
// the document's order.
func Write(out io.Writer, doc *Document) error {
	w := NewWriter(out)
	w.Begin(doc.Version)
	for i := range doc.IKEProtections {
		w.WriteIKEProtection(&doc.IKEProtections[i])
	}
	for i := range doc.IKEGroups {
		w.WriteIKEGroup(&doc.IKEGroups[i])
	}
	for i := range doc.IKETunnels {
		w.WriteIKETunnel(&doc.IKETunnels[i])
	}
	for i := range doc.PresharedKeys {
		w.WriteIKEPresharedKey(&doc.PresharedKeys[i])
	}
	for i := range doc.IPSecProposals {
		w.WriteIPSecProposal(&doc.IPSecProposals[i])
	}
	for i := range doc.IPSecProtections {
		w.WriteIPSecProtection(&doc.IPSecProtections[i])
	}
	for i := range doc.IPSecTunnels {
		w.WriteIPSecTunnel(&doc.IPSecTunnels[i])
	}
	return w.End()
}
