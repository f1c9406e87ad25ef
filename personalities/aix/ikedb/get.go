package ikedb

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/engine"
)

// docVersion is the AIX_VPN Version that ikedb -g writes.
const docVersion = "2.0"

// selection is what -t, -n, -i and -y select.
type selection struct {
	kind  string // "": the whole database
	name  string // -n, or for a preshared key the key of -i
	match string // -i of a tunnel: the key of its remote identity
}

// all reports whether every definition of the kind is selected.
func (s selection) all() bool { return s.name == "" && s.match == "" }

// selection checks -t, -n, -i and -y.
func (c *command) selection() (selection, error) {
	o := c.o
	s := selection{kind: o.kind, name: o.name}
	if !o.given['t'] {
		return s, nil
	}
	if kindIndex(o.kind) < 0 {
		return s, fail("-t %s: unknown type; the types are %s", o.kind, strings.Join(kinds(), ", "))
	}
	keyed := o.kind == kindPresharedKey
	switch {
	case o.given['n'] && keyed:
		return s, fail("-n: %s definitions have no name; select one with -i ID -y ID-type", o.kind)
	case !o.given['i']:
		return s, nil
	case !keyed && o.kind != kindIKETunnel && o.kind != kindIPSecTunnel:
		return s, fail("-i: %s definitions are selected by name (-n name)", o.kind)
	}
	id, err := parseID(o.id, o.idType)
	if err != nil {
		return s, err
	}
	if keyed {
		s.name = idKey(&id)
	} else {
		s.match = idKey(&id)
	}
	return s, nil
}

// idTypes are the identity types -y accepts.
func idTypes() []vpnxml.IDType {
	return []vpnxml.IDType{vpnxml.IPv4Address, vpnxml.IPv6Address, vpnxml.IPv4Subnet, vpnxml.IPv6Subnet,
		vpnxml.IPv4AddressRange, vpnxml.IPv6AddressRange, vpnxml.FQDN, vpnxml.UserFQDN, vpnxml.X500DN, vpnxml.KeyID}
}

// parseID reads -i ID -y ID-type. A subnet is "address,netmask" and
// a range "from,to", as ike's remid= writes them.
func parseID(value, typ string) (vpnxml.ID, error) {
	id := vpnxml.ID{Type: vpnxml.IDType(typ)}
	names := make([]string, 0, 10)
	known := false
	for _, t := range idTypes() {
		names = append(names, string(t))
		known = known || t == id.Type
	}
	if !known {
		return id, fail("-y %s: unknown ID type; the ID types are %s", typ, strings.Join(names, ", "))
	}
	if !id.Type.IsAddress() {
		id.Text = value
		if value == "" {
			return id, fail("-i: empty %s", typ)
		}
		return id, nil
	}
	if !parseAddrs(&id, value) {
		return id, fail("-i %s: not a valid %s", value, typ)
	}
	return id, nil
}

// parseAddrs fills the addresses of an address identity from -i.
func parseAddrs(id *vpnxml.ID, value string) bool {
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
func (c *command) get() error {
	sel, err := c.selection()
	if err != nil {
		return err
	}
	return c.lab.View(func(tx *engine.Tx) error {
		h, err := tx.Host(c.lab.HostName)
		if err != nil {
			return err
		}
		db := openDatabase(h)
		out := newOutput(c.p.Stdout)
		if err := db.write(out, sel, c.o.recursive); err != nil {
			return err
		}
		return out.end()
	})
}

// write writes the selection, and with recursive everything it refers to.
func (db *database) write(out *output, sel selection, recursive bool) error {
	switch {
	case sel.kind == "":
		return db.writeKinds(out, kinds(), nil)
	case recursive:
		refs, err := db.selectRefs(sel)
		if err != nil {
			return err
		}
		set, err := db.closure(refs)
		if err != nil {
			return err
		}
		return db.writeKinds(out, kinds(), set)
	case sel.all():
		return db.writeKinds(out, []string{sel.kind}, nil)
	case sel.match != "":
		return db.writeMatching(out, sel)
	}
	rec, err := db.record(defRef{sel.kind, sel.name})
	if errors.Is(err, engine.ErrNotFound) {
		return notFound(sel)
	}
	if err != nil {
		return err
	}
	out.add(rec.xml)
	return nil
}

// writeKinds copies the stored definitions of each kind in store order;
// with a set, only those in it.
func (db *database) writeKinds(out *output, kinds []string, set map[defRef]bool) error {
	for _, k := range kinds {
		if set == nil {
			if err := db.scanXML(k, out.add); err != nil {
				return err
			}
			continue
		}
		err := db.scan(k, func(name string, rec record) error {
			if set == nil || set[defRef{k, name}] {
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
func (db *database) writeMatching(out *output, sel selection) error {
	n := 0
	err := db.scan(sel.kind, func(_ string, rec record) error {
		if rec.remote == sel.match {
			out.add(rec.xml)
			n++
		}
		return nil
	})
	if err == nil && n == 0 {
		return notFound(sel)
	}
	return err
}

func notFound(sel selection) error {
	switch {
	case sel.match != "":
		return fail("no %s with remote identity %s in the database", sel.kind, sel.match)
	case sel.kind == kindPresharedKey:
		return fail("no %s for %s in the database", sel.kind, sel.name)
	}
	return fail("%s %q is not in the database", sel.kind, sel.name)
}

// selectRefs lists the definitions a selection names; naming one that is
// not stored is an error, a kind with no definitions is not.
func (db *database) selectRefs(sel selection) ([]defRef, error) {
	if !sel.all() && sel.match == "" {
		if !db.vs.Has(sel.kind, sel.name) {
			return nil, notFound(sel)
		}
		return []defRef{{sel.kind, sel.name}}, nil
	}
	var refs []defRef
	err := db.scan(sel.kind, func(name string, rec record) error {
		if sel.match == "" || rec.remote == sel.match {
			refs = append(refs, defRef{sel.kind, name})
		}
		return nil
	})
	if err == nil && sel.match != "" && len(refs) == 0 {
		return nil, notFound(sel)
	}
	return refs, err
}

// closure is start plus everything it refers to, directly or not. A soft
// reference to nothing is skipped.
func (db *database) closure(start []defRef) (map[defRef]bool, error) {
	set := map[defRef]bool{}
	queue := append([]defRef(nil), start...)
	for len(queue) > 0 {
		ref := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if set[ref] {
			continue
		}
		rec, err := db.record(ref)
		if errors.Is(err, engine.ErrNotFound) && ref.soft() {
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

// output writes stored definitions inside the root element, which it
// takes from vpnxml's Writer so the two layouts cannot differ. The root's
// start tag waits for the first definition: an empty database is the
// empty element.
type output struct {
	w           *bufio.Writer
	open, empty string
	started     bool
}

func newOutput(w io.Writer) *output {
	var b bytes.Buffer
	_ = vpnxml.Write(&b, &vpnxml.Document{Version: docVersion}) // a bytes.Buffer does not fail
	empty := b.String()
	return &output{w: bufio.NewWriterSize(w, 64<<10), empty: empty,
		open: strings.TrimSuffix(empty, "/>\n") + ">\n"}
}

func (o *output) add(xml []byte) {
	if !o.started {
		o.w.WriteString(o.open)
		o.started = true
	}
	o.w.Write(xml)
}

func (o *output) end() error {
	if o.started {
		o.w.WriteString("</AIX_VPN>\n")
	} else {
		o.w.WriteString(o.empty)
	}
	return o.w.Flush()
}
