package ikedb

import (
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/pkg/engine"
)

// remove is ikedb -d: delete the selected definitions and the engine
// objects made from them, in one transaction. A definition that another
// one still refers to is not deleted (our choice: the database never
// holds a reference to nothing, so -g output always puts back); the
// message names the referrer to delete first.
func (c *command) remove() error {
	sel, err := c.selection()
	if err != nil {
		return err
	}
	return c.lab.Host(func(h *engine.Host) error {
		db := openDatabase(h)
		targets, err := db.selectRefs(sel)
		if err != nil {
			return err
		}
		if err := db.checkUnused(targets); err != nil {
			return err
		}
		return db.deleteDefs(targets)
	})
}

// checkUnused fails when a definition outside targets refers to one of
// them, naming the first such referrer of each.
func (db *database) checkUnused(targets []defRef) error {
	set := make(map[defRef]bool, len(targets))
	for _, t := range targets {
		set[t] = true
	}
	users := map[defRef]defRef{}
	for _, kind := range kinds() {
		err := db.scan(kind, func(name string, rec record) error {
			from := defRef{kind, name}
			for _, to := range rec.refs {
				if _, seen := users[to]; set[to] && !set[from] && !to.soft() && !seen {
					users[to] = from
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	f := &failure{}
	for _, t := range targets {
		if u, used := users[t]; used {
			f.lines = append(f.lines, fmt.Sprintf("%s %q is used by %s %q; delete that first", t.kind, t.name, u.kind, u.name))
		}
	}
	if len(f.lines) > 0 {
		return f
	}
	return nil
}

// deleteDefs deletes definitions with what the engine made of them.
func (db *database) deleteDefs(targets []defRef) error {
	keys := map[string]bool{}
	parents := map[string]bool{}
	for _, t := range targets {
		if t.kind == kindIPSecTunnel {
			if q, err := db.h.Policies().Phase2ByName(t.name); err == nil {
				parents[q.Phase1] = true
			}
		}
		if err := db.vs.Delete(t.kind, t.name); err != nil {
			return err
		}
		var err error
		switch t.kind {
		case kindIKETunnel:
			err = db.deletePhase1(t.name)
		case kindIPSecTunnel:
			err = db.deletePhase2(t.name)
		case kindPresharedKey:
			keys[t.name] = true
		}
		if err != nil {
			return err
		}
	}
	if err := db.refreshP2Fields(parents); err != nil {
		return err
	}
	return db.dropEngineKeys(keys)
}

// deletePhase1 deletes the AIX policy of a tunnel and frees its number.
// A rule of another personality that took the name since (after
// ikeadm del rule) is not AIX's to delete.
func (db *database) deletePhase1(label string) error {
	p, err := db.h.Policies().Phase1ByLabel(label)
	switch {
	case errors.Is(err, engine.ErrNotFound):
	case err != nil:
		return err
	case p.Origin != origin:
		return nil
	default:
		if err := db.h.Policies().DeletePhase1(label); err != nil {
			return err
		}
	}
	return db.h.Tunnels().Free(engine.TunnelPhase1, label)
}

func (db *database) deletePhase2(name string) error {
	err := db.h.Policies().DeletePhase2(name)
	if errors.Is(err, engine.ErrNotFound) {
		return db.h.Tunnels().Free(engine.TunnelPhase2, name)
	}
	return err
}

// expunge is ikedb -x: the whole IKE database goes, with every engine
// object made from it. What the other personality defined stays.
func (c *command) expunge() error {
	return c.lab.Host(func(h *engine.Host) error {
		db := openDatabase(h)
		labels, err := db.phase1Labels()
		if err != nil {
			return err
		}
		for _, label := range labels {
			if err := db.deletePhase1(label); err != nil {
				return err
			}
		}
		if err := h.Policies().DeletePhase2Origin(origin); err != nil {
			return err
		}
		if err := h.Keys().Replace(origin, nil); err != nil {
			return err
		}
		return db.vs.Clear()
	})
}

// phase1Labels lists the AIX phase 1 tunnels: those stored, and any AIX
// policy left without its definition.
func (db *database) phase1Labels() ([]string, error) {
	var labels []string
	seen := map[string]bool{}
	add := func(l string) {
		if !seen[l] {
			seen[l] = true
			labels = append(labels, l)
		}
	}
	err := db.vs.Scan(kindIKETunnel, func(name string, _ []byte) error {
		add(name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.h.Policies().ScanPhase1(func(p *engine.Phase1Policy) error {
		if p.Origin == origin {
			add(p.Label)
		}
		return nil
	})
	return labels, err
}
