package filt

import (
	"net/netip"
	"slices"

	"github.com/ikemu/ikemu/pkg/engine"
)

// AddTunnelRules appends the two auto-generated rules a manual tunnel
// gets (unless gentun -g): all traffic between its two ends, each way,
// through the tunnel [C: IBM's gentun and imptun]; it returns their IDs.
func AddTunnelRules(h *engine.Host, version int, tunnel uint32, src, dst netip.Addr) ([]int, error) {
	t, err := table(h, version)
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, r := range tunnelRules(version, engine.AddrRange{First: src, Last: src}, engine.AddrRange{First: dst, Last: dst}, "all", 0, tunnel) {
		t.Rules = append(t.Rules, r)
		ids = append(ids, len(t.Rules))
	}
	return ids, h.Filters().SetTable(version, t)
}

// RemoveTunnelRules drops the auto-generated rules of a tunnel that is
// removed.
func RemoveTunnelRules(h *engine.Host, version int, tunnel uint32) error {
	t, err := table(h, version)
	if err != nil {
		return err
	}
	t.Rules = slices.DeleteFunc(t.Rules, func(r engine.FilterRule) bool { return r.AutoGen && r.TunnelID == tunnel })
	return h.Filters().SetTable(version, t)
}

// Activate loads version's table into the kernel, as mkfilt -u does;
// activating a tunnel does it too [I].
func Activate(h *engine.Host, version int) error {
	t, err := table(h, version)
	if err != nil {
		return err
	}
	t.Active = append([]engine.FilterRule{}, t.Rules...)
	return h.Filters().SetTable(version, t)
}

// UpdateTunnelRules points a changed tunnel's auto-generated rules at
// its new ends, in place.
func UpdateTunnelRules(h *engine.Host, version int, tunnel uint32, src, dst netip.Addr) error {
	t, err := table(h, version)
	if err != nil {
		return err
	}
	fresh := tunnelRules(version, engine.AddrRange{First: src, Last: src}, engine.AddrRange{First: dst, Last: dst}, "all", 0, tunnel)
	for i, r := range t.Rules {
		if !r.AutoGen || r.TunnelID != tunnel {
			continue
		}
		switch r.Direction {
		case "outbound":
			t.Rules[i] = fresh[0]
		case "inbound":
			t.Rules[i] = fresh[1]
		}
	}
	return h.Filters().SetTable(version, t)
}
