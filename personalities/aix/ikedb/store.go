package ikedb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/engine"
)

// How ikedb keeps the IKE database: each definition is a row of the
// engine's vendor store (vendor "aix"), under its kind (the element name)
// and its key (the name attribute; for a preshared key, its identity). The
// row holds what the other operations need without parsing XML (the
// definitions it refers to and, for a tunnel, its remote identity), then
// the definition's XML exactly as ikedb -g prints it. So -g copies rows
// to the output without decoding them, and what was put comes back byte
// for byte.

const vendor = "aix"

// Kinds of definition, named as their elements.
const (
	kindIKEProtection   = "IKEProtection"
	kindIKEGroup        = "IKEGroup"
	kindIKETunnel       = "IKETunnel"
	kindPresharedKey    = "IKEPresharedKey"
	kindIPSecProposal   = "IPSecProposal"
	kindIPSecProtection = "IPSecProtection"
	kindIPSecTunnel     = "IPSecTunnel"
)

// kinds lists the kinds in the order ikedb -g writes them, which is
// the order of vpnxml's Writer: what is referred to before what refers
// to it.
func kinds() []string {
	return []string{kindIKEProtection, kindIKEGroup, kindIKETunnel, kindPresharedKey,
		kindIPSecProposal, kindIPSecProtection, kindIPSecTunnel}
}

func kindIndex(kind string) int {
	for i, k := range kinds() {
		if k == kind {
			return i
		}
	}
	return -1
}

// defRef names one definition.
type defRef struct{ kind, name string }

// soft reports whether a reference may name nothing: a tunnel refers to
// the preshared key of its remote identity if there is one, for -g -r,
// but does not need it.
func (r defRef) soft() bool { return r.kind == kindPresharedKey }

// record is one stored definition.
type record struct {
	remote string   // a tunnel's remote identity key; "" for a group or another kind
	refs   []defRef // the definitions it refers to
	xml    []byte   // the definition in the -g layout
}

func (r *record) encode() []byte {
	b := make([]byte, 0, 64+len(r.xml))
	b = appendString(b, r.remote)
	b = binary.AppendUvarint(b, uint64(len(r.refs)))
	for _, ref := range r.refs {
		b = append(b, byte(kindIndex(ref.kind)))
		b = appendString(b, ref.name)
	}
	return append(b, r.xml...)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errCorrupt = errors.New("corrupt ikedb record")

// decodeRecord reads a stored row. xml points into data.
func decodeRecord(data []byte) (record, error) {
	var r record
	var ok bool
	if r.remote, data, ok = cutString(data); !ok {
		return r, errCorrupt
	}
	n, k := binary.Uvarint(data)
	if k <= 0 || n > uint64(len(data)) {
		return r, errCorrupt
	}
	data = data[k:]
	r.refs = make([]defRef, n)
	kinds := kinds()
	for i := range r.refs {
		if len(data) == 0 || int(data[0]) >= len(kinds) {
			return r, errCorrupt
		}
		r.refs[i].kind = kinds[data[0]]
		if r.refs[i].name, data, ok = cutString(data[1:]); !ok {
			return r, errCorrupt
		}
	}
	r.xml = data
	return r, nil
}

// recordXML is the XML of a stored row, found without decoding the rest.
func recordXML(data []byte) ([]byte, error) {
	var ok bool
	if data, ok = skipString(data); !ok {
		return nil, errCorrupt
	}
	n, k := binary.Uvarint(data)
	if k <= 0 || n > uint64(len(data)) {
		return nil, errCorrupt
	}
	data = data[k:]
	nkinds := len(kinds())
	for range n {
		if len(data) == 0 || int(data[0]) >= nkinds {
			return nil, errCorrupt
		}
		if data, ok = skipString(data[1:]); !ok {
			return nil, errCorrupt
		}
	}
	return data, nil
}

func skipString(b []byte) ([]byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, false
	}
	return b[k+int(n):], true
}

func cutString(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", nil, false
	}
	return string(b[k : k+int(n)]), b[k+int(n):], true
}

// idKey is the key of an identity: its element name and its values as
// -i takes them ("IPV4_Subnet 10.1.1.0,255.255.255.0"). A preshared key
// is stored under the key of its identity; a group reference has none.
func idKey(id *vpnxml.ID) string {
	t := string(id.Type)
	switch id.Type {
	case vpnxml.IPv4Address, vpnxml.IPv6Address:
		return t + " " + id.Addr.String()
	case vpnxml.IPv4Subnet, vpnxml.IPv6Subnet:
		return t + " " + id.Addr.String() + "," + id.Mask.String()
	case vpnxml.IPv4AddressRange, vpnxml.IPv6AddressRange:
		return t + " " + id.Addr.String() + "," + id.To.String()
	case vpnxml.GroupRef, "":
		return ""
	}
	return t + " " + id.Text
}

