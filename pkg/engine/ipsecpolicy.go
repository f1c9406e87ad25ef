package engine

import (
	"github.com/ikemu/ikemu/pkg/store"
)

// IPsecPolicy is a host's IPsec policy table (the SPD): rules in the
// order they were added, each under its rule index. Rows are JSON, as
// every table of the host bucket but the phase 1 SAs.
type IPsecPolicy struct{ h *Host }

// IPsecPolicy is the host's IPsec policy.
func (h *Host) IPsecPolicy() IPsecPolicy { return IPsecPolicy{h} }

const (
	ipsecPolicyTable = "ipsecpolicy"
	// ipsecNextIndexKey keeps the next rule index: indexes are never
	// reused, as the kernel's are not.
	ipsecNextIndexKey = "ipsecpolicy/next"
)

// Add stores rules as one load, giving each the next rule index (written
// into the rules).
func (v IPsecPolicy) Add(rules []IPsecRule) error {
	if len(rules) == 0 {
		return nil
	}
	t, err := v.h.b.CreateTable(ipsecPolicyTable)
	if err != nil {
		return err
	}
	var next uint64
	if _, err := v.h.b.Get(ipsecNextIndexKey, &next); err != nil {
		return err
	}
	if next == 0 {
		next = 1
	}
	for i := range rules {
		rules[i].Index = next
		next++
		if _, err := t.Append(&rules[i]); err != nil {
			return err
		}
	}
	return v.h.b.Put(ipsecNextIndexKey, next)
}

// Scan calls fn for each rule in the order they were added.
func (v IPsecPolicy) Scan(fn func(*IPsecRule) error) error {
	return v.h.b.Table(ipsecPolicyTable).Scan(func(_ store.Seq, raw []byte) error {
		r, err := decodeRow[IPsecRule](raw)
		if err != nil {
			return err
		}
		return fn(r)
	})
}

// Len is the number of rules.
func (v IPsecPolicy) Len() int { return v.h.b.Table(ipsecPolicyTable).Len() }

// Delete removes the rule with this index (of one tunnel's policy, or
// the global one for ""); ErrNotFound when there is none.
func (v IPsecPolicy) Delete(tunnel string, index uint64) error {
	n, err := deleteRows(v.h.b.Table(ipsecPolicyTable), func(r *IPsecRule) bool {
		return r.Index == index && r.Tunnel == tunnel
	})
	if err == nil && n == 0 {
		err = errorf(ErrNotFound, "no IPsec policy rule %d", index)
	}
	return err
}

// Flush removes the global policy's rules (tunnel ""), one tunnel's, or
// every rule when all is set.
func (v IPsecPolicy) Flush(tunnel string, all bool) error {
	_, err := deleteRows(v.h.b.Table(ipsecPolicyTable), func(r *IPsecRule) bool {
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
