package engine

import (
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
		if k := uint64(len(r.KernelPolicies())); k > 0 {
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

// Delete removes the rule one of whose kernel policies has this index
// (of one tunnel's policy, or the global one for ""), all its policies
// with it; ErrNotFound when there is none.
func (v IPsecPolicy) Delete(tunnel string, index uint64) error {
	n, err := deleteRows(ipsecRules(), ipsecRules().of(v.h), func(r *IPsecRule) bool {
		return r.Tunnel == tunnel && index != 0 && index >= r.FirstIndex && index <= r.Index
	})
	if err == nil && n == 0 {
		err = errorf(ErrNotFound, "no IPsec policy rule %d", index)
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
