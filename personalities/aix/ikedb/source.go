package ikedb

import (
	"io"
	"os"
	"syscall"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/proc"
)

// source is the document of ikedb -p, which a load reads once, in the
// series that holds the database (load.go): a regular file operand is
// read in place; standard input, or a file operand that cannot seek (a
// pipe), is first copied into an unnamed 0600 file of ours, up to one
// byte past the limit, before the database is taken, so that a slow
// writer never holds it.
type source struct {
	name string // as messages name it
	f    *os.File
}

// openSource opens the file operand, or takes standard input.
func (c *command) openSource() (*source, error) {
	if len(c.o.operands) == 0 {
		return spool("standard input", c.p.Stdin)
	}
	name := c.o.operands[0]
	f, err := os.Open(c.p.Path(name))
	if err != nil {
		return nil, fail("cannot open %s: %s", name, proc.Strerror(err))
	}
	fi, err := f.Stat()
	if err == nil && fi.IsDir() {
		f.Close()
		return nil, fail("cannot read %s: %s", name, proc.Strerror(syscall.EISDIR))
	}
	if err == nil && fi.Mode().IsRegular() {
		return &source{name: name, f: f}, nil
	}
	defer f.Close()
	return spool(name, f)
}

// spool copies r into an unnamed temporary file.
func spool(name string, r io.Reader) (*source, error) {
	f, err := unnamedFile()
	if err != nil {
		return nil, fail("cannot keep %s: %s", name, proc.Strerror(err))
	}
	if _, err := io.Copy(f, io.LimitReader(r, boundedio.FileLimit+1)); err != nil {
		f.Close()
		return nil, fail("cannot read %s: %s", name, proc.Strerror(err))
	}
	return &source{name: name, f: f}, nil
}

// each decodes the document from its start, handing fn each definition.
func (s *source) each(opts vpnxml.DecodeOptions, fn func(*vpnxml.Document) error) (*vpnxml.Document, error) {
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, fail("cannot read %s: %s", s.name, proc.Strerror(err))
	}
	return vpnxml.DecodeEach(boundedio.Reader(s.f, s.name, boundedio.FileLimit), opts, fn)
}

func (s *source) Close() error { return s.f.Close() }
