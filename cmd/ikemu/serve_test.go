package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/lab"
)

// serveLab runs the test binary as ikemu's tools against one lab, the
// way a user's shell does, and starts `ikemu serve` children on loopback.
type serveLab struct {
	t    *testing.T
	self string
	env  []string
	dir  string
}

func newServeLab(t *testing.T) *serveLab {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	run := filepath.Join(base, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	l := &serveLab{t: t, self: self, dir: filepath.Join(base, "lab"),
		env: []string{"IKEMU_LAB=" + filepath.Join(base, "lab"), "HOME=" + base, "TZ=UTC",
			"IKEMU_LOCK_TIMEOUT=5s", "XDG_RUNTIME_DIR=" + run, "PATH=" + os.Getenv("PATH")}}
	l.must("ikemu", "lab", "init", "--seed", "1")
	return l
}

// command is argv as the named tool, with a 10 s limit.
func (l *serveLab) command(argv ...string) *exec.Cmd {
	cmd := &exec.Cmd{Path: l.self, Args: argv, Env: l.env, WaitDelay: time.Second}
	return cmd
}

// run runs argv to its end and returns stdout, stderr and the exit code.
func (l *serveLab) run(argv ...string) (string, string, int) {
	l.t.Helper()
	cmd := l.command(argv...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		l.t.Fatalf("%v did not end within 20 s", argv)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errb.String(), exit.ExitCode()
	}
	if err != nil {
		l.t.Fatalf("%v: %v", argv, err)
	}
	return out.String(), errb.String(), 0
}

func (l *serveLab) must(argv ...string) string {
	l.t.Helper()
	out, errs, code := l.run(argv...)
	if code != 0 {
		l.t.Fatalf("%v: exit %d\n%s%s", argv, code, out, errs)
	}
	return out
}

// server is a running ikemu serve child, its stderr in a file.
type server struct {
	t   *testing.T
	cmd *exec.Cmd
	log string
	end chan error
}

// serve starts ikemu serve with args on a free loopback port and waits
// (at most 10 s) until it says which process it is.
func (l *serveLab) serve(args ...string) *server {
	l.t.Helper()
	s := l.startServe(args...)
	if !waitUntil(10*time.Second, func() bool { return strings.Contains(s.Log(), "SIGHUP rereads") }) {
		s.kill()
		l.t.Fatalf("ikemu serve did not start:\n%s", s.Log())
	}
	return s
}

func (l *serveLab) startServe(args ...string) *server {
	l.t.Helper()
	log := filepath.Join(l.t.TempDir(), "serve.log")
	f, err := os.Create(log)
	if err != nil {
		l.t.Fatal(err)
	}
	defer f.Close()
	argv := append([]string{"ikemu", "serve", "--port", strconv.Itoa(freeUDPPort(l.t))}, args...)
	cmd := l.command(argv...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	s := &server{t: l.t, cmd: cmd, log: log, end: make(chan error, 1)}
	go func() { s.end <- cmd.Wait() }()
	l.t.Cleanup(s.kill)
	return s
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) Log() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

func (s *server) signal(sig syscall.Signal) {
	s.t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatalf("signal %v: %v", sig, err)
	}
}

// wait waits at most 10 s for the child to exit and returns its status.
func (s *server) wait() (int, bool) {
	select {
	case err := <-s.end:
		s.end <- err
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), true
		}
		return 0, err == nil
	case <-time.After(10 * time.Second):
		return 0, false
	}
}

func (s *server) kill() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Kill()
		<-s.end
		s.end <- nil
	}
}

func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

func waitUntil(limit time.Duration, ok func() bool) bool {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return ok()
}

