package engine_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// liveSet is a process table holding exactly the processes in it.
type liveSet map[engine.ServingProcess]bool

func (s liveSet) Alive(p engine.ServingProcess) bool { return s[p] }

// onHost runs fn on host h in a write transaction that sees live's
// processes; fn's error is returned, not fatal.
func (l *testLab) onHost(live liveSet, name string, fn func(h *engine.Host) error) error {
	l.seed++
	return l.db.Update(func(st *store.Tx) error {
		tx := engine.NewTx(st, l.now, rand.NewChaCha8(seed32(l.seed)))
		tx.SetProcesses(live)
		h, err := tx.Host(name)
		if err != nil {
			return err
		}
		return fn(h)
	})
}

func shownPID(t *testing.T, l *testLab, live liveSet, pid int) int {
	t.Helper()
	var shown int
	if err := l.onHost(live, "h", func(h *engine.Host) error {
		var err error
		shown, err = h.Daemons().ShownPID(pid)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return shown
}

// TestServingProcess: a live serving process's id is the one a running
// daemon is shown with; a dead one's record is ignored and can be taken
// over; a live one refuses another; only its own process ends it.
func TestServingProcess(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	a := engine.ServingProcess{PID: 100, Start: 7, Boot: "b"}
	b := engine.ServingProcess{PID: 200, Start: 9, Boot: "b"}
	live := liveSet{a: true, b: true}
	const emulated = 4 << 20

	if got := shownPID(t, l, live, emulated); got != emulated {
		t.Errorf("unserved: shown %d", got)
	}
	if err := l.onHost(live, "h", func(h *engine.Host) error { return h.Daemons().Serve(a) }); err != nil {
		t.Fatal(err)
	}
	if got := shownPID(t, l, live, emulated); got != a.PID {
		t.Errorf("served by a: shown %d", got)
	}
	if got := shownPID(t, l, live, 0); got != 0 {
		t.Errorf("a stopped daemon is shown with pid %d", got)
	}
	err := l.onHost(live, "h", func(h *engine.Host) error { return h.Daemons().Serve(b) })
	if !errors.Is(err, engine.ErrDuplicate) || err.Error() != "host h is already served by process 100" {
		t.Errorf("second serving process: %v", err)
	}
	// a dies (or its id is another process's now): ignored, b takes over.
	delete(live, a)
	if got := shownPID(t, l, live, emulated); got != emulated {
		t.Errorf("served by a dead process: shown %d", got)
	}
	if err := l.onHost(live, "h", func(h *engine.Host) error { return h.Daemons().Serve(b) }); err != nil {
		t.Fatal(err)
	}
	if err := l.onHost(live, "h", func(h *engine.Host) error {
		if ours, err := h.Daemons().EndServing(a); err != nil || ours {
			t.Errorf("a ends b's serving: %v %v", ours, err)
		}
		if ours, err := h.Daemons().EndServing(b); err != nil || !ours {
			t.Errorf("b ends its serving: %v %v", ours, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := shownPID(t, l, live, emulated); got != emulated {
		t.Errorf("after the serving ended: shown %d", got)
	}
	// A transaction that knows no processes sees no serving process.
	l.host("h", func(h *engine.Host) error { return h.Daemons().Serve(a) })
	l.host("h", func(h *engine.Host) error {
		if _, ok, err := h.Daemons().Serving(); ok || err != nil {
			t.Errorf("served without a process table: %v %v", ok, err)
		}
		return nil
	})
}
