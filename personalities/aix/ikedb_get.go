package aix

import (
	"bufio"
	"bytes"
	"io"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/engine"
)

// ikedbVersion is the AIX_VPN Version that ikedb -g writes.
const ikedbVersion = "2.0"

// ikedbSelection is what -t, -n, -i and -y select.
type ikedbSelection struct {
	kind  string // "": the whole database
	name  string // -n, or for a preshared key the key of -i
	match string // -i of a tunnel: the key of its remote identity
}

// all reports whether every definition of the kind is selected.
func (s ikedbSelection) all() bool { return s.name == "" && s.match == "" }

// selection checks -t, -n, -i and -y.
func (c *ikedbCmd) selection() (ikedbSelection, error) {
	o := c.o
	s := ikedbSelection{kind: o.kind, name: o.name}
	if !o.given['t'] {
		return s, nil
	}
	if dbKindIndex(o.kind) < 0 {
		return s, ikedbFail("-t %s: unknown type; the types are %s", o.kind, strings.Join(ikedbKinds(), ", "))
	}
	keyed := o.kind == kindPresharedKey
	switch {
	case o.given['n'] && keyed:
		return s, ikedbFail("-n: %s definitions have no name; select one with -i ID -y ID-type", o.kind)
	case !o.given['i']:
		return s, nil
	case !keyed && o.kind != kindIKETunnel && o.kind != kindIPSecTunnel:
		return s, ikedbFail("-i: %s definitions are selected by name (-n name)", o.kind)
	}
	id, err := parseIkedbID(o.id, o.idType)
	if err != nil {
		return s, err
	}
	if keyed {
		s.name = ikedbIDKey(&id)
	} else {
		s.match = ikedbIDKey(&id)
	}
	return s, nil
}

// ikedbIDTypes are the identity types -y accepts.
func ikedbIDTypes() []vpnxml.IDType {
	return []vpnxml.IDType{vpnxml.IPv4Address, vpnxml.IPv6Address, vpnxml.IPv4Subnet, vpnxml.IPv6Subnet,
		vpnxml.IPv4AddressRange, vpnxml.IPv6AddressRange, vpnxml.FQDN, vpnxml.UserFQDN, vpnxml.X500DN, vpnxml.KeyID}
}

// parseIkedbID reads -i ID -y ID-type. A subnet is "address,netmask" and
// a range "from,to", as ike's remid= writes them.
func parseIkedbID(value, typ string) (vpnxml.ID, error) {
	id := vpnxml.ID{Type: vpnxml.IDType(typ)}
	names := make([]string, 0, 10)
	known := false
	for _, t := range ikedbIDTypes() {
		names = append(names, string(t))
		known = known || t == id.Type
	}
	if !known {
		return id, ikedbFail("-y %s: unknown ID type; the ID types are %s", typ, strings.Join(names, ", "))
	}
	if !id.Type.IsAddress() {
		id.Text = value
		if value == "" {
			return id, ikedbFail("-i: empty %s", typ)
		}
		return id, nil
	}
	if !ikedbParseAddrs(&id, value) {
		return id, ikedbFail("-i %s: not a valid %s", value, typ)
	}
	return id, nil
}

// ikedbParseAddrs fills the addresses of an address identity from -i.
func ikedbParseAddrs(id *vpnxml.ID, value string) bool {
	v6 := id.Type.IsIPv6()
	parse := func(s string) (netip.Addr, bool) {
		a, err := netip.ParseAddr(s)
		return a, err == nil && a.Zone() == "" && a.Is6() == v6
	}
	first, second, two := strings.Cut(value, ",")
	var ok1, ok2 bool
	id.Addr, ok1 = parse(first)
	switch id.Type {
	case vpnxml.IPv4Subnet, vpnxml.IPv6Subnet:
		id.Mask, ok2 = parse(second)
		return ok1 && two && ok2
	case vpnxml.IPv4AddressRange, vpnxml.IPv6AddressRange:
		id.To, ok2 = parse(second)
		return ok1 && two && ok2
	}
	return ok1 && !two
}

// get is ikedb -g: stored definitions to standard output, streamed.
func (c *ikedbCmd) get() error {
	sel, err := c.selection()
	if err != nil {
		return err
	}
	return c.lab.View(func(tx *engine.Tx) error {
		h, err := tx.Host(c.lab.HostName)
		if err != nil {
			return err
		}
		db := openIkedbDB(h)
		out := newIkedbOut(c.p.Stdout)
		if err := db.write(out, sel, c.o.recursive); err != nil {
			return err
		}
		return out.end()
	})
}

