package lab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/token/tokentest"
)

// memoryDir is a fresh tmpfs directory standing for XDG_RUNTIME_DIR.
func memoryDir(t *testing.T) string {
	t.Helper()
	dir, err := tokentest.NewRuntimeDir()
	if err != nil {
		t.Skipf("no tmpfs at %s: %v", tokentest.SharedMemory, err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if mem, err := MemoryBacked(dir); err != nil || !mem {
		t.Skipf("%s is not tmpfs (%v)", tokentest.SharedMemory, err)
	}
	return dir
}

func testStore(base, lab string) pinStore {
	return newPINStore(func(k string) string {
		if k == "XDG_RUNTIME_DIR" {
			return base
		}
		return ""
	}, lab)
}

var testRun = engine.DaemonRun{Host: "local", PID: 1000, Started: time.Date(2026, 3, 4, 10, 15, 0, 0, time.UTC)}

func TestPINStoreKeepsAndForgets(t *testing.T) {
	base := memoryDir(t)
	p := testStore(base, "/labs/one")
	slot := engine.PINSlot{Run: testRun, Token: "ikemu token"}
	if err := p.Store(slot, "pin-1234"); err != nil {
		t.Fatal(err)
	}
	if pin, ok, err := p.PIN(slot); pin != "pin-1234" || !ok || err != nil {
		t.Fatalf("PIN = %q %v %v", pin, ok, err)
	}
	fi, err := os.Stat(filepath.Join(base, "ikemu"))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("directory: %v %v", fi.Mode(), err)
	}
	ents, _ := os.ReadDir(filepath.Join(base, "ikemu"))
	if len(ents) != 1 {
		t.Fatalf("files %v", ents)
	}
	if fi, _ := ents[0].Info(); fi.Mode() != 0o600 || strings.Contains(ents[0].Name(), "ikemu token") {
		t.Errorf("file %s mode %v", ents[0].Name(), fi.Mode())
	}
	// Replacing keeps one file.
	if err := p.Store(slot, "pin-5678"); err != nil {
		t.Fatal(err)
	}
	if pin, _, _ := p.PIN(slot); pin != "pin-5678" {
		t.Errorf("replaced PIN = %q", pin)
	}
	// Another run, token or lab finds nothing.
	later := testRun
	later.Started = later.Started.Add(time.Nanosecond)
	for _, other := range []struct {
		p pinStore
		s engine.PINSlot
	}{
		{p, engine.PINSlot{Run: later, Token: slot.Token}},
		{p, engine.PINSlot{Run: engine.DaemonRun{Host: "local", PID: 1001, Started: testRun.Started}, Token: slot.Token}},
		{p, engine.PINSlot{Run: engine.DaemonRun{Host: "other", PID: 1000, Started: testRun.Started}, Token: slot.Token}},
		{p, engine.PINSlot{Run: testRun, Token: "other token"}},
		{testStore(base, "/labs/two"), slot},
	} {
		if pin, ok, err := other.p.PIN(other.s); ok || err != nil {
			t.Errorf("%+v in %s found %q (%v)", other.s, other.p.lab, pin, err)
		}
	}
	if err := p.Forget(slot); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := p.PIN(slot); ok {
		t.Error("PIN kept after Forget")
	}
	if err := p.Forget(slot); err != nil {
		t.Errorf("forgetting twice: %v", err)
	}
}

func TestPINStoreForgetsRunsAndLabs(t *testing.T) {
	base := memoryDir(t)
	one, two := testStore(base, "/labs/one"), testStore(base, "/labs/two")
	other := engine.DaemonRun{Host: "other", PID: 1001, Started: testRun.Started}
	slots := []engine.PINSlot{{Run: testRun, Token: "a"}, {Run: testRun, Token: "b"}, {Run: other, Token: "a"}}
	for _, p := range []pinStore{one, two} {
		for _, s := range slots {
			if err := p.Store(s, "1234"); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A file a killed login left half made belongs to its run.
	if err := os.WriteFile(one.path(slots[0])+".new-0011223344556677", []byte("12"), 0o600); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		ents, err := os.ReadDir(one.dir())
		if err != nil {
			t.Fatal(err)
		}
		return len(ents)
	}
	if err := one.ForgetRun(testRun); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 4 {
		t.Errorf("%d files after ForgetRun, want 4", n)
	}
	if _, ok, _ := one.PIN(slots[2]); !ok {
		t.Error("ForgetRun forgot another run")
	}
	if err := one.forgetLab(); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 3 {
		t.Errorf("%d files after forgetLab, want lab two's 3", n)
	}
}

func TestPINStoreRefusesPersistentStorage(t *testing.T) {
	slot := engine.PINSlot{Run: testRun, Token: "a"}
	disk := t.TempDir()
	if mem, _ := MemoryBacked(disk); mem {
		t.Skipf("the test's temporary directory %s is tmpfs", disk)
	}
	mem := memoryDir(t)
	wide := filepath.Join(mem, "wide")
	if err := os.MkdirAll(filepath.Join(wide, "ikemu"), 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(wide, "ikemu"), 0o755)
	linked := filepath.Join(mem, "linked")
	os.Mkdir(linked, 0o700)
	os.Symlink(disk, filepath.Join(linked, "ikemu"))
	for _, tc := range []struct{ base, want string }{
		{"", "XDG_RUNTIME_DIR is not set, and a PIN is kept only in memory-backed storage"},
		{"run/user/0", `XDG_RUNTIME_DIR "run/user/0" is not an absolute path`},
		{disk, disk + " is not memory-backed (tmpfs or ramfs), and a PIN never goes to persistent storage"},
		{wide, wide + "/ikemu must be a directory of yours with mode 0700"},
		{linked, linked + "/ikemu must be a directory of yours with mode 0700"},
	} {
		p := pinStore{base: tc.base, lab: "/labs/one"}
		if err := p.Store(slot, "1234"); err == nil || err.Error() != tc.want {
			t.Errorf("base %q: %v, want %q", tc.base, err, tc.want)
		}
	}
	if ents, _ := os.ReadDir(disk); len(ents) != 0 {
		t.Errorf("made on disk: %v", ents)
	}
}

func TestPINStoreRefusesOpenFile(t *testing.T) {
	base := memoryDir(t)
	p := testStore(base, "/labs/one")
	slot := engine.PINSlot{Run: testRun, Token: "a"}
	if err := p.Store(slot, "1234"); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p.path(slot), 0o644)
	if _, ok, err := p.PIN(slot); ok || err == nil || !strings.Contains(err.Error(), "is not a 0600 file of yours") {
		t.Errorf("world-readable PIN file: %v %v", ok, err)
	}
	if err := p.Store(slot, strings.Repeat("1", maxPIN+1)); err == nil {
		t.Error("a PIN longer than maxPIN was stored")
	}
}