// docDef is one definition of a document on its way into the store, with
// where its key was read (for clash messages).
type docDef struct {
	ref        defRef
	rec        record
	node       *vpnxml.Node
	elem, attr string // the element and attribute holding the key
}

func refIf(kind, name string) []defRef {
	if name == "" {
		return nil
	}
	return []defRef{{kind, name}}
}

// remoteRefs are what a tunnel's remote identity refers to: its group, or
// (phase 1 only) the preshared key for it.
func remoteRefs(id *vpnxml.ID, phase1 bool) []defRef {
	switch {
	case id.Type == vpnxml.GroupRef:
		return refIf(kindIKEGroup, id.Text)
	case phase1:
		return refIf(kindPresharedKey, idKey(id))
	}
	return nil
}

// docDefs lists the definitions of doc in the order the Writer writes
// them, each with its references.
func docDefs(doc *vpnxml.Document) []docDef {
	return phase2Defs(doc, phase1Defs(doc, nil))
}

// phase1Defs appends the protections, groups, tunnels and keys of phase 1.
func phase1Defs(doc *vpnxml.Document, defs []docDef) []docDef {
	for i := range doc.IKEProtections {
		p := &doc.IKEProtections[i]
		defs = append(defs, docDef{ref: defRef{kindIKEProtection, p.Name}, node: &p.Node, elem: kindIKEProtection,
			attr: "IKE_ProtectionName", rec: record{refs: refIf(kindIPSecProtection, p.DefaultProtectionRef)}})
	}
	for i := range doc.IKEGroups {
		g := &doc.IKEGroups[i]
		var refs []defRef
		for j := range g.Members {
			refs = append(refs, refIf(kindPresharedKey, idKey(&g.Members[j]))...)
		}
		defs = append(defs, docDef{ref: defRef{kindIKEGroup, g.Name}, node: &g.Node, elem: kindIKEGroup,
			attr: "IKE_GroupName", rec: record{refs: refs}})
	}
	for i := range doc.IKETunnels {
		t := &doc.IKETunnels[i]
		refs := append(refIf(kindIKEProtection, t.ProtectionRef), remoteRefs(&t.Remote.ID, true)...)
		defs = append(defs, docDef{ref: defRef{kindIKETunnel, t.Name}, node: &t.Node, elem: kindIKETunnel,
			attr: "IKE_TunnelName", rec: record{remote: idKey(&t.Remote.ID), refs: refs}})
	}
	for i := range doc.PresharedKeys {
		id := &doc.PresharedKeys[i].Identity.ID
		defs = append(defs, docDef{ref: defRef{kindPresharedKey, idKey(id)}, node: &id.Node, elem: "PresharedKeyIdentity"})
	}
	return defs
}

// phase2Defs appends the proposals, protections and tunnels of phase 2.
func phase2Defs(doc *vpnxml.Document, defs []docDef) []docDef {
	for i := range doc.IPSecProposals {
		p := &doc.IPSecProposals[i]
		defs = append(defs, docDef{ref: defRef{kindIPSecProposal, p.Name}, node: &p.Node, elem: kindIPSecProposal,
			attr: "IPSec_ProposalName"})
	}
	for i := range doc.IPSecProtections {
		p := &doc.IPSecProtections[i]
		var refs []defRef
		for _, name := range p.ProposalRefs {
			refs = append(refs, defRef{kindIPSecProposal, name})
		}
		defs = append(defs, docDef{ref: defRef{kindIPSecProtection, p.Name}, node: &p.Node, elem: kindIPSecProtection,
			attr: "IPSec_ProtectionName", rec: record{refs: refs}})
	}
	for i := range doc.IPSecTunnels {
		t := &doc.IPSecTunnels[i]
		refs := append(refIf(kindIKETunnel, t.IKETunnelName), refIf(kindIPSecProtection, t.ProtectionRef)...)
		refs = append(refs, remoteRefs(&t.Remote.ID, false)...)
		defs = append(defs, docDef{ref: defRef{kindIPSecTunnel, t.Name}, node: &t.Node, elem: kindIPSecTunnel,
			attr: "IPSec_TunnelName", rec: record{remote: idKey(&t.Remote.ID), refs: refs}})
	}
	return defs
}

// attachXML writes doc in the -g layout and gives each definition its
// part of the output. The Writer puts every top-level element's start tag
// at the start of a line indented by exactly two spaces and escapes line
// ends inside values, so those lines are where one definition ends and
// the next begins.
func attachXML(doc *vpnxml.Document, defs []docDef) error {
	var buf bytes.Buffer
	buf.Grow(512 * len(defs)) // about what a definition takes; saves regrowing a large output
	if err := vpnxml.Write(&buf, doc); err != nil {
		return fmt.Errorf("write definitions: %w", err)
	}
	out := buf.Bytes()
	n, start := 0, -1
	for off := 0; off < len(out); {
		end := len(out)
		if i := bytes.IndexByte(out[off:], '\n'); i >= 0 {
			end = off + i + 1
		}
		line := out[off:end]
		top := len(line) > 3 && string(line[:3]) == "  <" && line[3] != '/'
		if top || bytes.HasPrefix(line, []byte("</AIX_VPN>")) {
			if start >= 0 {
				if n >= len(defs) {
					return errors.New("write definitions: more elements than definitions")
				}
				defs[n].rec.xml = out[start:off]
				n++
			}
			start = off
		}
		off = end
	}
	if n != len(defs) {
		return fmt.Errorf("write definitions: %d elements for %d definitions", n, len(defs))
	}
	return nil
}

