package ikedb

import (
	"errors"
	"fmt"
	"sort"

	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/proc"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/engine"
)

// putFile is ikedb -p: read the document (the file operand, else standard
// input), swap its identities for -s, then load it.
func (c *command) putFile() error {
	var opts vpnxml.DecodeOptions
	if c.o.entityFile != "" {
		eo, err := vpnxml.LoadEntityOptions(c.p.Path(c.o.entityFile))
		if err != nil {
			return entityError(c.o.entityFile, err)
		}
		opts = eo
	}
	src, err := c.openSource()
	if err != nil {
		return err
	}
	defer src.Close()
	return c.load(src, opts)
}

func entityError(name string, err error) error {
	var big *boundedio.TooLargeError
	if errors.As(err, &big) {
		return fail("%s: file is larger than the %s limit", name, boundedio.Size(big.Limit))
	}
	var xe *vpnxml.Error
	if errors.As(err, &xe) {
		return fail("entity file %s: %s", name, xe)
	}
	return fail("cannot open entity file %s: %s", name, proc.Strerror(err))
}

// xmlFailure renders document problems, one per line.
func xmlFailure(errs []*vpnxml.Error) error {
	f := &failure{}
	for _, e := range errs {
		f.lines = append(f.lines, e.Error())
	}
	return f
}

// put stores a document in one transaction, all or nothing: every problem
// (document errors, and names already in the database without -F) is
// reported before anything is written.
func (c *command) put(doc *vpnxml.Document, force bool) error {
	return c.lab.Host(func(h *engine.Host) error {
		db := openDatabase(h)
		defs := docDefs(doc)
		if errs := db.checkPut(doc, defs, force); len(errs) > 0 {
			return xmlFailure(errs)
		}
		if err := attachXML(doc, defs); err != nil {
			return err
		}
		replaced, err := db.store(defs)
		if err != nil {
			return err
		}
		return db.derive(doc, replaced)
	})
}

// checkPut validates doc against the database and adds the clashes:
// names already stored (unless force), and tunnel names another
// personality's policies already use (always).
func (db *database) checkPut(doc *vpnxml.Document, defs []docDef, force bool) []*vpnxml.Error {
	errs := vpnxml.Validate(doc, db)
	for i := range defs {
		if e := db.clash(&defs[i], force); e != nil {
			errs = append(errs, e)
		}
	}
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Line != errs[j].Line {
			return errs[i].Line < errs[j].Line
		}
		return errs[i].EntityLine < errs[j].EntityLine
	})
	return errs
}

func (db *database) clash(d *docDef, force bool) *vpnxml.Error {
	if d.ref.name == "" {
		return nil // Validate reports the missing name
	}
	if other := db.foreignOwner(d.ref); other != "" {
		return defError(d, fmt.Sprintf("%q is already the name of a %s", d.ref.name, other))
	}
	if force || !db.vs.Has(d.ref.kind, d.ref.name) {
		return nil
	}
	if d.ref.kind == kindPresharedKey {
		return defError(d, fmt.Sprintf("a key for %s is already in the database; use -F to replace it", d.ref.name))
	}
	return defError(d, fmt.Sprintf("%q is already in the database; use -F to replace it", d.ref.name))
}

// foreignOwner names what another personality defined under a tunnel's
// name: the engine policies share one name space per phase.
func (db *database) foreignOwner(ref defRef) string {
	switch ref.kind {
	case kindIKETunnel:
		if p, err := db.h.Policies().Phase1ByLabel(ref.name); err == nil && p.Origin != origin {
			return p.Origin + " phase 1 rule"
		}
	case kindIPSecTunnel:
		if p, err := db.h.Policies().Phase2ByName(ref.name); err == nil && p.Origin != origin {
			return p.Origin + " phase 2 policy"
		}
	}
	return ""
}

// defError is a problem with a definition, placed at its key.
func defError(d *docDef, msg string) *vpnxml.Error {
	pos := d.node.Pos
	if d.attr != "" {
		pos = d.node.PosOf(d.attr)
	}
	return &vpnxml.Error{Line: pos.Line, Entity: pos.Entity, EntityLine: pos.EntityLine,
		Element: d.elem, Attribute: d.attr, Msg: msg}
}

