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
	w        *bufio.Writer
	err      error
	state    int
	raw, esc []byte // scratch space for one attribute value
}

// Writer states.
const (
	stateNew      = iota // before Begin
	stateRootOpen        // root start tag written up to its last attribute
	stateInRoot          // root start tag closed, definitions being written
	stateEnded           // after End
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
	start(w, 0, "AIX_VPN", &doc, rootAttrs, keepOpen)
	w.state = stateRootOpen
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
		w.w.WriteString(noKids)
	} else {
		w.w.WriteString("</AIX_VPN>\n")
	}
	w.state = stateEnded
	w.err = w.w.Flush()
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
		w.w.WriteString(hasKids)
		w.state = stateInRoot
	}
	return true
}

// done ends a definition and returns the sticky error. bufio keeps the
// first write error and returns it from Flush, so flushing once the buffer
// is nearly full surfaces it without a system call per definition.
func (w *Writer) done() error {
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

// Ends of a start tag.
const (
	keepOpen = ""     // the root, until we know whether it has children
	hasKids  = ">\n"  // children follow
	noKids   = "/>\n" // an empty element
)

// start writes the start tag of e at depth: "<name", each present attribute
// on its own line four spaces deeper than the element, then end.
func start[T any](w *Writer, depth int, name string, e *T, specs []attr[T], end string) {
	w.indent(2 * depth)
	w.w.WriteByte('<')
	w.w.WriteString(name)
	for _, s := range specs {
		var ok bool
		if w.raw, ok = s.format(e, w.raw[:0]); !ok {
			continue
		}
		w.w.WriteByte('\n')
		w.indent(2*depth + 4)
		w.w.WriteString(s.name)
		w.w.WriteString(`="`)
		w.writeEscaped(w.raw)
		w.w.WriteByte('"')
	}
	w.w.WriteString(end)
}

func (w *Writer) close(depth int, name string) {
	w.indent(2 * depth)
	w.w.WriteString("</")
	w.w.WriteString(name)
	w.w.WriteString(">\n")
}

// writeEscaped writes an attribute value, escaped when it needs to be
// (values are mostly names, numbers and addresses, which do not).
func (w *Writer) writeEscaped(v []byte) {
	for _, c := range v {
		if c < 0x20 || c >= 0x7f || c == '&' || c == '<' || c == '>' || c == '"' {
			w.esc = appendEscaped(w.esc[:0], v)
			w.w.Write(w.esc)
			return
		}
	}
	w.w.Write(v)
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

// WriteIKEProtection writes one IKEProtection with its transforms.
func (w *Writer) WriteIKEProtection(p *IKEProtection) error {
	if !w.child() {
		return w.err
	}
	if len(p.Transforms) == 0 {
		start(w, 1, "IKEProtection", p, ikeProtectionAttrs, noKids)
		return w.done()
	}
	start(w, 1, "IKEProtection", p, ikeProtectionAttrs, hasKids)
	for i := range p.Transforms {
		start(w, 2, "IKETransform", &p.Transforms[i], ikeTransformAttrs, noKids)
	}
	w.close(1, "IKEProtection")
	return w.done()
}

// WriteIKETunnel writes one IKETunnel with its identities.
func (w *Writer) WriteIKETunnel(t *IKETunnel) error {
	if !w.child() {
		return w.err
	}
	start(w, 1, "IKETunnel", t, ikeTunnelAttrs, hasKids)
	wrapper(w, "IKELocalIdentity", &t.Local, ikeIdentityAttrs, &t.Local.ID)
	wrapper(w, "IKERemoteIdentity", &t.Remote, ikeIdentityAttrs, &t.Remote.ID)
	w.close(1, "IKETunnel")
	return w.done()
}

// wrapper writes an identity wrapper element e at depth 2 holding id.
func wrapper[T any](w *Writer, name string, e *T, specs []attr[T], id *ID) {
	if id.Type == "" {
		start(w, 2, name, e, specs, noKids)
		return
	}
	start(w, 2, name, e, specs, hasKids)
	w.id(3, id)
	w.close(2, name)
}

// id writes an identity element. An unknown type cannot be written in a
// form Decode would read back, so it is an error.
func (w *Writer) id(depth int, id *ID) {
	specs := idAttrs(id.Type)
	if specs == nil {
		w.err = errors.New("vpnxml: cannot write an identity of unknown type " + string(id.Type))
		return
	}
	start(w, depth, string(id.Type), id, specs, noKids)
}

// WriteIKEPresharedKey writes one IKEPresharedKey.
func (w *Writer) WriteIKEPresharedKey(k *IKEPresharedKey) error {
	if !w.child() {
		return w.err
	}
	start(w, 1, "IKEPresharedKey", k, presharedKeyAttrs, hasKids)
	wrapper(w, "PresharedKeyIdentity", &k.Identity, keyIdentityAttrs, &k.Identity.ID)
	w.close(1, "IKEPresharedKey")
	return w.done()
}

// WriteIKEGroup writes one IKEGroup with its members.
func (w *Writer) WriteIKEGroup(g *IKEGroup) error {
	if !w.child() {
		return w.err
	}
	if len(g.Members) == 0 {
		start(w, 1, "IKEGroup", g, ikeGroupAttrs, noKids)
		return w.done()
	}
	start(w, 1, "IKEGroup", g, ikeGroupAttrs, hasKids)
	for i := range g.Members {
		w.id(2, &g.Members[i])
	}
	w.close(1, "IKEGroup")
	return w.done()
}

// WriteIPSecProposal writes one IPSecProposal with its protocols.
func (w *Writer) WriteIPSecProposal(p *IPSecProposal) error {
	if !w.child() {
		return w.err
	}
	if p.ESP == nil && p.AH == nil {
		start(w, 1, "IPSecProposal", p, ipsecProposalAttrs, noKids)
		return w.done()
	}
	start(w, 1, "IPSecProposal", p, ipsecProposalAttrs, hasKids)
	if p.ESP != nil {
		start(w, 2, "IPSecESPProtocol", p.ESP, espAttrs, noKids)
	}
	if p.AH != nil {
		start(w, 2, "IPSecAHProtocol", p.AH, ahAttrs, noKids)
	}
	w.close(1, "IPSecProposal")
	return w.done()
}

// WriteIPSecProtection writes one IPSecProtection.
func (w *Writer) WriteIPSecProtection(p *IPSecProtection) error {
	if !w.child() {
		return w.err
	}
	start(w, 1, "IPSecProtection", p, ipsecProtectionAttrs, noKids)
	return w.done()
}

// WriteIPSecTunnel writes one IPSecTunnel with its identities.
func (w *Writer) WriteIPSecTunnel(t *IPSecTunnel) error {
	if !w.child() {
		return w.err
	}
	start(w, 1, "IPSecTunnel", t, ipsecTunnelAttrs, hasKids)
	wrapper(w, "IPSecLocalIdentity", &t.Local, ipsecIdentityAttrs, &t.Local.ID)
	wrapper(w, "IPSecRemoteIdentity", &t.Remote, ipsecIdentityAttrs, &t.Remote.ID)
	w.close(1, "IPSecTunnel")
	return w.done()
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
	return w.End() // errors are sticky, so End reports the first one
}