// decodeFragment reads one stored definition back into a document that
// holds only it.
func decodeFragment(xml []byte) (*vpnxml.Document, error) {
	r := io.MultiReader(strings.NewReader("<AIX_VPN>\n"), bytes.NewReader(xml), strings.NewReader("</AIX_VPN>\n"))
	return vpnxml.Decode(r, vpnxml.DecodeOptions{})
}

// database is the IKE database of one host within a transaction.
type database struct {
	h  *engine.Host
	vs *engine.VendorStore
}

func openDatabase(h *engine.Host) *database {
	return &database{h: h, vs: h.VendorStore(vendor)}
}

// record returns a stored definition, with a copy of its XML.
func (db *database) record(ref defRef) (record, error) {
	data, err := db.vs.Get(ref.kind, ref.name)
	if err != nil {
		return record{}, err
	}
	rec, err := decodeRecord(data)
	if err != nil {
		return rec, fmt.Errorf("%s %q: %w", ref.kind, ref.name, err)
	}
	return rec, nil
}

// load decodes a stored definition.
func (db *database) load(ref defRef) (*vpnxml.Document, error) {
	rec, err := db.record(ref)
	if err != nil {
		return nil, err
	}
	doc, err := decodeFragment(rec.xml)
	if err != nil {
		return nil, fmt.Errorf("stored %s %q: %w", ref.kind, ref.name, err)
	}
	return doc, nil
}

// loadOne decodes the stored definition ref, which pick finds in the
// document decoded from it.
func loadOne[T any](db *database, ref defRef, pick func(*vpnxml.Document) []T) (*T, error) {
	doc, err := db.load(ref)
	if err != nil {
		return nil, err
	}
	defs := pick(doc)
	if len(defs) != 1 {
		return nil, fmt.Errorf("stored %s %q: %w", ref.kind, ref.name, errCorrupt)
	}
	return &defs[0], nil
}

// The definitions of each kind in a document, for loadOne.
func pickIKEProtections(d *vpnxml.Document) []vpnxml.IKEProtection     { return d.IKEProtections }
func pickIKEGroups(d *vpnxml.Document) []vpnxml.IKEGroup               { return d.IKEGroups }
func pickIKETunnels(d *vpnxml.Document) []vpnxml.IKETunnel             { return d.IKETunnels }
func pickIPSecProposals(d *vpnxml.Document) []vpnxml.IPSecProposal     { return d.IPSecProposals }
func pickIPSecProtections(d *vpnxml.Document) []vpnxml.IPSecProtection { return d.IPSecProtections }
func pickIPSecTunnels(d *vpnxml.Document) []vpnxml.IPSecTunnel         { return d.IPSecTunnels }

// scan calls fn with each stored definition of a kind, in store order;
// the record's XML is valid only during the call.
func (db *database) scan(kind string, fn func(name string, rec record) error) error {
	return db.vs.Scan(kind, func(name string, data []byte) error {
		rec, err := decodeRecord(data)
		if err != nil {
			return fmt.Errorf("%s %q: %w", kind, name, err)
		}
		return fn(name, rec)
	})
}

// scanXML calls fn with the XML of each stored definition of a kind, in
// store order; the XML is valid only during the call. It is scan for
// ikedb -g of whole kinds, which copies rows without looking at them.
func (db *database) scanXML(kind string, fn func(xml []byte)) error {
	return db.vs.ScanBytes(kind, func(name, data []byte) error {
		xml, err := recordXML(data)
		if err != nil {
			return fmt.Errorf("%s %q: %w", kind, name, err)
		}
		fn(xml)
		return nil
	})
}

// The database as vpnxml.Validate sees it.
func (db *database) HasIKEProtection(n string) bool   { return db.vs.Has(kindIKEProtection, n) }
func (db *database) HasIPSecProtection(n string) bool { return db.vs.Has(kindIPSecProtection, n) }
func (db *database) HasIPSecProposal(n string) bool   { return db.vs.Has(kindIPSecProposal, n) }
func (db *database) HasIKETunnel(n string) bool       { return db.vs.Has(kindIKETunnel, n) }
func (db *database) HasIKEGroup(n string) bool        { return db.vs.Has(kindIKEGroup, n) }
