package engine

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/store"
)

const (
	policyTable = "p1policy"
	kmcTable    = "kmc"
	globalKey   = "global"
)

// ScanPolicies calls fn for each phase 1 policy in rulebase order, decoding
// one row at a time so a large rulebase streams.
func (h *Host) ScanPolicies(fn func(*Phase1Policy) error) error {
	return h.b.Table(policyTable).Scan(func(_ store.Seq, raw []byte) error {
		p, err := decodeRow[Phase1Policy](raw)
		if err != nil {
			return err
		}
		return fn(p)
	})
}

// CountPolicies returns the number of phase 1 policies.
func (h *Host) CountPolicies() int { return h.b.Table(policyTable).Len() }

// PolicyByLabel returns the policy with exactly this label.
func (h *Host) PolicyByLabel(label string) (*Phase1Policy, error) {
	t := h.b.Table(policyTable)
	seq, ok := t.Lookup(label)
	if !ok {
		return nil, Errf(CodeNotFound, "no rule labelled %q", label)
	}
	p := new(Phase1Policy)
	if _, err := t.GetRow(seq, p); err != nil {
		return nil, fmt.Errorf("rule %q: %w", label, err)
	}
	return p, nil
}

// Global returns the global configuration of the last load.
func (h *Host) Global() (GlobalConfig, error) {
	var g GlobalConfig
	_, err := h.b.Get(globalKey, &g)
	return g, err
}

// ReplacePolicies replaces the policies of one origin (a Solaris
// configuration reload replaces the "solaris" rules) and the global
// configuration, keeping the other personality's definitions. A label
// taken by a kept policy fails the whole replace with EEXIST.
func (h *Host) ReplacePolicies(origin string, rules []Phase1Policy, g GlobalConfig) error {
	var kept []Phase1Policy
	err := h.ScanPolicies(func(p *Phase1Policy) error {
		if p.Origin != origin {
			kept = append(kept, *p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(kept) > 0 {
		taken := make(map[string]bool, len(kept))
		for _, p := range kept {
			taken[p.Label] = true
		}
		for _, p := range rules {
			if taken[p.Label] {
				return SysErr(EEXIST, fmt.Sprintf("rule label %q is taken by a %s definition", p.Label, origin))
			}
		}
	}
	h.tx.cache.dropPolicies(h.Info.Name)
	if err := h.b.DropTable(policyTable); err != nil {
		return err
	}
	if err := h.appendPolicies(append(kept, rules...)); err != nil {
		return err
	}
	return h.b.Put(globalKey, g)
}

// AppendPolicies appends rules; a label already in the rulebase fails the
// whole append with EEXIST. The recorded global values are replaced by
// those of the appended text, as a configuration parse resets them.
func (h *Host) AppendPolicies(rules []Phase1Policy, g GlobalConfig) error {
	t := h.b.Table(policyTable)
	for i := range rules {
		if _, dup := t.Lookup(rules[i].Label); dup {
			return SysErr(EEXIST, fmt.Sprintf("rule label %q already exists", rules[i].Label))
		}
	}
	if err := h.appendPolicies(rules); err != nil {
		return err
	}
	old, err := h.Global()
	if err != nil {
		return err
	}
	old.Recorded = g.Recorded
	old.CertRoot = append(old.CertRoot, g.CertRoot...)
	old.CertTrust = append(old.CertTrust, g.CertTrust...)
	return h.b.Put(globalKey, old)
}

func (h *Host) appendPolicies(rules []Phase1Policy) error {
	h.tx.cache.dropPolicies(h.Info.Name)
	t, err := h.b.CreateTable(policyTable)
	if err != nil {
		return err
	}
	kmc, err := h.kmcMap()
	if err != nil {
		return err
	}
	for i := range rules {
		p := &rules[i]
		if p.KMCookie, err = kmc.cookie(p.Label); err != nil {
			return err
		}
		seq, err := t.Append(p)
		if err != nil {
			return err
		}
		if err := t.SetIndex(p.Label, seq); err != nil {
			return err
		}
	}
	return kmc.save()
}

// RewritePolicy stores p over the policy of the same label, keeping its
// place in the rulebase, its key manager cookie and its tunnel number.
func (h *Host) RewritePolicy(p *Phase1Policy) error {
	t := h.b.Table(policyTable)
	seq, ok := t.Lookup(p.Label)
	if !ok {
		return Errf(CodeNotFound, "no rule labelled %q", p.Label)
	}
	old := new(Phase1Policy)
	if _, err := t.GetRow(seq, old); err != nil {
		return fmt.Errorf("rule %q: %w", p.Label, err)
	}
	h.tx.cache.dropPolicies(h.Info.Name)
	q := *p
	q.KMCookie = old.KMCookie
	return t.PutRow(seq, &q)
}

// DeletePolicy removes the policy with this label.
func (h *Host) DeletePolicy(label string) error {
	t := h.b.Table(policyTable)
	seq, ok := t.Lookup(label)
	if !ok {
		return Errf(CodeNotFound, "no rule labelled %q", label)
	}
	h.tx.cache.dropPolicies(h.Info.Name)
	if err := t.DeleteRow(seq); err != nil {
		return err
	}
	if err := t.DeleteIndex(label); err != nil {
		return err
	}
	if _, numbered := h.TunnelNumber(TunnelPhase1, label); numbered {
		return h.FreeTunnelNumber(TunnelPhase1, label)
	}
	return nil
}

// kmcMap assigns key-management cookies per distinct label; a label keeps
// its number across reloads, as Solaris's persistent kmc map does.
type kmcMap struct {
	t   *store.Table
	h   *Host
	max uint32
}

const kmcMaxKey = "kmc_max"

func (h *Host) kmcMap() (*kmcMap, error) {
	t, err := h.b.CreateTable(kmcTable)
	if err != nil {
		return nil, err
	}
	m := &kmcMap{t: t, h: h}
	_, err = h.b.Get(kmcMaxKey, &m.max)
	return m, err
}

func (m *kmcMap) cookie(label string) (uint32, error) {
	if seq, ok := m.t.Lookup(label); ok {
		return uint32(seq), nil
	}
	m.max++
	return m.max, m.t.SetIndex(label, store.Seq(m.max))
}

func (m *kmcMap) save() error { return m.h.b.Put(kmcMaxKey, m.max) }
