package lab

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ikemu/ikemu/pkg/proc"
	"github.com/ikemu/ikemu/pkg/store"
)

// ErrOlderSchema is what Check returns for a lab an older ikemu wrote:
// it has no checksums to check, and the next command that writes it
// migrates it.
var ErrOlderSchema = store.ErrOlderSchema

// locate finds the lab of p's environment without creating it.
func locate(p *proc.Proc) (dir, db string, err error) {
	dir, err = Dir(p.Getenv)
	if err != nil {
		return "", "", err
	}
	db = filepath.Join(dir, dbName)
	if _, err := os.Stat(db); err != nil {
		return "", "", fmt.Errorf("no lab database at %s: %w", db, errors.Unwrap(err))
	}
	return dir, db, nil
}

// Check reads every record of the lab's file and returns nil when the
// file is sound, its DamagedError when it is not. It writes nothing.
func Check(p *proc.Proc) error {
	dir, db, err := locate(p)
	if err != nil {
		return err
	}
	timeout, err := lockTimeout(p.Getenv("IKEMU_LOCK_TIMEOUT"))
	if err != nil {
		return err
	}
	l := &Lab{Dir: dir, lockTimeout: timeout}
	if err := l.checkNotEmptied(db); err != nil {
		return err
	}
	if err := store.Check(db, timeout); err != nil {
		return err
	}
	sdb, err := l.openDB(true)
	if err != nil {
		return err
	}
	defer sdb.Close()
	return checkLoad(sdb)
}

// Salvage makes a new lab in newDir (which must not exist, or be empty)
// from the lab of p's environment: every record of its file whose
// checksum holds, and a copy of each host's file tree. The old lab is
// left as it was.
func Salvage(p *proc.Proc, newDir string) (*store.SalvageReport, error) {
	dir, db, err := locate(p)
	if err != nil {
		return nil, err
	}
	newDir, err = filepath.Abs(newDir)
	if err != nil {
		return nil, err
	}
	if err := makeEmptyDir(newDir); err != nil {
		return nil, fmt.Errorf("salvage into %s: %w", newDir, err)
	}
	if err := copyTree(filepath.Join(dir, "hosts"), filepath.Join(newDir, "hosts")); err != nil {
		return nil, fmt.Errorf("salvage host trees into %s: %w", newDir, err)
	}
	return store.Salvage(db, filepath.Join(newDir, dbName))
}

func makeEmptyDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err == nil || !errors.Is(err, fs.ErrExist) {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return errors.New("not empty")
	}
	return nil
}

// copyTree copies the directories and regular files under src to dst,
// keeping their permission bits; a lab without host trees has none.
func copyTree(src, dst string) error {
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(to, info.Mode().Perm()|0o700)
		case info.Mode().IsRegular():
			return copyFile(path, to, info.Mode().Perm())
		}
		return nil // sockets, links: nothing a lab keeps
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
