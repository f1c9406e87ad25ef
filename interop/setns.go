package interop

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
)

// sysSetns is setns(2) on linux/amd64 and linux/arm64's numbers, which
// package syscall does not export.
func setns(fd uintptr) error {
	nr := uintptr(308) // amd64
	if runtime.GOARCH == "arm64" {
		nr = 268
	}
	if _, _, e := syscall.RawSyscall(nr, fd, syscall.CLONE_NEWNET, 0); e != 0 {
		return e
	}
	return nil
}

// InNetns runs fn on an OS thread moved into namespace ns. Sockets fn
// opens stay in ns after it returns; the thread itself is thrown away
// (its goroutine ends locked), so no other goroutine ever runs in ns.
func InNetns(ns string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// No UnlockOSThread: the runtime ends the thread with the goroutine.
		f, err := os.Open("/run/netns/" + ns)
		if err != nil {
			errc <- fmt.Errorf("netns %s: %w", ns, err)
			return
		}
		defer f.Close()
		if err := setns(f.Fd()); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}
