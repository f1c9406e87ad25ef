package ikedb

import (
	"bufio"
	"encoding/binary"
	"io"
	"os"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/proc"
)

// defSpool keeps what the checking reading of a load parsed, each
// definition in vpnxml's binary form behind its length, so that the
// writing reads that back instead of parsing the XML again (a third of
// a load's CPU). It holds preshared keys, so it is an unnamed 0600
// file of ours, like the copy of standard input: nothing is left behind,
// whatever happens. The page cache keeps a small one in memory; a large
// one costs the load no heap.
type defSpool struct {
	f   *os.File
	w   *bufio.Writer
	buf []byte
	err error // the first write that failed
}

const spoolBuffer = 64 << 10

func newDefSpool() (*defSpool, error) {
	f, err := unnamedFile()
	if err != nil {
		return nil, fail("cannot keep the definitions read: %s", proc.Strerror(err))
	}
	return &defSpool{f: f, w: bufio.NewWriterSize(f, spoolBuffer)}, nil
}

// add appends part's definitions.
func (s *defSpool) add(part *vpnxml.Document) error {
	if s.err != nil {
		return s.err
	}
	s.buf = vpnxml.AppendBinary(s.buf[:0], part)
	var n [binary.MaxVarintLen64]byte
	if _, err := s.w.Write(n[:binary.PutUvarint(n[:], uint64(len(s.buf)))]); err != nil {
		s.err = s.writeError(err)
		return s.err
	}
	if _, err := s.w.Write(s.buf); err != nil {
		s.err = s.writeError(err)
	}
	return s.err
}

func (s *defSpool) writeError(err error) error {
	return fail("cannot keep the definitions read: %s", proc.Strerror(err))
}

// each hands fn each definition added, in order, each in a document
// of its own.
func (s *defSpool) each(fn func(*vpnxml.Document) error) error {
	if s.err != nil {
		return s.err
	}
	if err := s.w.Flush(); err != nil {
		s.err = s.writeError(err)
		return s.err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return s.readError(err)
	}
	r := bufio.NewReaderSize(s.f, spoolBuffer)
	var br vpnxml.BinaryReader
	for {
		n, err := binary.ReadUvarint(r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return s.readError(err)
		}
		if n > uint64(cap(s.buf)) {
			s.buf = make([]byte, n)
		}
		s.buf = s.buf[:n]
		if _, err := io.ReadFull(r, s.buf); err != nil {
			return s.readError(err)
		}
		part, err := br.Read(s.buf)
		if err != nil {
			return s.readError(err)
		}
		if err := fn(part); err != nil {
			return err
		}
	}
}

func (s *defSpool) readError(err error) error {
	return fail("cannot read back the definitions read: %s", proc.Strerror(err))
}

func (s *defSpool) Close() error { return s.f.Close() }
