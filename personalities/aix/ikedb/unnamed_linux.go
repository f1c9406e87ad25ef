//go:build linux && (amd64 || arm64)

package ikedb

import (
	"os"
	"syscall"
)

// oTmpfile is Linux's O_TMPFILE on amd64 and arm64 (__O_TMPFILE with
// O_DIRECTORY), which the syscall package does not name.
const oTmpfile = 0o20000000 | syscall.O_DIRECTORY

// unnamedFile makes a 0600 file in the temporary directory that never
// has a name (O_TMPFILE), so that not even a kill between its creation
// and its removal leaves it behind; where the file system cannot, one
// removed as soon as it is made.
func unnamedFile() (*os.File, error) {
	dir := os.TempDir()
	fd, err := syscall.Open(dir, syscall.O_RDWR|oTmpfile|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return removedFile()
	}
	return os.NewFile(uintptr(fd), dir+"/(unnamed)"), nil
}
