package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// TestReadsWriteNothing: the read-only commands leave lab.db byte for
// byte as it was (they open it read-only, with a shared lock), and a
// definition added with ikeadm is numbered when added, not when ike
// first lists it.
func TestReadsWriteNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	env := map[string]string{"IKEMU_LAB": dir, "HOME": t.TempDir(), "TZ": "UTC"}
	runTool := func(argv ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		p := &proc.Proc{Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errOut,
			Getenv: func(k string) string { return env[k] }, UID: os.Geteuid(), Dir: dir}
		if code := run(argv, p); code != 0 && argv[0] != "ikemu" {
			t.Fatalf("%v: exit %d: %s", argv, code, errOut.String())
		}
		return out.String()
	}
	// The first command creates the lab, even a read-only one.
	runTool("ikemu", "host", "list")
	runTool("ikeadm", "add", "rule", "{", "label", "r1", "local_addr", "127.0.0.1", "remote_addr", "10.0.0.2",
		"p1_xform", "{", "auth_method", "preshared", "oakley_group", "14", "auth_alg", "sha256", "encr_alg", "aes", "}", "}")
	db := filepath.Join(dir, "lab.db")
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	reads := [][]string{
		{"ike", "cmd=list"}, {"ike", "cmd=list", "db"}, {"ikemu", "host", "list"}, {"lssrc", "-g", "ike"},
		{"ikemu", "daemon", "status"}, {"ikeadm", "dump", "p1"}, {"ikeadm", "get", "stats"}, {"ikeadm", "dump", "rule"},
	}
	for _, argv := range reads {
		out := runTool(argv...)
		after, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Errorf("%v changed lab.db", argv)
			before = after
		}
		if argv[1] == "cmd=list" && len(argv) == 3 && !bytes.Contains([]byte(out), []byte("127.0.0.1")) {
			t.Errorf("ike cmd=list db does not list r1:\n%s", out)
		}
	}
	l, err := lab.Open(&proc.Proc{Getenv: func(k string) string { return env[k] }, UID: os.Geteuid()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = l.HostView(func(h *engine.Host) error {
		if n, ok := h.Tunnels().Number(engine.TunnelPhase1, "r1"); !ok || n != 1 {
			t.Errorf("rule r1 has tunnel number %d (stored %v), want 1 from when it was added", n, ok)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
