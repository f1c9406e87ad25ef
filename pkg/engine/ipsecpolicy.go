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
)

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
	found := false
	err := v.change(func(r *IPsecRule) bool {
		if found || r.Unsaved || r.Index != index {
			return false
		}
		found = true
		r.Unsaved = true
		return true
	})
	return found, err
}

// change rewrites the rules fn changes, and drops those left with
// neither a kernel policy nor a saved text. Rows are written after the
// scan, never under its cursor.
func (v IPsecPolicy) change(fn func(*IPsecRule) bool) error {
	rows := ipsecRules()
	t := rows.of(v.h)
	type row struct {
		s store.Seq
		r *IPsecRule
	}
	var changed []row
	err := rows.scan(t, func(s store.Seq, r *IPsecRule) error {
		if fn(r) {
			changed = append(changed, row{s, r})
		}
		return nil
	})
	for _, c := range changed {
		if err != nil {
			break
		}
		if c.r.Unsaved && len(c.r.KernelPolicies()) == 0 {
			err = t.DeleteRow(c.s)
		} else {
			err = rows.put(t, c.s, c.r)
		}
	}
	return err
}

// Flush removes the global policy's rules (tunnel ""), one tunnel's, or
// every rule when all is set.
func (v IPsecPolicy) Flush(tunnel string, all bool) error {
	_, err := deleteRows(ipsecRules(), ipsecRules().of(v.h), func(r *IPsecRule) bool {
		return all || r.Tunnel == tunnel
	})
	return err
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
