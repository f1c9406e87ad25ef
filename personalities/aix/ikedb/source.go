package ikedb

import (
	"io"
	"os"
	"syscall"
	"time"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/proc"
)

// source is the document of ikedb -p, which a load reads more than once
// (load.go): a regular file operand is read again from its start; standard
// input, or a file operand that cannot seek (a pipe), is first copied
// into an unnamed 0600 file of ours, up to one byte past the limit, so
// that each reading meets the same bytes and the same limit.
type source struct {
	name string // as messages name it
	f    *os.File
	size int64     // of a file read in place, to tell that it changed
	mod  time.Time // likewise
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
		return &source{name: name, f: f, size: fi.Size(), mod: fi.ModTime()}, nil
	}
	defer f.Close()
	return spool(name, f)
}

// spool copies r into an unnamed temporary file.
func spool(name string, r io.Reader) (*source, error) {
	f, err := os.CreateTemp("", "ikedb-*")
	if err != nil {
		return nil, fail("cannot keep %s: %s", name, proc.Strerror(err))
	}
	os.Remove(f.Name()) // unnamed: nothing is left behind, whatever happens
	if _, err := io.Copy(f, io.LimitReader(r, boundedio.FileLimit+1)); err != nil {
		f.Close()
		return nil, fail("cannot read %s: %s", name, proc.Strerror(err))
	}
	return &source{name: name, f: f, size: -1}, nil
}

// each decodes the document from its start, handing fn each definition.
func (s *source) each(opts vpnxml.DecodeOptions, fn func(*vpnxml.Document) error) (*vpnxml.Document, error) {
	if s.size >= 0 {
		fi, err := s.f.Stat()
		if err == nil && (fi.Size() != s.size || !fi.ModTime().Equal(s.mod)) {
			return nil, fail("%s changed while it was read; nothing more was stored", s.name)
		}
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, fail("cannot read %s: %s", s.name, proc.Strerror(err))
	}
	return vpnxml.DecodeEach(boundedio.Reader(s.f, s.name, boundedio.FileLimit), opts, fn)
}

func (s *source) Close() error { return s.f.Close() }
