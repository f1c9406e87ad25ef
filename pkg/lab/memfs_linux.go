package lab

import (
	"io/fs"
	"syscall"
)

// MemoryBacked tells whether dir is on a file system that lives in
// memory only, tmpfs or ramfs: where token PINs may be kept.
func MemoryBacked(dir string) (bool, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return false, &fs.PathError{Op: "statfs", Path: dir, Err: err}
	}
	// The field's type varies by architecture; the magic numbers are 32-bit.
	switch uint32(st.Type) {
	case tmpfsMagic, ramfsMagic:
		return true, nil
	}
	return false, nil
}
