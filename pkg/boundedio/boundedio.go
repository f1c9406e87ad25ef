// Package boundedio reads files and streams up to a limit, so a hostile or
// mistaken input (/dev/zero, a multi-gigabyte file, an endless stdin)
// ends with an error naming it instead of exhausting memory.
package boundedio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// Limits for the inputs of the personalities, documented in README.md.
const (
	// FileLimit bounds one configuration, key, XML or entity file.
	FileLimit = 64 << 20
	// LineLimit bounds one line of a line-oriented file or of stdin.
	LineLimit = 1 << 20
	// TokenQuote is how many bytes of an offending token an error quotes.
	TokenQuote = 80
)

// chunk is the read size: memory grows with what was read, in steps of
// chunk, never by doubling and never with the limit.
const chunk = 256 << 10

// ErrTooLarge is what every *TooLargeError matches with errors.Is.
var ErrTooLarge = errors.New("input is larger than its limit")

// TooLargeError says a named input went past its limit.
type TooLargeError struct {
	Name  string // as the user gave it
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: file is larger than the %s limit", e.Name, Size(e.Limit))
}

// Is makes errors.Is(err, ErrTooLarge) hold.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// Unwrap is EFBIG, so code that renders errors with strerror texts says
// "File too large".
func (e *TooLargeError) Unwrap() error { return syscall.EFBIG }

// Size renders a limit the way README.md states it (64 MiB, 1 MiB).
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadFile reads the file at path, failing with a *TooLargeError naming
// name once it holds more than limit bytes. A regular file whose size is
// already over the limit fails before anything is read. Errors from
// opening or reading are returned as they come (callers render them with
// the vendor's texts).
func ReadFile(path, name string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		if fi.Size() > limit {
			return nil, &TooLargeError{Name: name, Limit: limit}
		}
		size = fi.Size()
	}
	return readAll(f, name, limit, size)
}

// ReadAll reads r to its end in chunks, failing with a *TooLargeError
// naming name as soon as more than limit bytes have arrived. Memory in
// use stays within limit plus one chunk.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	return readAll(r, name, limit, 0)
}

// readAll reads r in chunks; size, when known, makes the first chunk
// hold the whole file (and one byte more, to see the end).
func readAll(r io.Reader, name string, limit, size int64) ([]byte, error) {
	var chunks [][]byte
	var total int64
	next := min(int64(chunk), limit+1)
	if size > 0 {
		next = min(size+1, limit+1)
	}
	for {
		c := make([]byte, next)
		n, err := io.ReadFull(r, c)
		total += int64(n)
		if total > limit {
			return nil, &TooLargeError{Name: name, Limit: limit}
		}
		chunks = append(chunks, c[:n])
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
		next = min(int64(chunk), limit+1-total)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	return bytes.Join(chunks, nil), nil
}

// Reader passes r through until more than limit bytes have been read,
// then fails every read with a *TooLargeError naming name. It is for
// streaming consumers (an XML decoder, a line scanner) that never hold
// the whole input.
func Reader(r io.Reader, name string, limit int64) io.Reader {
	return &limitedReader{r: r, name: name, left: limit, limit: limit}
}

type limitedReader struct {
	r     io.Reader
	name  string
	left  int64 // bytes still allowed; -1 once over
	limit int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, &TooLargeError{Name: l.name, Limit: l.limit}
	}
	// Read one byte past the allowance, to tell a file of exactly limit
	// bytes from a longer one.
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, &TooLargeError{Name: l.name, Limit: l.limit}
	}
	return n, err
}

// LineTooLongError says one line of a named input went past LineLimit.
type LineTooLongError struct {
	Name  string
	Line  int // 1-based
	Limit int64
}

func (e *LineTooLongError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: line is longer than the %s limit", e.Name, Size(e.Limit))
	}
	return fmt.Sprintf("%s: line %d is longer than the %s limit", e.Name, e.Line, Size(e.Limit))
}

// ReadLine reads one line from r, its newline included as ReadString
// returns it, failing with bufio.ErrTooLong as soon as the line without
// its newline holds more than limit bytes (the rest of it stays unread).
func ReadLine(r *bufio.Reader, limit int) (string, error) {
	var line []byte
	for {
		frag, err := r.ReadSlice('\n')
		n := len(line) + len(frag)
		if err == nil {
			n-- // the newline
		}
		if n > limit {
			return "", bufio.ErrTooLong
		}
		line = append(line, frag...)
		if err != bufio.ErrBufferFull {
			return string(line), err
		}
	}
}

// Scanner returns a line scanner over r whose lines may be up to
// LineLimit bytes; past that Scan stops with bufio.ErrTooLong (see
// LineError).
func Scanner(r io.Reader) *bufio.Scanner {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), LineLimit+1) // the newline too
	return sc
}

// LineError turns a scanner's error into one naming the input: a line
// over the limit becomes a *LineTooLongError for line (the line that was
// being read, 1-based); other errors are returned as they are.
func LineError(err error, name string, line int) error {
	if errors.Is(err, bufio.ErrTooLong) {
		return &LineTooLongError{Name: name, Line: line, Limit: LineLimit}
	}
	return err
}

// Quote returns at most TokenQuote bytes of an offending token for an
// error message, cut at a UTF-8 boundary and marked with "..." when cut.
func Quote(token string) string {
	if len(token) <= TokenQuote {
		return token
	}
	cut := TokenQuote
	for cut > 0 && token[cut]&0xC0 == 0x80 {
		cut--
	}
	return token[:cut] + "..."
}
