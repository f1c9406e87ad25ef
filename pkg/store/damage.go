package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

// ErrDamaged is the kind of every damaged-file error, for errors.Is.
var ErrDamaged = errors.New("lab database is damaged")

// DamagedError reports a lab file that cannot be trusted. The file is
// left exactly as it was found.
type DamagedError struct {
	Path string
	Why  string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("lab database %s is damaged (%s); it was left untouched: ikemu lab salvage NEWDIR copies what holds, or move it aside to start a new lab there", e.Path, e.Why)
}

// Is makes errors.Is(err, ErrDamaged) hold.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// bbolt's file layout, read before bbolt maps the file: two meta pages
// at the start, each a page header (16 bytes) then the meta record.
const (
	pageHeaderSize = 16
	metaMagic      = 0xED0CDAED
	metaVersion    = 2
	metaSize       = 56 // magic .. txid, then the 8-byte checksum
	minPageSize    = 512
	maxPageSize    = 64 << 10
)

type metaPage struct {
	pageSize uint32
	pgid     uint64 // the high-water mark: pages below it are in use
	txid     uint64
}

// checkFile refuses a file bbolt would crash on, or would silently read
// an older state from: a meta page that does not check, or a file
// shorter than the pages its newest meta page says are in use. A file
// that does not exist or is empty is bbolt's to create.
func checkFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return nil // bbolt reports what it cannot open
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return nil
	}
	damaged := func(format string, args ...any) error {
		return &DamagedError{Path: path, Why: fmt.Sprintf(format, args...)}
	}
	first := make([]byte, pageHeaderSize+metaSize+8)
	if _, err := io.ReadFull(f, first); err != nil {
		return damaged("%d bytes, shorter than its header", fi.Size())
	}
	m0, ok := decodeMeta(first[pageHeaderSize:])
	if !ok {
		return damaged("its first meta page does not check")
	}
	second := make([]byte, len(first))
	if _, err := f.ReadAt(second, int64(m0.pageSize)); err != nil {
		return damaged("%d bytes, shorter than its two meta pages", fi.Size())
	}
	m1, ok := decodeMeta(second[pageHeaderSize:])
	if !ok || m1.pageSize != m0.pageSize {
		return damaged("its second meta page does not check")
	}
	newest := m0
	if m1.txid > m0.txid {
		newest = m1
	}
	if need := int64(newest.pgid) * int64(newest.pageSize); fi.Size() < need {
		return damaged("truncated: %d bytes of %d", fi.Size(), need)
	}
	return nil
}

// decodeMeta reads a meta record and checks its magic, version, page
// size and FNV-1a checksum, as bbolt computes it.
func decodeMeta(b []byte) (metaPage, bool) {
	le := binary.LittleEndian
	m := metaPage{pageSize: le.Uint32(b[8:]), pgid: le.Uint64(b[40:]), txid: le.Uint64(b[48:])}
	if le.Uint32(b[0:]) != metaMagic || le.Uint32(b[4:]) != metaVersion {
		return m, false
	}
	if m.pageSize < minPageSize || m.pageSize > maxPageSize || m.pageSize&(m.pageSize-1) != 0 || m.pgid < 4 {
		return m, false
	}
	h := fnv.New64a()
	h.Write(b[:metaSize])
	return m, h.Sum64() == le.Uint64(b[metaSize:])
}

// guard runs fn, turning a panic raised inside bbolt (a damaged page it
// trusted), or a memory fault at a mapped address (a damaged length that
// reaches past the file, read by bbolt or by a checksum of what it
// returned), into a DamagedError instead of a crash. Any other panic
// (a nil dereference included) is a bug, and goes on as one.
func guard(path string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if _, fault := r.(interface{ Addr() uintptr }); !fault && !raisedInBolt() {
			panic(r)
		}
		err = &DamagedError{Path: path, Why: fmt.Sprint("bbolt: ", r)}
	}()
	return fn()
}

// raisedInBolt reports whether the panic being recovered was raised by
// bbolt's code: the first frame below the runtime's panic machinery.
func raisedInBolt() bool {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			return strings.HasPrefix(f.Function, "go.etcd.io/bbolt")
		}
		if !more {
			return false
		}
	}
}
