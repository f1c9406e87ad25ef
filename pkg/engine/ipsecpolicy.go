package engine

import (
	"slices"

	"github.com/ikemu/ikemu/pkg/store"
)

// IPsecPolicy is a host's IPsec policy table (the SPD): rules in the
// order they were added, each under its rule index (codec: tables.go).
type IPsecPolicy struct{ h *Host }

// IPsecPolicy is the host's IPsec policy.
func (h *Host) IPsecPolicy() IPsecPolicy { return IPsecPolicy{h} }

const (
	ipsecPolicyTable  = "ipsecpolicy"
	ipsecNextIndexKey = "ipsecpolicy/next"
	ipsecFileKey      = "ipsecpolicy/file"
)

// CreateFile records that the file the policy's texts are kept in
// exists: the first load that opens its input creates it, even one that
// adds nothing, and a flush empties it but keeps it.
func (v IPsecPolicy) CreateFile() error {
	yes := true
	return flagRecord(ipsecFileKey).put(v.h.b, &yes)
}

// HasFile reports whether that file exists; a host that holds rules
// from before the record was kept has it.
func (v IPsecPolicy) HasFile() (bool, error) {
	var yes bool
	found, err := flagRecord(ipsecFileKey).get(v.h.b, &yes)
	return found && yes || v.Len() > 0, err
}

// Add stores rules as one load, numbering each rule's kernel policies
// from its policy head's counter (the global one, or its tunnel's) and
// writing the numbers into the rules.
func (v IPsecPolicy) Add(rules []IPsecRule) error {
	if len(rules) == 0 {
		return nil
	}
	rows := ipsecRules()
	t, err := rows.create(v.h)
	if err != nil {
		return err
	}
	next := map[string]uint64{}
	for i := range rules {
		r := &rules[i]
		n, ok := next[r.Tunnel]
		if !ok {
			if _, err := indexRecord(nextIndexKey(r.Tunnel)).get(v.h.b, &n); err != nil {
				return err
			}
			n = max(n, 1)
		}
		r.FirstIndex, r.Index = n, 0
		if k := uint64(len(r.madePolicies())); k > 0 {
			r.Index = n + k - 1
			n += k
		}
		next[r.Tunnel] = n
		if _, err := rows.append(t, r); err != nil {
			return err
		}
	}
	for tunnel, n := range next {
		if err := indexRecord(nextIndexKey(tunnel)).put(v.h.b, &n); err != nil {
			return err
		}
	}
	return nil
}

// nextIndexKey keeps a policy head's next index: indexes are never
// reused, as the kernel's are not, and each tunnel counts its own.
func nextIndexKey(tunnel string) string {
	if tunnel == "" {
		return ipsecNextIndexKey
	}
	return ipsecNextIndexKey + "/" + tunnel
}

// HasHead reports whether a tunnel has a policy head: the kernel makes
// one with the first rule added for the tunnel and keeps it through
// flushes. The global head ("") always exists.
func (v IPsecPolicy) HasHead(tunnel string) (bool, error) {
	if tunnel == "" {
		return true, nil
	}
	var next uint64
	found, err := indexRecord(nextIndexKey(tunnel)).get(v.h.b, &next)
	return found, err
}

// Scan calls fn for each rule in the order they were added.
func (v IPsecPolicy) Scan(fn func(*IPsecRule) error) error {
	rows := ipsecRules()
	return rows.scan(rows.of(v.h), func(_ store.Seq, r *IPsecRule) error { return fn(r) })
}

// Len is the number of rules.
func (v IPsecPolicy) Len() int { return ipsecRules().of(v.h).Len() }

