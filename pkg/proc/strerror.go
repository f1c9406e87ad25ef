package proc

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// Strerror renders an error from a file operation as the C library's
// strerror does ("No such file or directory"), which is what both
// vendors' tools print after a failed open.
func Strerror(err error) string {
	var errno syscall.Errno
	switch {
	case errors.Is(err, fs.ErrExist):
		return "File exists"
	case errors.Is(err, fs.ErrNotExist):
		return "No such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "Permission denied"
	case errors.As(err, &errno):
		return capitalize(errno.Error())
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return capitalize(pe.Err.Error())
	}
	return capitalize(err.Error())
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
