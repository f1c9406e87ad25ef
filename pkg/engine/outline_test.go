package engine_test

import (
	"fmt"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// The outlines carry the number Tunnels.Number gives each definition,
// whether the rows are in number order or not, their keys dense or
// (after deletions) sparse, and a definition whose number was freed
// shows none.
func TestOutlinesNumbered(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	const n = 60
	l.host("h", func(h *engine.Host) error {
		var p1 []engine.Phase1Policy
		var p2 []engine.Phase2Policy
		for i := range n {
			p1 = append(p1, engine.Phase1Policy{Label: fmt.Sprintf("r%d", i), Origin: "aix"})
			p2 = append(p2, engine.Phase2Policy{Name: fmt.Sprintf("q%d", n-i), Phase1: p1[i].Label, Origin: "aix"})
		}
		if err := h.Policies().AppendPhase1(p1, engine.GlobalConfig{}); err != nil {
			return err
		}
		return h.Policies().PutPhase2(p2)
	})
	check := func(what string, want1, want2 int) {
		l.host("h", func(h *engine.Host) error {
			v := h.Tunnels()
			seen := 0
			err := h.Policies().ScanPhase1Outlines(func(o *engine.Phase1Outline) error {
				seen++
				num, ok := v.Number(engine.TunnelPhase1, string(o.Label))
				if o.Number != num || o.Numbered != ok || o.Matched != ok {
					t.Errorf("%s: phase 1 %q: %d %v %v; Number: %d %v", what, o.Label, o.Number, o.Numbered, o.Matched, num, ok)
				}
				return nil
			})
			if err != nil || seen != want1 {
				t.Errorf("%s: %d phase 1 outlines, %v; want %d", what, seen, err, want1)
			}
			seen = 0
			err = h.Policies().ScanPhase2Outlines(func(o *engine.Phase2Outline) error {
				seen++
				num, ok := v.Number(engine.TunnelPhase2, string(o.Name))
				if o.Number != num || o.Numbered != ok {
					t.Errorf("%s: phase 2 %q: %d %v; Number: %d %v", what, o.Name, o.Number, o.Numbered, num, ok)
				}
				return nil
			})
			if err != nil || seen != want2 {
				t.Errorf("%s: %d phase 2 outlines, %v; want %d", what, seen, err, want2)
			}
			return nil
		})
	}
	check("dense", n, n)
	l.host("h", func(h *engine.Host) error {
		for i := range n {
			if i%5 != 0 {
				if err := h.Policies().DeletePhase1(fmt.Sprintf("r%d", i)); err != nil {
					return err
				}
				if err := h.Policies().DeletePhase2(fmt.Sprintf("q%d", n-i)); err != nil {
					return err
				}
			}
		}
		// Numbered no more, but still defined.
		if err := h.Tunnels().Free(engine.TunnelPhase1, "r5"); err != nil {
			return err
		}
		return h.Tunnels().Free(engine.TunnelPhase2, "q50")
	})
	check("sparse", n/5, n/5)
	// New definitions take freed numbers below those of rows before
	// them: the walk in step misses and the join numbers the rest.
	l.host("h", func(h *engine.Host) error {
		if err := h.Policies().AppendPhase1([]engine.Phase1Policy{{Label: "new", Origin: "aix"}}, engine.GlobalConfig{}); err != nil {
			return err
		}
		return h.Policies().PutPhase2([]engine.Phase2Policy{{Name: "qnew", Phase1: "new", Origin: "aix"}})
	})
	check("reused", n/5+1, n/5+1)
}

// A definition stored under a freed number, after definitions with
// higher numbers, is numbered by the walk in step (put aside, found
// later), so every number still comes from a one-to-one match.
func TestOutlinesNumberedOutOfOrder(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		var p1 []engine.Phase1Policy
		for i := range 10 {
			p1 = append(p1, engine.Phase1Policy{Label: fmt.Sprintf("r%d", i), Origin: "aix"})
		}
		if err := h.Policies().AppendPhase1(p1, engine.GlobalConfig{}); err != nil {
			return err
		}
		if err := h.Policies().DeletePhase1("r3"); err != nil {
			return err
		}
		if err := h.Policies().DeletePhase1("r4"); err != nil {
			return err
		}
		return h.Policies().AppendPhase1([]engine.Phase1Policy{{Label: "new", Origin: "aix"}, {Label: "newer", Origin: "aix"}}, engine.GlobalConfig{})
	})
	l.host("h", func(h *engine.Host) error {
		var got []string
		err := h.Policies().ScanPhase1Outlines(func(o *engine.Phase1Outline) error {
			num, ok := h.Tunnels().Number(engine.TunnelPhase1, string(o.Label))
			if o.Number != num || !o.Numbered || !ok || !o.Matched {
				t.Errorf("%q: %d %v %v; Number: %d %v", o.Label, o.Number, o.Numbered, o.Matched, num, ok)
			}
			got = append(got, fmt.Sprintf("%s=%d", o.Label, o.Number))
			return nil
		})
		if want := "[r0=1 r1=2 r2=3 r5=6 r6=7 r7=8 r8=9 r9=10 new=4 newer=5]"; err != nil || fmt.Sprint(got) != want {
			t.Errorf("outlines %v, %v; want %s", got, err, want)
		}
		return nil
	})
}
