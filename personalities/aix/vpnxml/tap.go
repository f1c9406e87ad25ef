package vpnxml

import (
	"errors"
	"io"
	"unicode/utf8"

	"github.com/ikemu/ikemu/pkg/boundedio"
)

// tapReader is the byte source of an xml.Decoder. Besides buffering, it
// keeps the bytes of the token being read, because xml.Decoder reports only
// where a token ends: with the raw start tag we can tell on which line each
// attribute sits.
type tapReader struct {
	src    io.Reader
	buf    []byte
	r      int  // next byte to hand out
	mark   int  // start of the current token in buf
	latin1 bool // convert ISO-8859-1 input to UTF-8 as it is read
	err    error
}

const tapChunk = 64 << 10

// newTap reads src; size is a hint of how much there is to read, so that
// the many small readers of entity text stay small.
func newTap(src io.Reader, size int) *tapReader {
	return &tapReader{src: src, buf: make([]byte, 0, min(size+512, tapChunk))}
}

// ReadByte is what xml.Decoder calls for every byte.
func (t *tapReader) ReadByte() (byte, error) {
	if t.r == len(t.buf) && !t.fill() {
		return 0, t.err
	}
	b := t.buf[t.r]
	t.r++
	return b, nil
}

// Read exists because xml.Decoder hands its reader to CharsetReader as an
// io.Reader; it is not otherwise used.
func (t *tapReader) Read(p []byte) (int, error) {
	if t.r == len(t.buf) && !t.fill() {
		return 0, t.err
	}
	n := copy(p, t.buf[t.r:])
	t.r += n
	return n, nil
}

// startToken marks the start of the next token.
func (t *tapReader) startToken() { t.mark = t.r }

// token returns the bytes read since startToken.
func (t *tapReader) token() []byte { return t.buf[t.mark:t.r] }

// fill drops what precedes the current token and reads more.
func (t *tapReader) fill() bool {
	if t.err != nil {
		return false
	}
	if len(t.buf)-t.mark > boundedio.LineLimit {
		// One token (an attribute value, a run of text) past the limit:
		// stop before it takes the memory and time of the whole input.
		t.err = errTokenTooLong
		return false
	}
	n := copy(t.buf, t.buf[t.mark:])
	t.buf, t.r, t.mark = t.buf[:n], t.r-t.mark, 0
	if cap(t.buf)-n < tapChunk/2 {
		grown := make([]byte, n, 2*cap(t.buf)+tapChunk)
		copy(grown, t.buf)
		t.buf = grown
	}
	// Readers may return no bytes and no error now and then; bufio gives
	// up after 100 such reads, and so do we.
	for tries := 0; t.r == len(t.buf) && t.err == nil; tries++ {
		if tries == 100 {
			t.err = io.ErrNoProgress
			break
		}
		t.read()
	}
	return t.r < len(t.buf)
}

func (t *tapReader) read() {
	space := t.buf[len(t.buf):cap(t.buf)]
	if t.latin1 {
		space = make([]byte, len(space)/2) // each byte may become two
	}
	n, err := t.src.Read(space)
	if t.latin1 {
		t.buf = appendLatin1(t.buf, space[:n])
	} else {
		t.buf = t.buf[:len(t.buf)+n]
	}
	if err != nil {
		t.err = err
	}
}

// switchLatin1 is the CharsetReader for ISO-8859-1: the bytes already
// buffered but not yet handed out are converted, and so is all further input.
func (t *tapReader) switchLatin1() {
	rest := appendLatin1(nil, t.buf[t.r:])
	t.buf = append(t.buf[:t.r], rest...)
	t.latin1 = true
}

func appendLatin1(dst, src []byte) []byte {
	for _, c := range src {
		dst = utf8.AppendRune(dst, rune(c))
	}
	return dst
}

var errCharset = errors.New("not supported; use UTF-8, US-ASCII or ISO-8859-1")

var errTokenTooLong = errors.New("an attribute value or text is longer than the " + boundedio.Size(boundedio.LineLimit) + " limit")

// scanAttrs reads the start tag in raw, which begins on line first and
// has n attributes, and returns the line of each. Lines count '\n' as
// xml.Decoder does. ok is false when two attributes are not separated by
// white space, which XML requires and encoding/xml does not check. lines is
// nil if the scan lost its way, which would be a bug; callers then use the
// element's line.
func scanAttrs(raw []byte, first, n int) (lines []int, ok bool) {
	line, i := first, 0
	if i < len(raw) && raw[i] == '<' {
		i++
	}
	for i < len(raw) && !isTagSpace(raw[i]) && raw[i] != '>' && raw[i] != '/' {
		i++
	}
	lines = make([]int, 0, n)
	for len(lines) < n {
		gap := i
		for i < len(raw) && isTagSpace(raw[i]) {
			if raw[i] == '\n' {
				line++
			}
			i++
		}
		if i == gap {
			return nil, false
		}
		if i >= len(raw) || raw[i] == '>' || raw[i] == '/' {
			return nil, true
		}
		lines = append(lines, line)
		if i, line = skipAttr(raw, i, line); i < 0 {
			return nil, true
		}
	}
	return lines, true
}

// skipAttr skips name = "value" starting at i and returns the index after it.
func skipAttr(raw []byte, i, line int) (int, int) {
	for i < len(raw) && raw[i] != '=' && !isTagSpace(raw[i]) {
		i++
	}
	for i < len(raw) && raw[i] != '"' && raw[i] != '\'' {
		if raw[i] == '\n' {
			line++
		}
		i++
	}
	if i >= len(raw) {
		return -1, line
	}
	q := raw[i]
	for i++; i < len(raw) && raw[i] != q; i++ {
		if raw[i] == '\n' {
			line++
		}
	}
	if i >= len(raw) {
		return -1, line
	}
	return i + 1, line
}

func isTagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
