//go:build linux

package solaris

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/ikemu/ikemu/pkg/proc"
)

// TestInteractiveLineEditing drives an interactive ikeadm on a real
// pseudo-terminal: Up recalls the last line from history, Ctrl-A and
// Ctrl-E move to the ends of the line, Backspace erases, and Ctrl-D on an
// empty line ends the session with status 0. No key ever reaches the
// command parser as an escape sequence.
func TestInteractiveLineEditing(t *testing.T) {
	master, slave := openPTY(t)
	screen := &ptyScreen{}
	go screen.copyFrom(master)

	env := map[string]string{"IKEMU_LAB": t.TempDir()}
	p := &proc.Proc{Stdin: slave, Stdout: slave, Stderr: slave, OnTerminal: true,
		Getenv: func(k string) string { return env[k] }, UID: os.Geteuid()}
	done := make(chan int, 1)
	go func() { done <- Ikeadm(nil, p) }()

	const privLine = "Current privilege level is 0x0, base privileges"
	steps := []struct {
		keys string
		want string // on the screen after the keys, counting from the start
		n    int    // how many times
	}{
		{"", "ikeadm> ", 1},
		{"get priv\r", privLine, 1},
		{"\x1b[A\r", privLine, 2},           // Up: the same line again
		{"et priv\x01g\x05\r", privLine, 3}, // typed without its g, Ctrl-A, g, Ctrl-E
		{"get privx\x7f\r", privLine, 4},    // Backspace
		{"\x04", "", 0},
	}
	for _, s := range steps {
		if s.want != "" || s.n == 0 {
			// The next keys go in only once the prompt is back, so the
			// terminal is raw again and nothing is echoed by the driver.
			screen.waitFor(t, "ikeadm> ", strings.Count(screen.text(), privLine)+1)
		}
		if _, err := master.Write([]byte(s.keys)); err != nil {
			t.Fatal(err)
		}
		if s.want != "" {
			screen.waitFor(t, s.want, s.n)
		}
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("ikeadm ended with status %d; want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Ctrl-D did not end the session; screen:\n%q", screen.text())
	}
	got := screen.text()
	if strings.Contains(got, "Unrecognized") || strings.Contains(got, "^[") {
		t.Errorf("a key reached the parser:\n%q", got)
	}
	if !strings.Contains(got, "ikeadm> get priv\r\n") {
		t.Errorf("the typed line was not echoed by the editor:\n%q", got)
	}
}

// ptyScreen collects what the program writes to the terminal.
type ptyScreen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *ptyScreen) copyFrom(master *os.File) {
	b := make([]byte, 4096)
	for {
		n, err := master.Read(b)
		s.mu.Lock()
		s.buf.Write(b[:n])
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (s *ptyScreen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until want appears n times on the screen.
func (s *ptyScreen) waitFor(t *testing.T, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(s.text(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%q did not appear %d times; screen:\n%q", want, n, s.text())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// openPTY opens a new pseudo-terminal pair (Linux ptmx).
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	unlock := 0
	if err := ptyIoctl(master, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		t.Skipf("cannot unlock pty: %v", err)
	}
	var n uint32
	if err := ptyIoctl(master, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		t.Skipf("cannot name pty: %v", err)
	}
	slave, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("cannot open pty slave: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	return master, slave
}

func ptyIoctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(arg)); e != 0 {
		return e
	}
	return nil
}
