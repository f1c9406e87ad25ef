package main

import (
	"bytes"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// A transcript's long-running commands (ipseckey monitor) run in the
// background with a standard input the script holds open, so it decides
// when their input ends: bgstart starts one, bgwrite feeds it, bgwaitout waits until its
// output matches, bgclose ends its input, bgsignal signals it, and bgwait
// waits for its exit status and makes its output the script's stdout and
// stderr. Every wait is bounded (bgTimeout), so no transcript hangs.

const bgTimeout = 20 * time.Second

type bgKey struct{}

// bgProcs are a script's background commands by name.
type bgProcs map[string]*bgProc

type bgProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    lockedBuffer
	errb   lockedBuffer
	done   chan struct{}
	status int
}

// lockedBuffer is an output buffer the script may read while the
// command writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// bgEnvKeys are the script's environment as a background command needs it.
var bgEnvKeys = []string{"PATH", "HOME", "TZ", "WORK", "TMPDIR", "IKEMU_LAB", "IKEMU_HOST",
	"IKEMU_LOCK_TIMEOUT", "XDG_RUNTIME_DIR", "EXAMPLES"}

func bgOf(ts *testscript.TestScript, name string) *bgProc {
	procs := ts.Value(bgKey{}).(bgProcs)
	p := procs[name]
	if p == nil {
		ts.Fatalf("no background command %q", name)
	}
	return p
}

// bgStart: bgstart NAME PROG [ARGS...]
func bgStart(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: bgstart NAME PROG [ARGS...]")
	}
	procs := ts.Value(bgKey{}).(bgProcs)
	if procs[args[0]] != nil {
		ts.Fatalf("background command %q exists", args[0])
	}
	path, err := lookPathIn(ts.Getenv("PATH"), args[1])
	ts.Check(err)
	cmd := exec.Command(path, args[2:]...)
	cmd.Args[0] = args[1]
	cmd.Dir = ts.MkAbs(".")
	for _, k := range bgEnvKeys {
		if v := ts.Getenv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	p := &bgProc{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.out, &p.errb
	p.stdin, err = cmd.StdinPipe()
	ts.Check(err)
	ts.Check(cmd.Start())
	go func() {
		err := cmd.Wait()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee) && ee.ProcessState.Exited():
			p.status = ee.ExitCode()
		case errors.As(err, &ee):
			p.status = 128 + int(ee.Sys().(syscall.WaitStatus).Signal())
		case err != nil:
			p.status = -1
		}
		close(p.done)
	}()
	procs[args[0]] = p
	ts.Defer(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
}

// lookPathIn finds a program in the script's PATH.
func lookPathIn(path, prog string) (string, error) {
	for _, dir := range filepath.SplitList(path) {
		c := filepath.Join(dir, prog)
		if _, err := exec.LookPath(c); err == nil {
			return c, nil
		}
	}
	return "", exec.ErrNotFound
}

// bgWaitOut: bgwaitout NAME REGEXP waits until the command's output so
// far matches.
func bgWaitOut(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bgwaitout NAME REGEXP")
	}
	p := bgOf(ts, args[0])
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	deadline := time.Now().Add(bgTimeout)
	for !re.MatchString(p.out.String()) {
		select {
		case <-p.done:
			if !re.MatchString(p.out.String()) {
				ts.Fatalf("%s exited before its output matched %q:\n%s", args[0], args[1], p.out.String())
			}
			return
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s: no output matching %q in %v:\n%s", args[0], args[1], bgTimeout, p.out.String())
		}
	}
}

// bgWrite: bgwrite NAME FILE writes FILE to the command's standard input.
func bgWrite(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bgwrite NAME FILE")
	}
	_, err := io.WriteString(bgOf(ts, args[0]).stdin, ts.ReadFile(args[1]))
	ts.Check(err)
}

// bgClose: bgclose NAME ends the command's standard input.
func bgClose(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: bgclose NAME")
	}
	ts.Check(bgOf(ts, args[0]).stdin.Close())
}

// bgSignal: bgsignal NAME INT|TERM|HUP
func bgSignal(ts *testscript.TestScript, neg bool, args []string) {
	sigs := map[string]syscall.Signal{"INT": syscall.SIGINT, "TERM": syscall.SIGTERM, "HUP": syscall.SIGHUP}
	if neg || len(args) != 2 || sigs[args[1]] == 0 {
		ts.Fatalf("usage: bgsignal NAME INT|TERM|HUP")
	}
	ts.Check(bgOf(ts, args[0]).cmd.Process.Signal(sigs[args[1]]))
}

// bgWait: bgwait NAME [STATUS] waits for the command to exit with STATUS
// (default 0); its output becomes stdout and stderr.
func bgWait(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: bgwait NAME [STATUS]")
	}
	want := 0
	if len(args) == 2 {
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		want = n
	}
	p := bgOf(ts, args[0])
	select {
	case <-p.done:
	case <-time.After(bgTimeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		ts.Fatalf("%s did not exit in %v", args[0], bgTimeout)
	}
	io.WriteString(ts.Stdout(), p.out.String())
	io.WriteString(ts.Stderr(), p.errb.String())
	if p.status != want {
		ts.Fatalf("%s exited with status %d; want %d", args[0], p.status, want)
	}
}

// pidField is a PF_KEY message's pid, which differs from run to run for
// the tools' own messages.
var pidField = regexp.MustCompile(`pid=[0-9]+\.`)

// cmpPID: cmppid stdout|stderr FILE compares like cmp, with every
// "pid=N." of the output read as "pid=PID.", unless N is 0 (the
// kernel's own messages) or 4194304 and up (the lab's daemons).
func cmpPID(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmppid stdout|stderr FILE")
	}
	got := pidField.ReplaceAllStringFunc(ts.ReadFile(args[0]), func(m string) string {
		n, err := strconv.Atoi(m[len("pid=") : len(m)-1])
		if err != nil || n == 0 || n >= 4194304 {
			return m
		}
		return "pid=PID."
	})
	want := ts.ReadFile(args[1])
	if got != want {
		ts.Fatalf("%s differs from %s:\n%s", args[0], args[1], lineDiff(want, got))
	}
}

// lineDiff shows the first line where two texts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\nwant: " + strconv.Quote(wl) + "\ngot:  " + strconv.Quote(gl) + "\n\ngot all:\n" + got
		}
	}
	return ""
}
