package ipseckey

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/proc"
)

// syncBuffer is an output the test reads while the monitor writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runMonitor starts "ipseckey monitor" in-process on a fresh lab with a
// standard input the test holds, and returns once it has printed its
// banner (so its signal handler is in place).
func runMonitor(t *testing.T) (stdin io.WriteCloser, out, errw *syncBuffer, code <-chan int) {
	t.Helper()
	env := map[string]string{"IKEMU_LAB": t.TempDir() + "/lab", "TZ": "UTC"}
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	out, errw = &syncBuffer{}, &syncBuffer{}
	p := &proc.Proc{Stdin: r, Stdout: out, Stderr: errw, Getenv: func(k string) string { return env[k] }, UID: os.Geteuid()}
	done := make(chan int, 1)
	go func() { done <- Main([]string{"monitor"}, p) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "type X_PROMISC") {
		select {
		case c := <-done:
			t.Fatalf("monitor exited %d before its banner: %s%s", c, out, errw)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no banner in 10s")
		}
	}
	return w, out, errw, done
}

func waitCode(t *testing.T, code <-chan int) int {
	t.Helper()
	select {
	case c := <-code:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("monitor did not stop in 10s")
	}
	return -1
}

// The monitor's stop conditions: SIGINT (monitor_catch's errx, status
// 2), SIGTERM and SIGHUP (the vendor dies of them: 128+n, silently), and
// the end of standard input (status 0). None leaves it running.
func TestMonitorStops(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stop   func(stdin io.Closer)
		code   int
		stderr string
	}{
		{"SIGINT", func(io.Closer) { syscall.Kill(os.Getpid(), syscall.SIGINT) }, 2, "ipseckey: Bailing on signal 2.\n"},
		{"SIGTERM", func(io.Closer) { syscall.Kill(os.Getpid(), syscall.SIGTERM) }, 143, ""},
		{"SIGHUP", func(io.Closer) { syscall.Kill(os.Getpid(), syscall.SIGHUP) }, 129, ""},
		{"EOF", func(stdin io.Closer) { stdin.Close() }, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdin, out, errw, code := runMonitor(t)
			tc.stop(stdin)
			if got := waitCode(t, code); got != tc.code {
				t.Errorf("exit %d, want %d", got, tc.code)
			}
			if errw.String() != tc.stderr {
				t.Errorf("stderr %q, want %q", errw.String(), tc.stderr)
			}
			if !strings.HasPrefix(out.String(), "Actively monitoring the PF_KEY socket.\nRead 16 bytes.\n") {
				t.Errorf("stdout %q", out.String())
			}
		})
	}
}
