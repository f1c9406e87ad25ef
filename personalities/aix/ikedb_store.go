package aix

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

const ikedbVendor = "aix"

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

// ikedbKinds lists the kinds in the order ikedb -g writes them, which is
// the order of vpnxml's Writer: what is referred to before what refers
// to it.
func ikedbKinds() []string {
	return []string{kindIKEProtection, kindIKEGroup, kindIKETunnel, kindPresharedKey,
		kindIPSecProposal, kindIPSecProtection, kindIPSecTunnel}
}

func dbKindIndex(kind string) int {
	for i, k := range ikedbKinds() {
		if k == kind {
			return i
		}
	}
	return -1
}

// dbRef names one definition.
type dbRef struct{ kind, name string }

// soft reports whether a reference may name nothing: a tunnel refers to
// the preshared key of its remote identity if there is one, for -g -r,
// but does not need it.
func (r dbRef) soft() bool { return r.kind == kindPresharedKey }

// dbRecord is one stored definition.
type dbRecord struct {
	remote string  // a tunnel's remote identity key; "" for a group or another kind
	refs   []dbRef // the definitions it refers to
	xml    []byte  // the definition in the -g layout
}

func (r *dbRecord) encode() []byte {
	b := make([]byte, 0, 64+len(r.xml))
	b = dbAppendString(b, r.remote)
	b = binary.AppendUvarint(b, uint64(len(r.refs)))
	for _, ref := range r.refs {
		b = append(b, byte(dbKindIndex(ref.kind)))
		b = dbAppendString(b, ref.name)
	}
	return append(b, r.xml...)
}

func dbAppendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errIkedbCorrupt = errors.New("corrupt ikedb record")

// dbDecodeRecord reads a stored row. xml points into data.
func dbDecodeRecord(data []byte) (dbRecord, error) {
	var r dbRecord
	var ok bool
	if r.remote, data, ok = dbCutString(data); !ok {
		return r, errIkedbCorrupt
	}
	n, k := binary.Uvarint(data)
	if k <= 0 || n > uint64(len(data)) {
		return r, errIkedbCorrupt
	}
	data = data[k:]
	r.refs = make([]dbRef, n)
	kinds := ikedbKinds()
	for i := range r.refs {
		if len(data) == 0 || int(data[0]) >= len(kinds) {
			return r, errIkedbCorrupt
		}
		r.refs[i].kind = kinds[data[0]]
		if r.refs[i].name, data, ok = dbCutString(data[1:]); !ok {
			return r, errIkedbCorrupt
		}
	}
	r.xml = data
	return r, nil
}

func dbCutString(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", nil, false
	}
	return string(b[k : k+int(n)]), b[k+int(n):], true
}

