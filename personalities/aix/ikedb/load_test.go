package ikedb

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// runAsIkedb makes the test binary the ikedb command when a test starts
// it as a child process (a load to kill -9).
const runAsIkedb = "IKEMU_TEST_RUN_IKEDB"

func TestMain(m *testing.M) {
	if os.Getenv(runAsIkedb) == "1" {
		os.Exit(Main(os.Args[1:], proc.FromOS()))
	}
	os.Exit(m.Run())
}

// update runs fn in one read-write transaction of the lab.
func (e *testLab) update(fn func(*engine.Tx) error) {
	e.tb.Helper()
	l, err := lab.Open(e.proc(nil, io.Discard, io.Discard), nil)
	if err != nil {
		e.tb.Fatal(err)
	}
	if err := l.Update(fn); err != nil {
		e.tb.Fatal(err)
	}
}

// interrupted reports the load the lab records as in progress, as lab
// check does.
func (e *testLab) interrupted() *lab.InterruptedLoadError {
	e.tb.Helper()
	err := lab.Check(e.proc(nil, io.Discard, io.Discard))
	var il *lab.InterruptedLoadError
	if err != nil && !errors.As(err, &il) {
		e.tb.Fatalf("lab check: %v", err)
	}
	return il
}

// TestInterruptedLoadIsToldAndFinished: a load recorded as in progress
// (one that died after its rows) is one line on every later ikedb and in
// lab check; ikedb -p of the same file again, without -F, replaces what
// it stored and ends the record; ikedb -g then shows what one load
// shows.
func TestInterruptedLoadIsToldAndFinished(t *testing.T) {
	e := newTestLab(t)
	file := e.writeDoc("db.xml", genDoc(30))
	other := e.writeDoc("other.xml", genDoc(2))
	e.ok("-p", file)
	want := e.ok("-g")
	e.update(func(tx *engine.Tx) error {
		return lab.BeginLoad(tx, lab.Load{Host: e.hostName(), Command: "ikedb -p " + file, File: file})
	})
	line := "ikedb: \"ikedb -p " + file + "\" on host " + e.hostName() + " was interrupted and stored only part of " + file + "; run it again to finish it\n"
	if il := e.interrupted(); il == nil || il.Load.File != file {
		t.Fatalf("lab check after an interrupted load: %v", il)
	}
	out, errs, code := e.run("-g")
	if code != 0 || errs != line || out != want {
		t.Errorf("ikedb -g after an interrupted load: exit %d, stderr %q, want %q", code, errs, line)
	}
	// Another file: told, refused as usual (its names are taken), record kept.
	if _, errs, code := e.run("-p", other); code == 0 || !strings.HasPrefix(errs, line) {
		t.Errorf("ikedb -p of another file: exit %d, stderr %q", code, errs)
	}
	if e.interrupted() == nil {
		t.Fatal("the record of the interrupted load is gone")
	}
	e.ok("-p", file)
	if il := e.interrupted(); il != nil {
		t.Errorf("after ikedb -p again: %v", il)
	}
	if got := e.ok("-g"); got != want {
		t.Errorf("ikedb -g after finishing the load differs from one load's")
	}
}

func (e *testLab) hostName() string {
	e.tb.Helper()
	l, err := lab.Open(e.proc(nil, io.Discard, io.Discard), nil)
	if err != nil {
		e.tb.Fatal(err)
	}
	return l.HostName
}

// TestLoadKilled: a kill -9 in the middle of ikedb -p of a large file
// leaves a lab that opens, says which load was interrupted, and a second
// ikedb -p of the same file finishes it: ikedb -g then prints what one
// uninterrupted load does.
func TestLoadKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 10,000 triples in a child process")
	}
	e := newTestLab(t)
	file := e.writeDoc("db.xml", genDoc(10000))
	e.ok("-g") // makes the lab
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("no test executable to run as ikedb: %v", err)
	}
	dbFile := filepath.Join(e.dir, "lab", "lab.db")
	fi, err := os.Stat(dbFile)
	if err != nil {
		t.Fatal(err)
	}
	start := fi.Size()
	cmd := exec.Command(exe, "-p", file)
	cmd.Dir = e.dir
	cmd.Env = append(os.Environ(), runAsIkedb+"=1", "IKEMU_LAB="+filepath.Join(e.dir, "lab"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start the load: %v", err)
	}
	// Several batches in: the file has grown by a few MiB.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		if fi, err := os.Stat(dbFile); err == nil && fi.Size() > start+4<<20 {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the load wrote nothing in a minute; stderr: %s", stderr.String())
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if cmd.ProcessState.Success() {
		t.Skip("the load finished before the kill")
	}
	if il := e.interrupted(); il == nil || il.Load.File != file {
		t.Fatalf("lab check after kill -9: %v", il)
	}
	e.ok("-p", file)
	if il := e.interrupted(); il != nil {
		t.Errorf("after ikedb -p again: %v", il)
	}
	fresh := newTestLab(t)
	fresh.ok("-p", fresh.writeDoc("db.xml", genDoc(10000)))
	if e.ok("-g") != fresh.ok("-g") {
		t.Error("ikedb -g after finishing a killed load differs from one load's")
	}
}

// TestInterruptedStdinLoadIsFinishedWithF: a load of standard input that
// died is told with the -F that finishes it, and finished by it.
func TestInterruptedStdinLoadIsFinishedWithF(t *testing.T) {
	e := newTestLab(t)
	text, err := os.ReadFile(e.writeDoc("db.xml", genDoc(5)))
	if err != nil {
		t.Fatal(err)
	}
	stdin := func(args ...string) (string, int) {
		var errw bytes.Buffer
		code := mainWith(args, e.proc(bytes.NewReader(text), io.Discard, &errw), nil)
		return errw.String(), code
	}
	if errs, code := stdin("-p"); code != 0 || errs != "" {
		t.Fatalf("ikedb -p < file: exit %d, %s", code, errs)
	}
	e.update(func(tx *engine.Tx) error {
		return lab.BeginLoad(tx, lab.Load{Host: e.hostName(), Command: "ikedb -pF < FILE", File: "standard input"})
	})
	if _, errs, _ := e.run("-g"); !strings.Contains(errs, `"ikedb -pF < FILE"`) {
		t.Errorf("ikedb -g after an interrupted load of standard input: stderr %q", errs)
	}
	if errs, code := stdin("-pF"); code != 0 || errs != "" {
		t.Fatalf("ikedb -pF < file again: exit %d, %s", code, errs)
	}
	if il := e.interrupted(); il != nil {
		t.Errorf("after ikedb -pF again: %v", il)
	}
}
