package lab

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/proc"
	"github.com/ikemu/ikemu/pkg/store"
)

func testProc(env map[string]string) *proc.Proc {
	return &proc.Proc{
		Stdin: bytes.NewReader(nil), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{},
		Getenv: func(k string) string { return env[k] }, UID: os.Geteuid(),
	}
}

func TestDirPrecedence(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"IKEMU_LAB": "/x/lab", "XDG_STATE_HOME": "/s", "HOME": "/h"}, "/x/lab"},
		{map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}, "/s/ikemu/lab"},
		{map[string]string{"HOME": "/h"}, "/h/.local/state/ikemu/lab"},
	}
	for _, c := range cases {
		got, err := Dir(func(k string) string { return c.env[k] })
		if err != nil || got != c.want {
			t.Errorf("Dir(%v) = %q, %v; want %q", c.env, got, err, c.want)
		}
	}
	if _, err := Dir(func(string) string { return "" }); err == nil {
		t.Error("Dir with no HOME: want an error")
	}
}

func TestCreateOnFirstUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	l, err := Open(testProc(map[string]string{"IKEMU_LAB": dir}), nil)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("lab dir mode %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	fi, err = os.Stat(filepath.Join(dir, dbName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("lab db mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	err = l.Host(func(h *engine.Host) error {
		d, err := h.Daemons().IKE()
		if !d.Running || d.Priv != engine.PrivBase || d.Debug != 0 {
			t.Errorf("local daemon %+v; want running at base, debug 0", d)
		}
		if len(h.Info.Addrs) != 2 {
			t.Errorf("local addrs %v", h.Info.Addrs)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBusyLab(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	env := map[string]string{"IKEMU_LAB": dir, "IKEMU_LOCK_TIMEOUT": "100ms"}
	l, err := Open(testProc(env), nil)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	held := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		// bbolt's flock is per open file description, so a second open in
		// this process contends like another process would.
		_ = l.Update(func(*engine.Tx) error { close(held); <-release; return nil })
	}()
	<-held
	err = l.Update(func(*engine.Tx) error { return nil })
	close(release)
	wg.Wait()
	if !errors.Is(err, store.ErrBusy) {
		t.Fatalf("got %v, want lab is busy", err)
	}
}

// TestNoLostUpdate: concurrent writers each wait their turn; every
// increment lands.
func TestNoLostUpdate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	l, err := Open(testProc(map[string]string{"IKEMU_LAB": dir}), nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := l.Host(func(h *engine.Host) error {
				return h.Daemons().UpdateStats(func(s *engine.Stats) { s.InitAttempts++ })
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	_ = l.Host(func(h *engine.Host) error {
		v, err := h.Daemons().Stats()
		if v.InitAttempts != n {
			t.Errorf("attempts %d, want %d", v.InitAttempts, n)
		}
		return err
	})
}

func TestLockTimeoutParse(t *testing.T) {
	for in, want := range map[string]time.Duration{"": DefaultLockTimeout, "2s": 2 * time.Second, "1.5": 1500 * time.Millisecond} {
		got, err := lockTimeout(in)
		if err != nil || got != want {
			t.Errorf("lockTimeout(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := lockTimeout("soon"); err == nil {
		t.Error("lockTimeout(soon): want error")
	}
}

func TestSuperuserRule(t *testing.T) {
	if !IsSuperuser(0, 1000) || !IsSuperuser(1000, 1000) || IsSuperuser(1001, 1000) {
		t.Error("superuser rule: root or the lab owner only")
	}
}
