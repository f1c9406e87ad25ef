package preshared

import "strings"

// maxChunk is what one fgets call into the daemon's 1024-byte line buffer
// can return (the last byte holds the terminator).
const maxChunk = 1023

// lineReader hands out the file's lines as the daemon reads them: fgets
// chunks of at most maxChunk bytes, each counted as a line, with empty
// lines and lines starting with '#' in column 1 skipped.
type lineReader struct {
	data string
	pos  int
	num  int // lines (chunks) read so far, for error messages
}

func (l *lineReader) next() (string, bool) {
	for l.pos < len(l.data) {
		chunk := l.chunk()
		// The daemon treats the buffer as a C string: a NUL ends it.
		if i := strings.IndexByte(chunk, 0); i >= 0 {
			chunk = chunk[:i]
		}
		if chunk == "" || chunk[0] == '\n' || chunk[0] == '#' {
			continue
		}
		return chunk, true
	}
	return "", false
}

// chunk consumes one fgets worth of input, newline included.
func (l *lineReader) chunk() string {
	end := min(l.pos+maxChunk, len(l.data))
	if i := strings.IndexByte(l.data[l.pos:end], '\n'); i >= 0 {
		end = l.pos + i + 1
	}
	c := l.data[l.pos:end]
	l.pos = end
	l.num++
	return c
}

// isTokSpace is the daemon's token separator set; notably CR is not in it.
func isTokSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// nextToken splits the next token off s. Inside double quotes blanks do not
// separate; a quote toggles quoting unless an odd run of backslashes
// precedes it (backslashes count only while quoted). Quotes stay in the
// token. The separator that ends a token is consumed with it.
func nextToken(s string) (tok, rest string, ok bool) {
	i := 0
	for i < len(s) && isTokSpace(s[i]) {
		i++
	}
	if i == len(s) {
		return "", "", false
	}
	start := i
	quoted, escapes := false, 0
	for ; i < len(s) && (quoted || !isTokSpace(s[i])); i++ {
		c := s[i]
		if quoted {
			if c == '\\' {
				escapes++
			} else if c != '"' || escapes%2 == 0 {
				escapes = 0
			}
		}
		if c == '"' && (i == start || escapes%2 == 0) {
			quoted = !quoted
		}
	}
	tok = s[start:i]
	if i < len(s) {
		i++
	}
	return tok, s[i:], true
}
