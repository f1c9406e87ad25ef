package engine

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

// The tunnel manager's view of a host: its phase 1 SAs carry phase 1
// tunnel numbers, its phase 2 SAs phase 2 numbers, and activations that
// did not produce an SA are kept as tunnel entries with their state.

// TunnelStatus is a tunnel manager state.
type TunnelStatus string

const (
	TunnelActive      TunnelStatus = "Active"
	TunnelNegotiating TunnelStatus = "Negotiating"
	TunnelFailed      TunnelStatus = "Failed"
	TunnelExpired     TunnelStatus = "Expired"
)

// TunnelEntry is an activation the tunnel manager knows but that has no
// SA: still negotiating, or failed.
type TunnelEntry struct {
	Phase     int          `json:"phase"`
	TunnelNum uint32       `json:"tunnel_num"`
	Status    TunnelStatus `json:"status"`
	Local     string       `json:"local"`
	Remote    string       `json:"remote"`
	LocalAddr netip.Addr   `json:"local_addr,omitzero"`
	RemAddr   netip.Addr   `json:"remote_addr,omitzero"`
	Policy    string       `json:"policy,omitempty"`
	Initiator bool         `json:"initiator"`
	When      time.Time    `json:"when"`
	Reason    string       `json:"reason,omitempty"`
}

const tunnelEntryTable = "tunnel_entries"

// Tunnels is a host's tunnel manager: the tunnel numbers of phase 1 and
// phase 2 definitions and SAs, and the activations that have no SA.
type Tunnels struct{ h *Host }

// Tunnels is the host's tunnels.
func (h *Host) Tunnels() Tunnels { return Tunnels{h} }

// Number returns the number of the named definition of a phase.
func (v Tunnels) Number(phase int, name string) (int, bool) {
	tn, err := tunnelTable(phase)
	if err != nil {
		return 0, false
	}
	t := v.h.b.Table(tn)
	seq, ok, err := t.Lookup(name)
	if ok || err != nil || t == nil {
		return int(seq), ok && err == nil
	}
	// Not in the index: the rows say whether it ever was.
	if rows, err := v.numberRows(tn, t); err == nil {
		if n, there := rows[name]; there {
			_ = t.Damaged("tunnel number %d of %q is not in its index", n, name)
		}
	}
	return 0, false
}

// Numbers returns every numbered definition of a phase with its number,
// read in one scan: a listing of every definition asks for them all.
func (v Tunnels) Numbers(phase int) (map[string]int, error) {
	tn, err := tunnelTable(phase)
	if err != nil {
		return nil, err
	}
	names := tunnelNames(tn)
	t := names.of(v.h)
	out := make(map[string]int, t.Len())
	err = names.scan(t, func(s store.Seq, name *string) error {
		out[*name] = int(s)
		return nil
	})
	return out, err
}

