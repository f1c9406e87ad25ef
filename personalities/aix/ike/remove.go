package ike

import (
	"fmt"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
)

// remove deactivates tunnels: phase=1 deletes phase 1 SAs (their phase 2
// tunnels stay until they expire, unrefreshed), phase=2 phase 2 SAs,
// "all" without a phase both. Numbers that match nothing are named and
// make the exit status 1; the rest are still removed.
func (r *invocation) remove(h *engine.Host) error {
	q := r.req
	phases := []int{1, 2}
	switch q.Phase {
	case "1":
		phases = []int{1}
	case "2":
		phases = []int{2}
	}
	want := func(n uint32) bool { return q.NumList == nil || q.NumList.Contains(int(n)) }
	found := map[int]bool{}
	for _, ph := range phases {
		if err := r.removePhase(h, ph, want, found); err != nil {
			return err
		}
	}
	return r.reportMissing(found)
}

func (r *invocation) removePhase(h *engine.Host, phase int, want func(uint32) bool, found map[int]bool) error {
	if phase == 1 {
		if _, err := h.SAs().DeletePhase1All(func(sa *engine.Phase1SA) bool {
			if want(sa.TunnelNum) {
				found[int(sa.TunnelNum)] = true
				daemonlog.Syslog(h, engine.LogEvents, "tmd", "Phase 1 tunnel %d removed", sa.TunnelNum)
				return true
			}
			return false
		}); err != nil {
			return err
		}
	} else if _, err := h.SAs().DeletePhase2(func(sa *engine.Phase2SA) bool {
		if want(sa.TunnelNum) {
			found[int(sa.TunnelNum)] = true
			daemonlog.Syslog(h, engine.LogEvents, "tmd", "Phase 2 tunnel %d removed", sa.TunnelNum)
			return true
		}
		return false
	}); err != nil {
		return err
	}
	_, err := h.Tunnels().DeleteEntries(func(e *engine.TunnelEntry) bool {
		if e.Phase == phase && want(e.TunnelNum) {
			found[int(e.TunnelNum)] = true
			return true
		}
		return false
	})
	return err
}

// reportMissing names each listed number that matched no tunnel.
func (r *invocation) reportMissing(found map[int]bool) error {
	missing := false
	for _, rg := range r.req.NumList {
		for n := rg.First; n <= rg.Last && n-rg.First < 4096; n++ {
			if !found[n] {
				complain(r.p.Stderr, fmt.Sprintf("tunnel %d not found", n))
				missing = true
			}
		}
	}
	r.failed = r.failed || missing
	return nil
}
