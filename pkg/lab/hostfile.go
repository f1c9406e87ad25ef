package lab

import (
	"errors"
	"io/fs"
	"os"

	"github.com/ikemu/ikemu/pkg/boundedio"
)

// HostFile is a vendor default location in one host's tree: Path where
// the file lies in the lab, Shown the path the emulated host sees it at
// (/etc/inet/ike/config). Messages name it by Shown, as the vendor does,
// inside `ikemu exec` or not.
type HostFile struct {
	Path  string
	Shown string
}

// HostFile resolves rel (e.g. "etc/inet/ike/config") in host name's tree.
func (l *Lab) HostFile(name, rel string) HostFile {
	return HostFile{Path: l.HostPath(name, rel), Shown: "/" + rel}
}

// Read reads the file, at most limit bytes; every error names it by
// Shown.
func (f HostFile) Read(limit int64) ([]byte, error) {
	b, err := boundedio.ReadFile(f.Path, f.Shown, limit)
	return b, f.shown(err)
}

// Open opens the file for reading; an error names it by Shown.
func (f HostFile) Open() (*os.File, error) {
	file, err := os.Open(f.Path)
	return file, f.shown(err)
}

func (f HostFile) shown(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == f.Path {
		pe.Path = f.Shown
	}
	return err
}