// numberRows maps each numbered name to its number, from the rows of a
// number table: read once per transaction, on the first name the index
// does not know.
func (v Tunnels) numberRows(tn string, t *store.Table) (map[string]store.Seq, error) {
	key := v.h.Info.Name + "/" + tn
	if m, ok := v.h.tx.cache.numberRows[key]; ok {
		return m, nil
	}
	m := map[string]store.Seq{}
	names := tunnelNames(tn)
	err := names.scan(t, func(s store.Seq, name *string) error {
		m[*name] = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	if v.h.tx.cache.numberRows == nil {
		v.h.tx.cache.numberRows = map[string]map[string]store.Seq{}
	}
	v.h.tx.cache.numberRows[key] = m
	return m, nil
}

// ByNumber returns the name of the definition with number n.
func (v Tunnels) ByNumber(phase, n int) (string, bool) {
	tn, err := tunnelTable(phase)
	if err != nil || n <= 0 {
		return "", false
	}
	names := tunnelNames(tn)
	name, err := names.get(names.of(v.h), store.Seq(n))
	if err != nil || name == nil {
		return "", false
	}
	return *name, true
}

// Assign gives each name that has no number yet the lowest
// positive number unused in its phase, in the order given. Numbers stay
// with their names until FreeTunnelNumber. Definitions are numbered when
// they are stored, never while they are listed.
func (v Tunnels) Assign(phase int, names []string) error {
	t, todo, nums, err := v.unnumbered(phase, names)
	if err != nil || len(todo) == 0 {
		return err
	}
	tab, err := v.h.b.CreateTable(t.name)
	if err != nil {
		return err
	}
	if err := assignNumbers(tunnelNames(t.name), tab, todo, nums); err != nil {
		return err
	}
	v.numbered(t.name, todo, nums)
	return nil
}

// numbered brings the cached tables of tn in line with names numbered
// nums (in increasing order, as gapNumbers gives them).
func (v Tunnels) numbered(tn string, names []string, nums []store.Seq) {
	key := v.h.Info.Name + "/" + tn
	if rows, ok := v.h.tx.cache.numberRows[key]; ok {
		for i, name := range names {
			rows[name] = nums[i]
		}
	}
	if used, ok := v.h.tx.cache.usedNumbers[key]; ok {
		v.h.tx.cache.usedNumbers[key] = mergeNumbers(used, nums)
	}
}

// mergeNumbers merges two increasing lists of distinct numbers.
func mergeNumbers(a, b []store.Seq) []store.Seq {
	if len(a) == 0 || len(b) > 0 && a[len(a)-1] < b[0] {
		return append(a, b...) // the usual case: numbers past every used one
	}
	out := make([]store.Seq, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || i < len(a) && a[i] < b[j] {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}

// usedNumbers is usedNumbers of a host's table tn, read once a
// transaction (and carried on with its cache).
func (v Tunnels) usedNumbers(tn string, t *store.Table) ([]store.Seq, error) {
	key := v.h.Info.Name + "/" + tn
	if used, ok := v.h.tx.cache.usedNumbers[key]; ok {
		return used, nil
	}
	used, err := usedNumbers(t)
	if err != nil {
		return nil, err
	}
	if v.h.tx.cache.usedNumbers == nil {
		v.h.tx.cache.usedNumbers = map[string][]store.Seq{}
	}
	v.h.tx.cache.usedNumbers[key] = used
	return used, nil
}

// Provisional returns the numbers Assign would give the names that have
// none, writing nothing: what a read-only listing shows for definitions
// a lab from before numbering at store time never numbered.
func (v Tunnels) Provisional(phase int, names []string) (map[string]int, error) {
	_, todo, nums, err := v.unnumbered(phase, names)
	if err != nil || len(todo) == 0 {
		return nil, err
	}
	out := make(map[string]int, len(todo))
	for i, name := range todo {
		out[name] = int(nums[i])
	}
	return out, nil
}

// numberTable is a phase's number table, nil when it does not exist yet.
type numberTable struct {
	name  string
	table *store.Table
}

// unnumbered lists the names (once each, in order) that have no number,
// with the numbers they would get.
func (v Tunnels) unnumbered(phase int, names []string) (numberTable, []string, []store.Seq, error) {
	tn, err := tunnelTable(phase)
	if err != nil {
		return numberTable{}, nil, nil, err
	}
	t := numberTable{name: tn, table: v.h.b.Table(tn)}
	var todo []string
	seen := make(map[string]bool)
	for _, n := range names {
		_, ok, err := t.table.Lookup(n)
		if err != nil {
			return t, nil, nil, err
		}
		if !ok && !seen[n] {
			seen[n] = true
			todo = append(todo, n)
		}
	}
	if len(todo) == 0 {
		return t, nil, nil, nil
	}
	used, err := v.usedNumbers(tn, t.table)
	if err != nil {
		return t, nil, nil, err
	}
	if len(used) > 0 {
		rows, err := v.numberRows(tn, t.table)
		if err != nil {
			return t, nil, nil, err
		}
		for _, n := range todo {
			if s, there := rows[n]; there {
				return t, nil, nil, t.table.Damaged("tunnel number %d of %q is not in its index", s, n)
			}
		}
	}
	return t, todo, gapNumbers(used, len(todo)), nil
}

// Free releases the number of a deleted definition, for the
// next one to take. A name without a number is not an error.
func (v Tunnels) Free(phase int, name string) error {
	tn, err := tunnelTable(phase)
	if err != nil {
		return err
	}
	t := v.h.b.Table(tn)
	seq, ok, err := t.Lookup(name)
	if err != nil || !ok {
		return err
	}
	delete(v.h.tx.cache.numberRows, v.h.Info.Name+"/"+tn)
	delete(v.h.tx.cache.usedNumbers, v.h.Info.Name+"/"+tn)
	if err := t.DeleteRow(seq); err != nil {
		return err
	}
	return t.DeleteIndex(name)
}

// next hands out the next number of a phase (1 or 2) on this
// host. Numbers are fresh for each activation, as the tunnel manager's.
func (v Tunnels) next(phase int) (uint32, error) {
	key := "tunnel_next_p1"
	if phase == 2 {
		key = "tunnel_next_p2"
	}
	c := &v.h.tx.cache
	at := v.h.Info.Name + "/" + key
	n, ok := c.counters[at]
	if !ok {
		n = 1
		if _, err := counterRecord(key).get(v.h.b, &n); err != nil {
			return 0, err
		}
	}
	next := n + 1
	if c.counters == nil {
		c.counters = map[string]uint32{}
	}
	c.counters[at] = next
	return n, counterRecord(key).put(v.h.b, &next)
}

// AddEntry records an activation without an SA, numbering it.
func (v Tunnels) AddEntry(e *TunnelEntry) error {
	n, err := v.next(e.Phase)
	if err != nil {
		return err
	}
	e.TunnelNum = n
	entries := tunnelEntries()
	t, err := entries.create(v.h)
	if err != nil {
		return err
	}
	_, err = entries.append(t, e)
	return err
}

// ScanEntries calls fn for each entry in order.
func (v Tunnels) ScanEntries(fn func(*TunnelEntry) error) error {
	entries := tunnelEntries()
	return entries.scan(entries.of(v.h), func(_ store.Seq, e *TunnelEntry) error { return fn(e) })
}

// DeleteEntries deletes the entries match selects.
func (v Tunnels) DeleteEntries(match func(*TunnelEntry) bool) (int, error) {
	entries := tunnelEntries()
	return deleteRows(entries, entries.of(v.h), match)
}

// A number table holds one row per number in use, keyed by the number
// (so a scan visits numbers in increasing order) and holding the name,
// with the name index pointing back at the number.
func tunnelTable(phase int) (string, error) {
	if phase != TunnelPhase1 && phase != TunnelPhase2 {
		return "", fmt.Errorf("tunnel numbers: no phase %d", phase)
	}
	return fmt.Sprintf("tunnum%d", phase), nil
}

// usedNumbers lists the numbers in use, in increasing order: one scan,
// however many names are then numbered.
func usedNumbers(t *store.Table) ([]store.Seq, error) {
	var used []store.Seq
	err := t.Scan(func(s store.Seq, _ []byte) error {
		used = append(used, s)
		return nil
	})
	return used, err
}

// gapNumbers walks the gaps between the used numbers, lowest first.
func gapNumbers(used []store.Seq, n int) []store.Seq {
	out := make([]store.Seq, 0, n)
	next, i := store.Seq(1), 0
	for len(out) < n {
		for i < len(used) && used[i] == next {
			i++
			next++
		}
		out = append(out, next)
		next++
	}
	return out
}

// assignNumbers stores names[i] under nums[i].
func assignNumbers(tn table[string], t *store.Table, names []string, nums []store.Seq) error {
	index := make([]store.IndexEntry, len(names))
	for i := range names {
		name := names[i]
		if err := tn.put(t, nums[i], &name); err != nil {
			return err
		}
		index[i] = store.IndexEntry{Name: name, Seq: nums[i]}
	}
	return t.SetIndexes(index)
}

// Tunnel number spaces: phase 1 and phase 2 definitions are numbered
// separately (AIX numbers both from 1, spec 4.5).
const (
	TunnelPhase1 = 1
	TunnelPhase2 = 2
)