// DeletePolicy removes the one kernel policy under index in a policy
// head (a tunnel's, or the global one for ""), as the kernel deletes by
// index: the rule's other policies stay; ErrNotFound when there is none.
func (v IPsecPolicy) DeletePolicy(tunnel string, index uint64) error {
	found := false
	err := v.change(func(r *IPsecRule) bool {
		if found || r.Tunnel != tunnel || index == 0 || index < r.FirstIndex || index > r.Index ||
			slices.Contains(r.Gone, index) {
			return false
		}
		found = true
		r.Gone = append(r.Gone, index)
		return true
	})
	if err == nil && !found {
		err = errorf(ErrNotFound, "no IPsec policy %d", index)
	}
	return err
}

// Unsave takes out of the saved view the first rule whose text is kept
// under index (whichever policy head it belongs to, as ipsecconf's file
// names no head) and reports whether there was one.
func (v IPsecPolicy) Unsave(index uint64) (bool, error) {
	return v.unsaveFirst(func(r *IPsecRule) bool { return r.Index == index })
}

// UnsaveIn takes out of the saved view the text of the rule a policy
// head (a tunnel's, or the global one for "") keeps under index, and
// reports whether there was one.
func (v IPsecPolicy) UnsaveIn(tunnel string, index uint64) (bool, error) {
	return v.unsaveFirst(func(r *IPsecRule) bool { return r.Tunnel == tunnel && r.Index == index })
}

func (v IPsecPolicy) unsaveFirst(match func(*IPsecRule) bool) (bool, error) {
	found := false
	err := v.change(func(r *IPsecRule) bool {
		if found || r.Unsaved || !match(r) {
			return false
		}
		found = true
		r.Unsaved = true
		return true
	})
	return found, err
}

// change rewrites the rules fn changes, and drops those left with
// neither a kernel policy nor a saved text (keeping only their keys, so
// a flush of many rules holds no rows). Rows are written after the
// scan, never under its cursor.
func (v IPsecPolicy) change(fn func(*IPsecRule) bool) error {
	rows := ipsecRules()
	t := rows.of(v.h)
	type row struct {
		s store.Seq
		r *IPsecRule // nil: the row goes
	}
	var changed []row
	err := rows.scan(t, func(s store.Seq, r *IPsecRule) error {
		if !fn(r) {
			return nil
		}
		if r.Unsaved && len(r.KernelPolicies()) == 0 {
			r = nil
		}
		changed = append(changed, row{s, r})
		return nil
	})
	for _, c := range changed {
		if err != nil {
			break
		}
		if c.r == nil {
			err = t.DeleteRow(c.s)
		} else {
			err = rows.put(t, c.s, c.r)
		}
	}
	return err
}

// Flush is the kernel's flush of a policy head (a tunnel's, or the
// global one for ""), or of every head when all is set: the rules there
// lose every kernel policy and keep their saved text, if any; a rule
// left with neither goes.
func (v IPsecPolicy) Flush(tunnel string, all bool) error { return v.flush(tunnel, all, false) }

// FlushTruncate is Flush and, in the same pass, the saved view emptied
// (ipsecconf's file truncated): every rule's text goes, the rules of
// other heads keep their kernel policies.
func (v IPsecPolicy) FlushTruncate(tunnel string, all bool) error { return v.flush(tunnel, all, true) }

func (v IPsecPolicy) flush(tunnel string, all, truncate bool) error {
	return v.change(func(r *IPsecRule) bool {
		changed := false
		if (all || r.Tunnel == tunnel) && len(r.KernelPolicies()) > 0 {
			r.dropPolicies()
			changed = true
		}
		if truncate && !r.Unsaved {
			r.Unsaved = true
			changed = true
		}
		return changed
	})
}

// Match finds the rule that decides traffic in direction dir: the
// highest priority among those that cover it, the earlier on a tie; nil
// when none does.
func (v IPsecPolicy) Match(t Traffic, dir IPsecDir) (*IPsecRule, error) {
	var best *IPsecRule
	err := v.Scan(func(r *IPsecRule) error {
		if r.Matches(t, dir) && (best == nil || r.Priority > best.Priority) {
			best = r
		}
		return nil
	})
	return best, err
}