// store writes the definitions and returns those that replaced one.
func (db *database) store(defs []docDef) (map[defRef]bool, error) {
	all := make([]engine.VendorDef, len(defs))
	for i := range defs {
		d := &defs[i]
		all[i] = engine.VendorDef{Kind: d.ref.kind, Name: d.ref.name, Data: d.rec.encode()}
	}
	was, err := db.vs.PutAll(all)
	if err != nil {
		return nil, err
	}
	replaced := map[defRef]bool{}
	for i := range defs {
		if was[i] {
			replaced[defs[i].ref] = true
		}
	}
	return replaced, nil
}

// derive brings the engine's objects in line with a put: the policies of
// the document's tunnels, those of stored tunnels built from a definition
// the put replaced, and the document's keys.
func (db *database) derive(doc *vpnxml.Document, replaced map[defRef]bool) error {
	inDoc := map[defRef]bool{}
	for _, d := range docDefs(doc) {
		inDoc[d.ref] = true
	}
	p1, p2, err := db.dependents(inDoc, replaced)
	if err != nil {
		return err
	}
	r := newResolver(db, doc)
	p1 = append(pointers(doc.IKETunnels), p1...)
	p2 = append(pointers(doc.IPSecTunnels), p2...)
	if err := db.putPhase1(r, p1); err != nil {
		return err
	}
	if err := db.putPhase2(r, p2); err != nil {
		return err
	}
	touched := map[string]bool{}
	for _, t := range p1 {
		touched[t.Name] = true
	}
	for _, t := range p2 {
		touched[t.IKETunnelName] = true
	}
	if err := db.refreshP2Fields(touched); err != nil {
		return err
	}
	if err := db.dropEngineKeys(staleKeys(replaced)); err != nil {
		return err
	}
	return db.appendKeys(doc.PresharedKeys)
}

// refreshP2Fields brings the phase 2 fields of the AIX phase 1 policies
// labelled in labels in line with the phase 2 policies under them.
func (db *database) refreshP2Fields(labels map[string]bool) error {
	if len(labels) == 0 {
		return nil
	}
	first, err := db.firstPhase2(labels)
	if err != nil {
		return err
	}
	return db.rewriteP2Fields(sortedLabels(labels), first)
}

// firstPhase2 names the first phase 2 policy under each of labels.
func (db *database) firstPhase2(labels map[string]bool) (map[string]string, error) {
	first := map[string]string{}
	if len(labels) == 0 {
		return first, nil
	}
	err := db.h.Policies().ScanPhase2(func(q *engine.Phase2Policy) error {
		if _, ok := first[q.Phase1]; !ok && labels[q.Phase1] {
			first[q.Phase1] = q.Name
		}
		return nil
	})
	return first, err
}

func sortedLabels(labels map[string]bool) []string {
	names := make([]string, 0, len(labels))
	for l := range labels {
		names = append(names, l)
	}
	sort.Strings(names)
	return names
}

