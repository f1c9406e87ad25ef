package engine_test

import (
	"reflect"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

func TestTunnelNumbersByNumberAndReuse(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.Tunnels()
		if err := v.Assign(engine.TunnelPhase2, []string{"a", "b", "c"}); err != nil {
			return err
		}
		return v.Free(engine.TunnelPhase2, "a")
	})
	l.host("h", func(h *engine.Host) error {
		v := h.Tunnels()
		if name, ok := v.ByNumber(engine.TunnelPhase2, 2); !ok || name != "b" {
			t.Errorf("number 2: %q %v", name, ok)
		}
		for _, n := range []int{0, -1, 1, 4} {
			if name, ok := v.ByNumber(engine.TunnelPhase2, n); ok {
				t.Errorf("number %d names %q", n, name)
			}
		}
		if _, ok := v.ByNumber(7, 1); ok {
			t.Error("phase 7 has numbers")
		}
		if _, ok := v.Number(7, "b"); ok {
			t.Error("phase 7 has names")
		}
		if err := v.Free(engine.TunnelPhase2, "never"); err != nil {
			t.Errorf("freeing an unnumbered name: %v", err)
		}
		if err := v.Free(9, "b"); err == nil {
			t.Error("freeing in phase 9 accepted")
		}
		// Re-assigning a numbered name keeps its number; the freed 1 goes
		// to the first new name.
		if err := v.Assign(engine.TunnelPhase2, []string{"c", "d", "e"}); err != nil {
			return err
		}
		got := map[string]int{}
		for _, n := range []string{"b", "c", "d", "e"} {
			got[n], _ = v.Number(engine.TunnelPhase2, n)
		}
		if want := map[string]int{"b": 2, "c": 3, "d": 1, "e": 4}; !reflect.DeepEqual(got, want) {
			t.Errorf("numbers %v, want %v", got, want)
		}
		return nil
	})
}

func TestTunnelEntriesNumberedPerPhase(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.Tunnels()
		for _, e := range []engine.TunnelEntry{
			{Phase: 1, Status: engine.TunnelNegotiating, Local: "10.0.0.1", Remote: "10.0.0.2", When: labClock},
			{Phase: 1, Status: engine.TunnelFailed, Reason: "no response", When: labClock},
			{Phase: 2, Status: engine.TunnelNegotiating, Policy: "p", When: labClock},
			{Phase: 1, Status: engine.TunnelFailed, When: labClock},
		} {
			if err := v.AddEntry(&e); err != nil {
				return err
			}
		}
		return nil
	})
	l.host("h", func(h *engine.Host) error {
		var got []string
		err := h.Tunnels().ScanEntries(func(e *engine.TunnelEntry) error {
			got = append(got, string(rune('0'+e.Phase))+":"+string(rune('0'+e.TunnelNum))+":"+string(e.Status))
			return nil
		})
		want := []string{"1:1:Negotiating", "1:2:Failed", "2:1:Negotiating", "1:3:Failed"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("entries %v, want %v", got, want)
		}
		n, err2 := h.Tunnels().DeleteEntries(func(e *engine.TunnelEntry) bool { return e.Status == engine.TunnelFailed })
		if n != 2 || err2 != nil {
			t.Errorf("deleted %d %v", n, err2)
		}
		if hold, _ := h.Holding(); hold != "tunnel entries" {
			t.Errorf("Holding %q", hold)
		}
		if _, err := h.Tunnels().DeleteEntries(func(*engine.TunnelEntry) bool { return true }); err != nil {
			return err
		}
		if hold, _ := h.Holding(); hold != "" {
			t.Errorf("Holding after deleting all entries %q", hold)
		}
		return err
	})
	// Numbers are fresh for each activation: a deleted entry's number is
	// not handed out again.
	l.host("h", func(h *engine.Host) error {
		e := engine.TunnelEntry{Phase: 1, Status: engine.TunnelNegotiating}
		if err := h.Tunnels().AddEntry(&e); err != nil {
			return err
		}
		if e.TunnelNum != 4 {
			t.Errorf("next phase 1 number %d, want 4", e.TunnelNum)
		}
		return nil
	})
}

// TestTunnelNumbersProvisional: Provisional gives the numbers Assign
// would, writing none; rules are numbered as they are stored.
func TestTunnelNumbersProvisional(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.Tunnels()
		if err := v.Assign(engine.TunnelPhase1, []string{"a", "b", "c"}); err != nil {
			return err
		}
		if err := v.Free(engine.TunnelPhase1, "b"); err != nil {
			return err
		}
		got, err := v.Provisional(engine.TunnelPhase1, []string{"a", "x", "y", "x"})
		if err != nil {
			return err
		}
		if want := map[string]int{"x": 2, "y": 4}; !reflect.DeepEqual(got, want) {
			t.Errorf("provisional %v, want %v", got, want)
		}
		if _, ok := v.Number(engine.TunnelPhase1, "x"); ok {
			t.Error("Provisional stored a number")
		}
		rule := engine.Phase1Policy{Label: "r", LocalAddrs: []engine.AddrRange{one("10.0.0.1")}, RemoteAddrs: []engine.AddrRange{one("10.0.0.2")}}
		if err := h.Policies().AppendPhase1([]engine.Phase1Policy{rule}, engine.GlobalConfig{}); err != nil {
			return err
		}
		if n, ok := v.Number(engine.TunnelPhase1, "r"); !ok || n != 2 {
			t.Errorf("appended rule numbered %d (%v), want 2", n, ok)
		}
		return nil
	})
}
