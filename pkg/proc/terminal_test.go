//go:build linux

package proc

import (
	"os"
	"strconv"
	"syscall"
	"testing"
	"unsafe"
)

// TestBothTerminals: /dev/null is a character device but no terminal;
// a pty is one only when it is on both sides.
func TestBothTerminals(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if bothTerminals(null, null) {
		t.Error("/dev/null taken for a terminal")
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()

	tty := openPTY(t)
	if !bothTerminals(tty, tty) {
		t.Error("a pty on both sides not taken for a terminal")
	}
	if bothTerminals(tty, pw) {
		t.Error("terminal input with piped output taken for a terminal")
	}
	if bothTerminals(pr, tty) {
		t.Error("piped input with terminal output taken for a terminal")
	}
}

// openPTY opens the slave side of a new pseudo-terminal (Linux ptmx).
func openPTY(t *testing.T) *os.File {
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
	slave, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("cannot open pty slave: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	return slave
}

func ptyIoctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(arg)); e != 0 {
		return e
	}
	return nil
}