// rewriteP2Fields rewrites the phase 2 fields of the AIX phase 1
// policies labelled in labels from the phase 2 policy first names.
func (db *database) rewriteP2Fields(labels []string, first map[string]string) error {
	for _, label := range labels {
		p, err := db.h.Policies().Phase1ByLabel(label)
		if errors.Is(err, engine.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if p.Origin != origin {
			continue
		}
		var q *engine.Phase2Policy
		if name, ok := first[label]; ok {
			if q, err = db.h.Policies().Phase2ByName(name); err != nil {
				return err
			}
		}
		p2Fields(p, q)
		if err := db.h.Policies().RewritePhase1(p); err != nil {
			return err
		}
	}
	return nil
}

func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// putPhase1 stores the phase 1 policies of tunnels, each replacing its
// previous version, and numbers the new ones.
func (db *database) putPhase1(r *resolver, tunnels []*vpnxml.IKETunnel) error {
	if len(tunnels) == 0 {
		return nil
	}
	policies := make([]engine.Phase1Policy, len(tunnels))
	labels := make([]string, len(tunnels))
	for i, t := range tunnels {
		p, err := r.phase1Policy(t)
		if err != nil {
			return fmt.Errorf("IKETunnel %q: %w", t.Name, err)
		}
		if err := db.dropPhase1(t.Name); err != nil {
			return err
		}
		policies[i], labels[i] = p, t.Name
	}
	g, err := db.h.Policies().Global()
	if err != nil {
		return err
	}
	// Only Recorded is replaced by an append; passing the current values
	// leaves the other personality's configuration as it is.
	if err := db.h.Policies().AppendPhase1(policies, engine.GlobalConfig{Recorded: g.Recorded}); err != nil {
		return err
	}
	return db.h.Tunnels().Assign(engine.TunnelPhase1, labels)
}

// dropPhase1 deletes the AIX policy of a tunnel, if there is one.
func (db *database) dropPhase1(label string) error {
	p, err := db.h.Policies().Phase1ByLabel(label)
	switch {
	case errors.Is(err, engine.ErrNotFound):
		return nil
	case err != nil:
		return err
	case p.Origin != origin:
		return fail("%q is already the name of a %s phase 1 rule", label, p.Origin)
	}
	return db.h.Policies().DeletePhase1(label)
}

func (db *database) putPhase2(r *resolver, tunnels []*vpnxml.IPSecTunnel) error {
	if len(tunnels) == 0 {
		return nil
	}
	policies := make([]engine.Phase2Policy, len(tunnels))
	for i, t := range tunnels {
		p, err := r.phase2Policy(t)
		if err != nil {
			return fmt.Errorf("IPSecTunnel %q: %w", t.Name, err)
		}
		policies[i] = p
	}
	return db.h.Policies().PutPhase2(policies)
}

// appendKeys adds the engine keys of keys.
func (db *database) appendKeys(keys []vpnxml.IKEPresharedKey) error {
	out := make([]engine.PresharedKey, len(keys))
	for i := range keys {
		k, err := presharedKey(&keys[i])
		if err != nil {
			return err
		}
		out[i] = k
	}
	return db.h.Keys().Append(out)
}

// dropEngineKeys deletes the AIX engine keys for the given identities.
func (db *database) dropEngineKeys(ids map[string]bool) error {
	if len(ids) == 0 {
		return nil
	}
	var refs []engine.PSKRef
	err := db.h.Keys().Scan(func(ref engine.PSKRef, k *engine.PresharedKey) error {
		if k.Origin == origin && ids[engineKeyID(k)] {
			refs = append(refs, ref)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, ref := range refs {
		if err := db.h.Keys().Delete(ref); err != nil {
			return err
		}
	}
	return nil
}

// dependents returns the stored tunnels outside inDoc whose
// policies are built from a definition the put replaced: a protection, a
// group, or a proposal of a protection they use.
func (db *database) dependents(inDoc, replaced map[defRef]bool) (
	[]*vpnxml.IKETunnel, []*vpnxml.IPSecTunnel, error) {
	dirty := map[defRef]bool{}
	for ref := range replaced {
		switch ref.kind {
		case kindIKEProtection, kindIKEGroup, kindIPSecProtection, kindIPSecProposal:
			dirty[ref] = true
		}
	}
	if len(dirty) == 0 {
		return nil, nil, nil
	}
	if err := db.markReferrers(kindIPSecProtection, dirty); err != nil {
		return nil, nil, err
	}
	p1, err := loadReferrers(db, kindIKETunnel, dirty, inDoc, pickIKETunnels)
	if err != nil {
		return nil, nil, err
	}
	p2, err := loadReferrers(db, kindIPSecTunnel, dirty, inDoc, pickIPSecTunnels)
	return p1, p2, err
}

// markReferrers adds to dirty the definitions of a kind that refer to one
// already in it.
func (db *database) markReferrers(kind string, dirty map[defRef]bool) error {
	var found []defRef
	err := db.scan(kind, func(name string, rec record) error {
		if refersTo(rec, dirty) {
			found = append(found, defRef{kind, name})
		}
		return nil
	})
	for _, ref := range found {
		dirty[ref] = true
	}
	return err
}

func refersTo(rec record, set map[defRef]bool) bool {
	for _, r := range rec.refs {
		if set[r] {
			return true
		}
	}
	return false
}

// loadReferrers decodes the stored definitions of a kind that refer to
// one in dirty, leaving out those the document replaces.
func loadReferrers[T any](db *database, kind string, dirty, inDoc map[defRef]bool,
	pick func(*vpnxml.Document) []T) ([]*T, error) {
	var names []string
	err := db.scan(kind, func(name string, rec record) error {
		if !inDoc[defRef{kind, name}] && refersTo(rec, dirty) {
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(names))
	for i, name := range names {
		if out[i], err = loadOne(db, defRef{kind, name}, pick); err != nil {
			return nil, err
		}
	}
	return out, nil
}
