//go:build !windows

package wire

import "syscall"

// soReusePort is Linux's SO_REUSEPORT (absent from package syscall).
const soReusePort = 0xf

func reusePort(_, _ string, c syscall.RawConn) error {
	var serr error
	if err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, soReusePort, 1)
	}); err != nil {
		return err
	}
	return serr
}
