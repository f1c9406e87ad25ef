package engine_test

import (
	"crypto/rand"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// withHost runs fn on a host of a fresh database in one transaction,
// which fails the test when fn returns an error.
func withHost(t *testing.T, path string, fn func(h *engine.Host) error) {
	t.Helper()
	db, err := store.Open(path, time.Second, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(st *store.Tx) error {
		tx := engine.NewTx(st, time.Now(), rand.Reader)
		h, err := tx.Host("h")
		if err != nil {
			h, err = tx.AddHost(engine.HostInfo{Name: "h"}, engine.Daemon{})
		}
		if err != nil {
			return err
		}
		return fn(h)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func tempDB(t *testing.T) string { return filepath.Join(t.TempDir(), "lab.db") }

func TestPhase2PoliciesUpsertInPlace(t *testing.T) {
	path := tempDB(t)
	withHost(t, path, func(h *engine.Host) error {
		return h.Policies().PutPhase2([]engine.Phase2Policy{{Name: "a", Origin: "aix"}, {Name: "b", Origin: "aix"}, {Name: "c", Origin: "aix"}})
	})
	withHost(t, path, func(h *engine.Host) error {
		if err := h.Policies().PutPhase2([]engine.Phase2Policy{{Name: "a", Phase1: "new", Origin: "aix"}}); err != nil {
			return err
		}
		var names []string
		err := h.Policies().ScanPhase2(func(p *engine.Phase2Policy) error {
			names = append(names, p.Name+"/"+p.Phase1)
			return nil
		})
		if !reflect.DeepEqual(names, []string{"a/new", "b/", "c/"}) {
			t.Errorf("after replacing a: %v", names)
		}
		if n, ok := h.Tunnels().Number(engine.TunnelPhase2, "a"); !ok || n != 1 {
			t.Errorf("a's number %d %v, want 1", n, ok)
		}
		return err
	})
}

func TestPhase2PolicyOtherOrigin(t *testing.T) {
	withHost(t, tempDB(t), func(h *engine.Host) error {
		if err := h.Policies().PutPhase2([]engine.Phase2Policy{{Name: "a", Origin: "solaris"}}); err != nil {
			return err
		}
		err := h.Policies().PutPhase2([]engine.Phase2Policy{{Name: "a", Origin: "aix"}})
		if !errors.Is(err, engine.ErrDuplicate) {
			t.Errorf("replacing another origin's policy: %v", err)
		}
		return nil
	})
}

func TestDeletePhase2FreesNumber(t *testing.T) {
	withHost(t, tempDB(t), func(h *engine.Host) error {
		ps := []engine.Phase2Policy{{Name: "a", Origin: "aix"}, {Name: "b", Origin: "aix"}, {Name: "s", Origin: "solaris"}}
		if err := h.Policies().PutPhase2(ps); err != nil {
			return err
		}
		if err := h.Policies().DeletePhase2("a"); err != nil {
			return err
		}
		if _, err := h.Policies().Phase2ByName("a"); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("a still there: %v", err)
		}
		if err := h.Policies().PutPhase2([]engine.Phase2Policy{{Name: "d", Origin: "aix"}}); err != nil {
			return err
		}
		if n, _ := h.Tunnels().Number(engine.TunnelPhase2, "d"); n != 1 {
			t.Errorf("d got number %d, want the freed 1", n)
		}
		if err := h.Policies().DeletePhase2Origin("aix"); err != nil {
			return err
		}
		if name, ok := h.Tunnels().ByNumber(engine.TunnelPhase2, 3); !ok || name != "s" {
			t.Errorf("number 3 is %q %v, want s", name, ok)
		}
		if _, ok := h.Tunnels().ByNumber(engine.TunnelPhase2, 2); ok {
			t.Error("b's number survived DeletePhase2Policies")
		}
		return nil
	})
}

func TestAssignTunnelNumbersFillsGaps(t *testing.T) {
	withHost(t, tempDB(t), func(h *engine.Host) error {
		if err := h.Tunnels().Assign(engine.TunnelPhase1, []string{"a", "b", "c", "d", "e"}); err != nil {
			return err
		}
		for _, n := range []string{"b", "d"} {
			if err := h.Tunnels().Free(engine.TunnelPhase1, n); err != nil {
				return err
			}
		}
		if err := h.Tunnels().Assign(engine.TunnelPhase1, []string{"a", "x", "y", "y", "z"}); err != nil {
			return err
		}
		want := map[string]int{"a": 1, "x": 2, "c": 3, "y": 4, "e": 5, "z": 6}
		for name, n := range want {
			if got, ok := h.Tunnels().Number(engine.TunnelPhase1, name); !ok || got != n {
				t.Errorf("%s: number %d %v, want %d", name, got, ok, n)
			}
		}
		if _, ok := h.Tunnels().Number(engine.TunnelPhase2, "a"); ok {
			t.Error("phase 2 shares phase 1's numbers")
		}
		if err := h.Tunnels().Assign(3, []string{"a"}); err == nil {
			t.Error("phase 3 accepted")
		}
		return nil
	})
}
