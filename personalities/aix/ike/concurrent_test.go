package ike

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ikemu/ikemu/personalities/solaris"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// runAsIke makes the test binary the ike command when the tests start it
// as a child process (a process to kill -9, and to contend for the lab
// file lock as another command would).
const runAsIke = "IKEMU_TEST_RUN_IKE"

func TestMain(m *testing.M) {
	if os.Getenv(runAsIke) == "1" {
		os.Exit(Main(os.Args[1:], proc.FromOS()))
	}
	os.Exit(m.Run())
}

// activateTunnels is the number of tunnels of the lab the child activates:
// far more than the tests wait for, so it is still running when they act.
const activateTunnels = 300

// startActivate starts "ike cmd=activate" of every tunnel of a fresh lab
// in a child process, and waits until it has committed at least min
// tunnels. It returns the lab directory and the running child.
func startActivate(t *testing.T, min int) (string, *exec.Cmd) {
	t.Helper()
	if testing.Short() {
		t.Skip("negotiates real tunnels in a child process")
	}
	dir := activateLab(t, activateTunnels)
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("no test executable to run as ike: %v", err)
	}
	cmd := exec.Command(exe, "cmd=activate")
	cmd.Env = append(os.Environ(), runAsIke+"=1", "IKEMU_LAB="+dir, "IKEMU_HOST=a", "IKEMU_LOCK_TIMEOUT=10s")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start the activation: %v", err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	deadline := time.Now().Add(2 * time.Minute)
	for {
		n := committedTunnels(t, dir)
		if n >= min {
			return dir, cmd
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 2 minutes the activation has committed %d tunnels; stderr: %s", n, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// committedTunnels counts the phase 1 SAs host a has, as a reader sees
// them while the activation runs: within 2 s.
func committedTunnels(t *testing.T, dir string) int {
	t.Helper()
	start := time.Now()
	defer func() {
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("a reader waited %v for the activation, want at most 2s", took)
		}
	}()
	l, err := lab.Open(benchProc(dir, io.Discard, "a"), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = l.HostView(func(h *engine.Host) error {
		return h.SAs().ScanAllPhase1(func(*engine.Phase1SA) error { n++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestActivateKilled: a kill -9 in the middle of a multi-tunnel activate
// loses at most the batch of tunnels in flight. The lab opens, passes
// bbolt's consistency check, and holds every tunnel committed before the
// kill.
func TestActivateKilled(t *testing.T) {
	dir, cmd := startActivate(t, 3)
	before := committedTunnels(t, dir)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if cmd.ProcessState.Success() {
		t.Skip("the activation finished before the kill")
	}
	db, err := bolt.Open(filepath.Join(dir, "lab.db"), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatalf("lab after kill -9: %v", err)
	}
	err = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatalf("lab after kill -9 fails bbolt's check: %v", err)
	}
	after := committedTunnels(t, dir)
	if after < before || after >= activateTunnels {
		t.Errorf("after kill -9: %d tunnels, want at least the %d seen before and fewer than %d", after, before, activateTunnels)
	}
	var out bytes.Buffer
	if code := Main([]string{"cmd=list", "phase=1"}, benchProc(dir, &out, "a")); code != 0 {
		t.Fatalf("ike cmd=list after kill -9: exit %d", code)
	}
	if got := bytes.Count(out.Bytes(), []byte("\n")) - 1; got != after {
		t.Errorf("ike cmd=list after kill -9 lists %d tunnels, want %d", got, after)
	}
}

// TestReadDuringActivate: ike cmd=list and ikeadm get stats, started
// while a long activate runs, finish within 2 s and see the tunnels it
// has committed so far.
func TestReadDuringActivate(t *testing.T) {
	dir, _ := startActivate(t, 1)
	reads := map[string]func(p *proc.Proc) int{
		"ike cmd=list":     func(p *proc.Proc) int { return Main([]string{"cmd=list", "phase=1"}, p) },
		"ike cmd=list db":  func(p *proc.Proc) int { return Main([]string{"cmd=list", "db"}, p) },
		"ikeadm get stats": func(p *proc.Proc) int { return solaris.Ikeadm([]string{"get", "stats"}, p) },
	}
	for name, read := range reads {
		var out bytes.Buffer
		start := time.Now()
		code := read(benchProc(dir, &out, "a"))
		took := time.Since(start)
		if code != 0 {
			t.Errorf("%s during activate: exit %d", name, code)
		}
		if took > 2*time.Second {
			t.Errorf("%s during activate took %v, want at most 2s", name, took)
		}
		t.Logf("%s during activate: %v, %d bytes", name, took.Round(time.Millisecond), out.Len())
	}
	if committedTunnels(t, dir) == activateTunnels {
		t.Skip("the activation finished before the reads")
	}
}
