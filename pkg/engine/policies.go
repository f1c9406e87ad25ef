package engine

import (
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/store"
)

// Policies is a host's IKE policy: phase 1 policies (rules) with the
// global configuration, and phase 2 policies.
type Policies struct{ h *Host }

// Policies is the host's policies.
func (h *Host) Policies() Policies { return Policies{h} }

// Phase1For returns the first rule whose local and remote address ranges
// hold the pair, or nil.
func (v Policies) Phase1For(local, remote netip.Addr) (*Phase1Policy, error) {
	rb, err := v.cachedPhase1()
	if err != nil {
		return nil, err
	}
	i := rb.byLocal.first(local, func(i int) bool {
		p := rb.rules[i]
		return inRanges(p.LocalAddrs, local) && inRanges(p.RemoteAddrs, remote)
	})
	if i < 0 {
		return nil, nil
	}
	return rb.rules[i], nil
}

// Phase1Rules are the phase 1 policies in order, as ScanPhase1 gives
// them, decoded once per transaction and shared with Phase1For: the
// caller must not change them.
func (v Policies) Phase1Rules() ([]*Phase1Policy, error) {
	rb, err := v.cachedPhase1()
	if err != nil {
		return nil, err
	}
	return rb.rules, nil
}

// rulebase is a host's phase 1 rules, decoded, in order, with an index
// by the local addresses each holds.
type rulebase struct {
	rules   []*Phase1Policy
	byLocal addrIndex
}

