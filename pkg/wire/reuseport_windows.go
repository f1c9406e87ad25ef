package wire

import (
	"errors"
	"syscall"
)

// reusePort has no Windows counterpart; ikemu does not build there (see
// pkg/proc), and this file only keeps that refusal the one error.
func reusePort(_, _ string, _ syscall.RawConn) error {
	return errors.New("SO_REUSEPORT is not available on Windows")
}