// shownPIDs are the process ids every front end prints for the current
// host's running daemons: lssrc -g ike and -s, svcs -p, ikemu host list
// (text and JSON) and ikemu daemon status.
func (l *serveLab) shownPIDs() map[string]int {
	l.t.Helper()
	pids := map[string]int{}
	for _, line := range strings.Split(l.must("lssrc", "-g", "ike"), "\n")[1:] {
		if f := strings.Fields(line); len(f) == 4 && f[3] == "active" {
			pids["lssrc -g ike "+f[0]] = atoi(l.t, f[2])
		}
	}
	if f := strings.Fields(lastLine(l.must("lssrc", "-s", "isakmpd"))); len(f) == 4 {
		pids["lssrc -s isakmpd"] = atoi(l.t, f[2])
	}
	if f := strings.Fields(lastLine(l.must("svcs", "-H", "-p", "ike"))); len(f) == 3 && f[2] == "in.iked" {
		pids["svcs -p"] = atoi(l.t, f[1])
	}
	status, _, _ := l.run("ikemu", "daemon", "status") // exit 3 when stopped
	if _, pid, ok := strings.Cut(status, "running, pid "); ok {
		pids["daemon status"] = atoi(l.t, strings.TrimRight(strings.Fields(pid)[0], ","))
	}
	if _, pid, ok := strings.Cut(l.must("ikemu", "host", "list"), "running, pid "); ok {
		pids["host list"] = atoi(l.t, strings.TrimRight(strings.Fields(pid)[0], ","))
	}
	var env struct {
		Items []struct {
			Iked struct {
				PID int `json:"pid"`
			} `json:"in.iked"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(l.must("ikemu", "host", "list", "-o", "json")), &env); err != nil {
		l.t.Fatal(err)
	}
	if len(env.Items) == 1 && env.Items[0].Iked.PID != 0 {
		pids["host list -o json"] = env.Items[0].Iked.PID
	}
	return pids
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a process id: %q", s)
	}
	return n
}

// allViews are the keys shownPIDs fills while in.iked and the ike group run.
var allViews = []string{"lssrc -g ike tmd", "lssrc -g ike isakmpd", "lssrc -g ike cpsd", "lssrc -s isakmpd",
	"svcs -p", "daemon status", "host list", "host list -o json"}

func checkPIDs(t *testing.T, pids map[string]int, want func(int) bool, what string) {
	t.Helper()
	for _, k := range allViews {
		pid, ok := pids[k]
		if !ok {
			t.Errorf("%s shows no running daemon", k)
			continue
		}
		if !want(pid) {
			t.Errorf("%s shows pid %d, want %s", k, pid, what)
		}
	}
}

const serveRuleOne = `{ label "one" local_addr 127.0.0.1 remote_addr 127.0.0.2
  p1_xform { auth_method preshared oakley_group 2 encr_alg aes auth_alg sha1 } }
`

const serveRuleTwo = `{ label "two" local_addr 127.0.0.1 remote_addr 127.0.0.3
  p1_xform { auth_method preshared oakley_group 2 encr_alg aes auth_alg sha1 } }
`

// TestServeIsTheDaemonsProcess: while ikemu serve serves a host, every
// PID printed for its running daemons is serve's own; SIGHUP makes
// in.iked reread ike.config (a file that does not load changes nothing);
// SIGTERM stops serve and the daemons it was. A high port on loopback
// needs no root.
func TestServeIsTheDaemonsProcess(t *testing.T) {
	l := newServeLab(t)
	config := filepath.Join(l.dir, "hosts", "local", "root", "etc", "inet", "ike", "config")
	if err := os.WriteFile(config, []byte(serveRuleOne), 0o644); err != nil {
		t.Fatal(err)
	}
	l.must("ikemu", "daemon", "stop")
	l.must("ikemu", "daemon", "start", "--debug", "op")
	debugLog := filepath.Join(l.dir, "hosts", "local", "root", "var", "log", "in.iked.log")
	checkPIDs(t, l.shownPIDs(), func(p int) bool { return p >= lab.FirstPID }, "an emulated one")

	s := l.serve("--host", "local")
	checkPIDs(t, l.shownPIDs(), func(p int) bool { return p == s.pid() }, fmt.Sprintf("serve's %d", s.pid()))
	// A daemon started while serve serves the host is serve's too.
	l.must("stopsrc", "-s", "cpsd")
	if out := l.must("startsrc", "-s", "cpsd"); !strings.Contains(out, fmt.Sprintf("Subsystem PID is %d.", s.pid())) {
		t.Errorf("startsrc: %s", out)
	}

	// SIGHUP: in.iked rereads ike.config.
	if out := l.must("ikeadm", "dump", "rule"); !strings.Contains(out, `Label 'one'`) {
		t.Fatalf("dump rule before SIGHUP:\n%s", out)
	}
	if err := os.WriteFile(config, []byte(serveRuleTwo), 0o644); err != nil {
		t.Fatal(err)
	}
	s.signal(syscall.SIGHUP)
	if !waitUntil(10*time.Second, func() bool { return strings.Contains(s.Log(), "local: in.iked reread its configuration") }) {
		t.Fatalf("no reload after SIGHUP:\n%s", s.Log())
	}
	if out := l.must("ikeadm", "dump", "rule"); !strings.Contains(out, `Label 'two'`) || strings.Contains(out, `Label 'one'`) {
		t.Errorf("dump rule after SIGHUP:\n%s", out)
	}
	// A configuration that does not load changes nothing.
	if err := os.WriteFile(config, []byte("{ label \"bad\" nonsense }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.signal(syscall.SIGHUP)
	if !waitUntil(10*time.Second, func() bool { return strings.Contains(s.Log(), "local: in.iked kept its configuration") }) {
		t.Fatalf("no refused reload after SIGHUP:\n%s", s.Log())
	}
	if out := l.must("ikeadm", "dump", "rule"); !strings.Contains(out, `Label 'two'`) {
		t.Errorf("dump rule after a bad SIGHUP:\n%s", out)
	}
	// in.iked logs under the PID it is shown with.
	mine := fmt.Sprintf(" in.iked[%d]: op: ", s.pid())
	if b, _ := os.ReadFile(debugLog); !strings.Contains(string(b), mine+"line 1 near token 'nonsense'") {
		t.Errorf("in.iked's debug log:\n%s", b)
	}
	checkPIDs(t, l.shownPIDs(), func(p int) bool { return p == s.pid() }, fmt.Sprintf("serve's %d", s.pid()))

	// SIGTERM: serve exits, the daemons it was are stopped.
	s.signal(syscall.SIGTERM)
	code, ok := s.wait()
	if !ok || code != 0 {
		t.Fatalf("serve after SIGTERM: exited %v, status %d\n%s", ok, code, s.Log())
	}
	if !strings.Contains(s.Log(), "local: stopped in.iked, cpsd, isakmpd, tmd") {
		t.Errorf("serve's log:\n%s", s.Log())
	}
	if b, _ := os.ReadFile(debugLog); !strings.Contains(string(b), mine+"in.iked stopping\n") {
		t.Errorf("in.iked's debug log:\n%s", b)
	}
	checkStopped(t, l)
}

// checkStopped: in.iked is not running, SMF's ike is no longer online and
// the ike group is inoperative.
func checkStopped(t *testing.T, l *serveLab) {
	t.Helper()
	if pids := l.shownPIDs(); len(pids) != 0 {
		t.Errorf("daemons still shown running: %v", pids)
	}
	if out, _, code := l.run("ikemu", "daemon", "status"); code != 3 || out != "in.iked: stopped\n" {
		t.Errorf("daemon status: exit %d, %q", code, out)
	}
	if out := l.must("svcs", "-H", "ike"); strings.HasPrefix(out, "online") {
		t.Errorf("svcs ike: %q", out)
	}
	if out := l.must("lssrc", "-g", "ike"); strings.Count(out, "inoperative") != 3 {
		t.Errorf("lssrc -g ike:\n%s", out)
	}
}

// TestServeKilledLeavesNoDangerousPID: a second serve of a served host is
// refused; a serve killed with SIGKILL leaves its record behind, which
// is recognised as stale: the daemons show their emulated PIDs again
// (never the dead one, which the kernel may hand to another process), and
// a new serve takes the host over; SIGINT stops it as SIGTERM does.
func TestServeKilledLeavesNoDangerousPID(t *testing.T) {
	l := newServeLab(t)
	s := l.serve("--host", "local")
	second := l.startServe("--host", "local")
	if code, ok := second.wait(); !ok || code != 1 {
		t.Fatalf("second serve: exited %v, status %d\n%s", ok, code, second.Log())
	}
	want := fmt.Sprintf("ikemu: host local is already served by process %d\n", s.pid())
	if got := second.Log(); got != want {
		t.Errorf("second serve's stderr %q, want %q", got, want)
	}
	checkPIDs(t, l.shownPIDs(), func(p int) bool { return p == s.pid() }, fmt.Sprintf("serve's %d", s.pid()))

	s.signal(syscall.SIGKILL)
	if _, ok := s.wait(); !ok {
		t.Fatal("serve did not die of SIGKILL")
	}
	checkPIDs(t, l.shownPIDs(), func(p int) bool { return p >= lab.FirstPID }, "an emulated one")

	again := l.serve("--host", "local")
	checkPIDs(t, l.shownPIDs(), func(p int) bool { return p == again.pid() }, fmt.Sprintf("serve's %d", again.pid()))
	again.signal(syscall.SIGINT)
	if code, ok := again.wait(); !ok || code != 0 {
		t.Fatalf("serve after SIGINT: exited %v, status %d\n%s", ok, code, again.Log())
	}
	checkStopped(t, l)
}