// cachedPhase1 decodes the rulebase once per transaction.
func (v Policies) cachedPhase1() (*rulebase, error) {
	if rb, ok := v.h.tx.cache.policies[v.h.Info.Name]; ok {
		return rb, nil
	}
	rb := &rulebase{rules: []*Phase1Policy{}}
	err := v.ScanPhase1(func(p *Phase1Policy) error {
		addrs, exact := singleAddrs(p.LocalAddrs)
		rb.byLocal.add(len(rb.rules), addrs, exact)
		rb.rules = append(rb.rules, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if v.h.tx.cache.policies == nil {
		v.h.tx.cache.policies = map[string]*rulebase{}
	}
	v.h.tx.cache.policies[v.h.Info.Name] = rb
	return rb, nil
}

// ScanPhase2 calls fn for each phase 2 policy in the order they
// were first stored, decoding one row at a time.
func (v Policies) ScanPhase2(fn func(*Phase2Policy) error) error {
	ps := phase2Policies()
	return ps.scan(ps.of(v.h), func(_ store.Seq, p *Phase2Policy) error { return fn(p) })
}

// Phase2ByName returns the phase 2 policy with this name.
func (v Policies) Phase2ByName(name string) (*Phase2Policy, error) {
	ps := phase2Policies()
	t := ps.of(v.h)
	seq, ok, err := t.Lookup(name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf(ErrNotFound, "no phase 2 policy named %q", name)
	}
	p, err := ps.get(t, seq)
	if err != nil {
		return nil, fmt.Errorf("phase 2 policy %q: %w", name, err)
	}
	if p == nil {
		return nil, errorf(ErrNotFound, "no phase 2 policy named %q", name)
	}
	return p, nil
}

// PutPhase2 stores policies, each replacing the one of the same
// name in place. A name held by another origin's policy fails the whole
// put with ErrDuplicate. Each new policy gets the lowest unused phase 2 tunnel
// number; a replaced one keeps its number.
func (v Policies) PutPhase2(ps []Phase2Policy) error {
	t, err := v.h.b.CreateTable(phase2Table)
	if err != nil {
		return err
	}
	names := make([]string, len(ps))
	added := map[string]store.Seq{}
	var index []store.IndexEntry
	for i := range ps {
		if err := putPhase2(t, &ps[i], added, &index); err != nil {
			return err
		}
		names[i] = ps[i].Name
	}
	if err := t.SetIndexes(index); err != nil {
		return err
	}
	return v.h.Tunnels().Assign(TunnelPhase2, names)
}

// DeletePhase2 removes the phase 2 policy with this name and frees
// its tunnel number.
func (v Policies) DeletePhase2(name string) error {
	t := v.h.b.Table(phase2Table)
	seq, ok, err := t.Lookup(name)
	if err != nil {
		return err
	}
	if !ok {
		return errorf(ErrNotFound, "no phase 2 policy named %q", name)
	}
	if err := t.DeleteRow(seq); err != nil {
		return err
	}
	if err := t.DeleteIndex(name); err != nil {
		return err
	}
	return v.h.Tunnels().Free(TunnelPhase2, name)
}

// DeletePhase2Origin removes every phase 2 policy of one origin.
func (v Policies) DeletePhase2Origin(origin string) error {
	var names []string
	err := v.ScanPhase2(func(p *Phase2Policy) error {
		if p.Origin == origin {
			names = append(names, p.Name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := v.DeletePhase2(n); err != nil {
			return err
		}
	}
	return nil
}

// ScanPhase1 calls fn for each phase 1 policy in rulebase order, decoding
// one row at a time so a large rulebase streams.
func (v Policies) ScanPhase1(fn func(*Phase1Policy) error) error {
	ps := phase1Policies()
	return ps.scan(ps.of(v.h), func(_ store.Seq, p *Phase1Policy) error { return fn(p) })
}

// ScanPhase1Outlines calls fn with the outline of each phase 1 policy,
// numbered, in rulebase order: what a listing of every definition
// shows, read without decoding the records (policyoutline.go) and
// numbered without a lookup per policy (rowNumbers). fn must
// keep nothing of the outline past its return.
func (v Policies) ScanPhase1Outlines(fn func(*Phase1Outline) error) error {
	t := phase1Policies().of(v.h)
	nums, err := v.h.Tunnels().rowNumbersOf(TunnelPhase1, t)
	if err != nil {
		return err
	}
	o := new(Phase1Outline)
	return t.Scan(func(s store.Seq, raw []byte) error {
		if err := readPhase1Outline(o, raw); err != nil {
			return fmt.Errorf("%w: %w", ErrDamaged, err)
		}
		if o.Number, o.Numbered, o.Matched, err = nums.number(s, o.Label); err != nil {
			return err
		}
		return fn(o)
	})
}

// ScanPhase2Outlines is ScanPhase1Outlines of the phase 2 policies.
func (v Policies) ScanPhase2Outlines(fn func(*Phase2Outline) error) error {
	t := phase2Policies().of(v.h)
	nums, err := v.h.Tunnels().rowNumbersOf(TunnelPhase2, t)
	if err != nil {
		return err
	}
	o := new(Phase2Outline)
	return t.Scan(func(s store.Seq, raw []byte) error {
		if err := readPhase2Outline(o, raw); err != nil {
			return fmt.Errorf("%w: %w", ErrDamaged, err)
		}
		if o.Number, o.Numbered, _, err = nums.number(s, o.Name); err != nil {
			return err
		}
		return fn(o)
	})
}

// CountPhase2 returns the number of phase 2 policies.
func (v Policies) CountPhase2() int { return phase2Policies().of(v.h).Len() }

// CountPhase1 returns the number of phase 1 policies.
func (v Policies) CountPhase1() int { return v.h.b.Table(policyTable).Len() }

// Phase1ByLabel returns the policy with exactly this label.
func (v Policies) Phase1ByLabel(label string) (*Phase1Policy, error) {
	ps := phase1Policies()
	t := ps.of(v.h)
	seq, ok, err := t.Lookup(label)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf(ErrNotFound, "no rule labelled %q", label)
	}
	p, err := ps.get(t, seq)
	if err != nil {
		return nil, fmt.Errorf("rule %q: %w", label, err)
	}
	if p == nil {
		return nil, errorf(ErrNotFound, "no rule labelled %q", label)
	}
	return p, nil
}

// Global returns the global configuration of the last load.
func (v Policies) Global() (GlobalConfig, error) {
	var g GlobalConfig
	_, err := globalRecord().get(v.h.b, &g)
	return g, err
}

// ReplacePhase1 replaces the policies of one origin (a Solaris
// configuration reload replaces the "solaris" rules) and the global
// configuration, keeping the other personality's definitions. A label
// taken by a kept policy fails the whole replace with ErrDuplicate.
func (v Policies) ReplacePhase1(origin string, rules []Phase1Policy, g GlobalConfig) error {
	return v.ReplacePhase1Batch(origin, batchOf(rules), g)
}

// ReplacePhase1Batch is ReplacePhase1 of the policies in b.
func (v Policies) ReplacePhase1Batch(origin string, b *Phase1Batch, g GlobalConfig) error {
	kept := &Phase1Batch{}
	taken := map[string]bool{}
	err := v.ScanPhase1(func(p *Phase1Policy) error {
		if p.Origin != origin {
			kept.Add(p)
			taken[p.Label] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range b.Len() {
		label, _, _, err := b.row(i).split()
		if err != nil {
			return err
		}
		if taken[string(label)] {
			return errorf(ErrDuplicate, "rule label %q is taken by a %s definition", label, origin)
		}
	}
	v.h.tx.cache.dropPolicies(v.h.Info.Name)
	if err := v.h.b.DropTable(policyTable); err != nil {
		return err
	}
	if err := v.appendPhase1(kept); err != nil {
		return err
	}
	if err := v.appendPhase1(b); err != nil {
		return err
	}
	return globalRecord().put(v.h.b, &g)
}

func batchOf(rules []Phase1Policy) *Phase1Batch {
	b := &Phase1Batch{}
	for i := range rules {
		b.Add(&rules[i])
	}
	return b
}

// AppendPhase1 appends rules; a label already in the rulebase fails the
// whole append with ErrDuplicate. The recorded global values are replaced by
// those of the appended text, as a configuration parse resets them.
func (v Policies) AppendPhase1(rules []Phase1Policy, g GlobalConfig) error {
	t := v.h.b.Table(policyTable)
	for i := range rules {
		if _, dup, err := t.Lookup(rules[i].Label); err != nil || dup {
			if err != nil {
				return err
			}
			return errorf(ErrDuplicate, "rule label %q already exists", rules[i].Label)
		}
	}
	if err := v.appendPhase1(batchOf(rules)); err != nil {
		return err
	}
	old, err := v.Global()
	if err != nil {
		return err
	}
	old.Recorded = g.Recorded
	old.CertRoot = append(old.CertRoot, g.CertRoot...)
	old.CertTrust = append(old.CertTrust, g.CertTrust...)
	return globalRecord().put(v.h.b, &old)
}

// appendPhase1 stores the records of b as they are, but for the key
// manager cookie each gets here.
func (v Policies) appendPhase1(b *Phase1Batch) error {
	v.h.tx.cache.dropPolicies(v.h.Info.Name)
	t, err := phase1Policies().create(v.h)
	if err != nil {
		return err
	}
	kmc, err := v.kmcMap()
	if err != nil {
		return err
	}
	labels := make([]string, b.Len())
	index := make([]store.IndexEntry, b.Len())
	var row []byte
	for i := range b.Len() {
		label, _, _, err := b.row(i).split()
		if err != nil {
			return err
		}
		labels[i] = string(label)
		cookie, err := kmc.cookie(labels[i])
		if err != nil {
			return err
		}
		if row, err = b.row(i).withCookie(row[:0], cookie); err != nil {
			return err
		}
		seq, err := t.Append(row) // the store copies it
		if err != nil {
			return err
		}
		index[i] = store.IndexEntry{Name: labels[i], Seq: seq}
	}
	if err := t.SetIndexes(index); err != nil {
		return err
	}
	if err := kmc.save(); err != nil {
		return err
	}
	// Numbered as stored, in rulebase order, so that listing them
	// (ike cmd=list db) writes nothing.
	return v.h.Tunnels().Assign(TunnelPhase1, labels)
}

// RewritePhase1 stores p over the policy of the same label, keeping its
// place in the rulebase, its key manager cookie and its tunnel number.
func (v Policies) RewritePhase1(p *Phase1Policy) error {
	ps := phase1Policies()
	t := ps.of(v.h)
	seq, ok, err := t.Lookup(p.Label)
	if err != nil {
		return err
	}
	if !ok {
		return errorf(ErrNotFound, "no rule labelled %q", p.Label)
	}
	old, err := ps.get(t, seq)
	if err != nil {
		return fmt.Errorf("rule %q: %w", p.Label, err)
	}
	if old == nil {
		return errorf(ErrNotFound, "no rule labelled %q", p.Label)
	}
	v.h.tx.cache.dropPolicies(v.h.Info.Name)
	q := *p
	q.KMCookie = old.KMCookie
	return ps.put(t, seq, &q)
}

// DeletePhase1 removes the policy with this label.
func (v Policies) DeletePhase1(label string) error {
	t := v.h.b.Table(policyTable)
	seq, ok, err := t.Lookup(label)
	if err != nil {
		return err
	}
	if !ok {
		return errorf(ErrNotFound, "no rule labelled %q", label)
	}
	v.h.tx.cache.dropPolicies(v.h.Info.Name)
	if err := t.DeleteRow(seq); err != nil {
		return err
	}
	if err := t.DeleteIndex(label); err != nil {
		return err
	}
	if _, numbered := v.h.Tunnels().Number(TunnelPhase1, label); numbered {
		return v.h.Tunnels().Free(TunnelPhase1, label)
	}
	return nil
}

func (v Policies) kmcMap() (*kmcMap, error) {
	t, err := v.h.b.CreateTable(kmcTable)
	if err != nil {
		return nil, err
	}
	m := &kmcMap{t: t, h: v.h}
	_, err = counterRecord(kmcMaxKey).get(v.h.b, &m.max)
	return m, err
}

const phase2Table = "p2policy"

// putPhase2 stores p, a new name appended to index (and added) for
// PutPhase2 to index all together, in name order.
func putPhase2(t *store.Table, p *Phase2Policy, added map[string]store.Seq, index *[]store.IndexEntry) error {
	ps := phase2Policies()
	seq, ok, err := t.Lookup(p.Name)
	if err != nil {
		return err
	}
	if !ok {
		seq, ok = added[p.Name]
	}
	if !ok {
		seq, err := ps.append(t, p)
		if err != nil {
			return fmt.Errorf("phase 2 policy %q: %w", p.Name, err)
		}
		added[p.Name] = seq
		*index = append(*index, store.IndexEntry{Name: p.Name, Seq: seq})
		return nil
	}
	old, err := ps.get(t, seq)
	if err != nil {
		return fmt.Errorf("phase 2 policy %q: %w", p.Name, err)
	}
	if old != nil && old.Origin != p.Origin {
		return errorf(ErrDuplicate, "phase 2 policy %q is taken by a %s definition", p.Name, old.Origin)
	}
	return ps.put(t, seq, p)
}

func inRanges(rs []AddrRange, a netip.Addr) bool {
	for _, r := range rs {
		if r.First.Is4() != a.Is4() {
			continue
		}
		if r.First.Compare(a) <= 0 && a.Compare(r.Last) <= 0 {
			return true
		}
	}
	return false
}

const (
	policyTable = "p1policy"
	kmcTable    = "kmc"
	globalKey   = "global"
)