// write writes the selection, and with recursive everything it refers to.
func (db *ikedbDB) write(out *ikedbOut, sel ikedbSelection, recursive bool) error {
	switch {
	case sel.kind == "":
		return db.writeKinds(out, ikedbKinds(), nil)
	case recursive:
		refs, err := db.selectRefs(sel)
		if err != nil {
			return err
		}
		set, err := db.closure(refs)
		if err != nil {
			return err
		}
		return db.writeKinds(out, ikedbKinds(), set)
	case sel.all():
		return db.writeKinds(out, []string{sel.kind}, nil)
	case sel.match != "":
		return db.writeMatching(out, sel)
	}
	rec, err := db.record(dbRef{sel.kind, sel.name})
	if engine.CodeOf(err) == engine.CodeNotFound {
		return ikedbNotFound(sel)
	}
	if err != nil {
		return err
	}
	out.add(rec.xml)
	return nil
}

// writeKinds copies the stored definitions of each kind in store order;
// with a set, only those in it.
func (db *ikedbDB) writeKinds(out *ikedbOut, kinds []string, set map[dbRef]bool) error {
	for _, k := range kinds {
		err := db.scan(k, func(name string, rec dbRecord) error {
			if set == nil || set[dbRef{k, name}] {
				out.add(rec.xml)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// writeMatching writes the tunnels whose remote identity is -i's.
func (db *ikedbDB) writeMatching(out *ikedbOut, sel ikedbSelection) error {
	n := 0
	err := db.scan(sel.kind, func(_ string, rec dbRecord) error {
		if rec.remote == sel.match {
			out.add(rec.xml)
			n++
		}
		return nil
	})
	if err == nil && n == 0 {
		return ikedbNotFound(sel)
	}
	return err
}

func ikedbNotFound(sel ikedbSelection) error {
	switch {
	case sel.match != "":
		return ikedbFail("no %s with remote identity %s in the database", sel.kind, sel.match)
	case sel.kind == kindPresharedKey:
		return ikedbFail("no %s for %s in the database", sel.kind, sel.name)
	}
	return ikedbFail("%s %q is not in the database", sel.kind, sel.name)
}

// selectRefs lists the definitions a selection names; naming one that is
// not stored is an error, a kind with no definitions is not.
func (db *ikedbDB) selectRefs(sel ikedbSelection) ([]dbRef, error) {
	if !sel.all() && sel.match == "" {
		if !db.vs.Has(sel.kind, sel.name) {
			return nil, ikedbNotFound(sel)
		}
		return []dbRef{{sel.kind, sel.name}}, nil
	}
	var refs []dbRef
	err := db.scan(sel.kind, func(name string, rec dbRecord) error {
		if sel.match == "" || rec.remote == sel.match {
			refs = append(refs, dbRef{sel.kind, name})
		}
		return nil
	})
	if err == nil && sel.match != "" && len(refs) == 0 {
		return nil, ikedbNotFound(sel)
	}
	return refs, err
}

// closure is start plus everything it refers to, directly or not. A soft
// reference to nothing is skipped.
func (db *ikedbDB) closure(start []dbRef) (map[dbRef]bool, error) {
	set := map[dbRef]bool{}
	queue := append([]dbRef(nil), start...)
	for len(queue) > 0 {
		ref := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if set[ref] {
			continue
		}
		rec, err := db.record(ref)
		if engine.CodeOf(err) == engine.CodeNotFound && ref.soft() {
			continue
		}
		if err != nil {
			return nil, err
		}
		set[ref] = true
		queue = append(queue, rec.refs...)
	}
	return set, nil
}

// ikedbOut writes stored definitions inside the root element, which it
// takes from vpnxml's Writer so the two layouts cannot differ. The root's
// start tag waits for the first definition: an empty database is the
// empty element.
type ikedbOut struct {
	w           *bufio.Writer
	open, empty string
	started     bool
}

func newIkedbOut(w io.Writer) *ikedbOut {
	var b bytes.Buffer
	_ = vpnxml.Write(&b, &vpnxml.Document{Version: ikedbVersion}) // a bytes.Buffer does not fail
	empty := b.String()
	return &ikedbOut{w: bufio.NewWriterSize(w, 64<<10), empty: empty,
		open: strings.TrimSuffix(empty, "/>\n") + ">\n"}
}

func (o *ikedbOut) add(xml []byte) {
	if !o.started {
		o.w.WriteString(o.open)
		o.started = true
	}
	o.w.Write(xml)
}

func (o *ikedbOut) end() error {
	if o.started {
		o.w.WriteString("</AIX_VPN>\n")
	} else {
		o.w.WriteString(o.empty)
	}
	return o.w.Flush()
}