// ikedbIDKey is the key of an identity: its element name and its values as
// -i takes them ("IPV4_Subnet 10.1.1.0,255.255.255.0"). A preshared key
// is stored under the key of its identity; a group reference has none.
func ikedbIDKey(id *vpnxml.ID) string {
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

// dbDef is one definition of a document on its way into the store, with
// where its key was read (for clash messages).
type dbDef struct {
	ref        dbRef
	rec        dbRecord
	node       *vpnxml.Node
	elem, attr string // the element and attribute holding the key
}

func dbRefIf(kind, name string) []dbRef {
	if name == "" {
		return nil
	}
	return []dbRef{{kind, name}}
}

// dbRemoteRefs are what a tunnel's remote identity refers to: its group, or
// (phase 1 only) the preshared key for it.
func dbRemoteRefs(id *vpnxml.ID, phase1 bool) []dbRef {
	switch {
	case id.Type == vpnxml.GroupRef:
		return dbRefIf(kindIKEGroup, id.Text)
	case phase1:
		return dbRefIf(kindPresharedKey, ikedbIDKey(id))
	}
	return nil
}

// dbDocDefs lists the definitions of doc in the order the Writer writes
// them, each with its references.
func dbDocDefs(doc *vpnxml.Document) []dbDef {
	return dbPhase2Defs(doc, dbPhase1Defs(doc, nil))
}

// dbPhase1Defs appends the protections, groups, tunnels and keys of phase 1.
func dbPhase1Defs(doc *vpnxml.Document, defs []dbDef) []dbDef {
	for i := range doc.IKEProtections {
		p := &doc.IKEProtections[i]
		defs = append(defs, dbDef{ref: dbRef{kindIKEProtection, p.Name}, node: &p.Node, elem: kindIKEProtection,
			attr: "IKE_ProtectionName", rec: dbRecord{refs: dbRefIf(kindIPSecProtection, p.DefaultProtectionRef)}})
	}
	for i := range doc.IKEGroups {
		g := &doc.IKEGroups[i]
		var refs []dbRef
		for j := range g.Members {
			refs = append(refs, dbRefIf(kindPresharedKey, ikedbIDKey(&g.Members[j]))...)
		}
		defs = append(defs, dbDef{ref: dbRef{kindIKEGroup, g.Name}, node: &g.Node, elem: kindIKEGroup,
			attr: "IKE_GroupName", rec: dbRecord{refs: refs}})
	}
	for i := range doc.IKETunnels {
		t := &doc.IKETunnels[i]
		refs := append(dbRefIf(kindIKEProtection, t.ProtectionRef), dbRemoteRefs(&t.Remote.ID, true)...)
		defs = append(defs, dbDef{ref: dbRef{kindIKETunnel, t.Name}, node: &t.Node, elem: kindIKETunnel,
			attr: "IKE_TunnelName", rec: dbRecord{remote: ikedbIDKey(&t.Remote.ID), refs: refs}})
	}
	for i := range doc.PresharedKeys {
		id := &doc.PresharedKeys[i].Identity.ID
		defs = append(defs, dbDef{ref: dbRef{kindPresharedKey, ikedbIDKey(id)}, node: &id.Node, elem: "PresharedKeyIdentity"})
	}
	return defs
}

// dbPhase2Defs appends the proposals, protections and tunnels of phase 2.
func dbPhase2Defs(doc *vpnxml.Document, defs []dbDef) []dbDef {
	for i := range doc.IPSecProposals {
		p := &doc.IPSecProposals[i]
		defs = append(defs, dbDef{ref: dbRef{kindIPSecProposal, p.Name}, node: &p.Node, elem: kindIPSecProposal,
			attr: "IPSec_ProposalName"})
	}
	for i := range doc.IPSecProtections {
		p := &doc.IPSecProtections[i]
		var refs []dbRef
		for _, name := range p.ProposalRefs {
			refs = append(refs, dbRef{kindIPSecProposal, name})
		}
		defs = append(defs, dbDef{ref: dbRef{kindIPSecProtection, p.Name}, node: &p.Node, elem: kindIPSecProtection,
			attr: "IPSec_ProtectionName", rec: dbRecord{refs: refs}})
	}
	for i := range doc.IPSecTunnels {
		t := &doc.IPSecTunnels[i]
		refs := append(dbRefIf(kindIKETunnel, t.IKETunnelName), dbRefIf(kindIPSecProtection, t.ProtectionRef)...)
		refs = append(refs, dbRemoteRefs(&t.Remote.ID, false)...)
		defs = append(defs, dbDef{ref: dbRef{kindIPSecTunnel, t.Name}, node: &t.Node, elem: kindIPSecTunnel,
			attr: "IPSec_TunnelName", rec: dbRecord{remote: ikedbIDKey(&t.Remote.ID), refs: refs}})
	}
	return defs
}

// dbAttachXML writes doc in the -g layout and gives each definition its
// part of the output. The Writer puts every top-level element's start tag
// at the start of a line indented by exactly two spaces and escapes line
// ends inside values, so those lines are where one definition ends and
// the next begins.
func dbAttachXML(doc *vpnxml.Document, defs []dbDef) error {
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

// dbDecodeFragment reads one stored definition back into a document that
// holds only it.
func dbDecodeFragment(xml []byte) (*vpnxml.Document, error) {
	r := io.MultiReader(strings.NewReader("<AIX_VPN>\n"), bytes.NewReader(xml), strings.NewReader("</AIX_VPN>\n"))
	return vpnxml.Decode(r, vpnxml.DecodeOptions{})
}

// ikedbDB is the IKE database of one host within a transaction.
type ikedbDB struct {
	h  *engine.Host
	vs *engine.VendorStore
}

func openIkedbDB(h *engine.Host) *ikedbDB {
	return &ikedbDB{h: h, vs: h.VendorStore(ikedbVendor)}
}

// record returns a stored definition, with a copy of its XML.
func (db *ikedbDB) record(ref dbRef) (dbRecord, error) {
	data, err := db.vs.Get(ref.kind, ref.name)
	if err != nil {
		return dbRecord{}, err
	}
	rec, err := dbDecodeRecord(data)
	if err != nil {
		return rec, fmt.Errorf("%s %q: %w", ref.kind, ref.name, err)
	}
	return rec, nil
}

// load decodes a stored definition.
func (db *ikedbDB) load(ref dbRef) (*vpnxml.Document, error) {
	rec, err := db.record(ref)
	if err != nil {
		return nil, err
	}
	doc, err := dbDecodeFragment(rec.xml)
	if err != nil {
		return nil, fmt.Errorf("stored %s %q: %w", ref.kind, ref.name, err)
	}
	return doc, nil
}

// dbLoadOne decodes the stored definition ref, which pick finds in the
// document decoded from it.
func dbLoadOne[T any](db *ikedbDB, ref dbRef, pick func(*vpnxml.Document) []T) (*T, error) {
	doc, err := db.load(ref)
	if err != nil {
		return nil, err
	}
	defs := pick(doc)
	if len(defs) != 1 {
		return nil, fmt.Errorf("stored %s %q: %w", ref.kind, ref.name, errIkedbCorrupt)
	}
	return &defs[0], nil
}

// The definitions of each kind in a document, for dbLoadOne.
func dbIKEProtections(d *vpnxml.Document) []vpnxml.IKEProtection     { return d.IKEProtections }
func dbIKEGroups(d *vpnxml.Document) []vpnxml.IKEGroup               { return d.IKEGroups }
func dbIKETunnels(d *vpnxml.Document) []vpnxml.IKETunnel             { return d.IKETunnels }
func dbIPSecProposals(d *vpnxml.Document) []vpnxml.IPSecProposal     { return d.IPSecProposals }
func dbIPSecProtections(d *vpnxml.Document) []vpnxml.IPSecProtection { return d.IPSecProtections }
func dbIPSecTunnels(d *vpnxml.Document) []vpnxml.IPSecTunnel         { return d.IPSecTunnels }

// scan calls fn with each stored definition of a kind, in store order;
// the record's XML is valid only during the call.
func (db *ikedbDB) scan(kind string, fn func(name string, rec dbRecord) error) error {
	return db.vs.Scan(kind, func(name string, data []byte) error {
		rec, err := dbDecodeRecord(data)
		if err != nil {
			return fmt.Errorf("%s %q: %w", kind, name, err)
		}
		return fn(name, rec)
	})
}

// The database as vpnxml.Validate sees it.
func (db *ikedbDB) HasIKEProtection(n string) bool   { return db.vs.Has(kindIKEProtection, n) }
func (db *ikedbDB) HasIPSecProtection(n string) bool { return db.vs.Has(kindIPSecProtection, n) }
func (db *ikedbDB) HasIPSecProposal(n string) bool   { return db.vs.Has(kindIPSecProposal, n) }
func (db *ikedbDB) HasIKETunnel(n string) bool       { return db.vs.Has(kindIKETunnel, n) }
func (db *ikedbDB) HasIKEGroup(n string) bool        { return db.vs.Has(kindIKEGroup, n) }
