package ikeconfig

import "unicode/utf8"

// yyLMax is YYLMAX of the Solaris lex the daemon's lexer is built with
// (BUFSIZ, 1024). The lexer reports an overflow when a quoted string
// reaches it, so a string holds at most yyLMax-1 bytes.
const yyLMax = 1024

// lexer splits a configuration file into tokens. It is hand-written
// rather than regexp-based because a 10,000-rule file must load well
// inside a second; each matcher below reproduces one pattern of the
// daemon's lex specification, and next picks the longest match with lex's
// tie rule (earlier pattern wins).
type lexer struct {
	src  string
	pos  int
	line int
	buf  []byte // scratch for strings with escapes
}

func newLexer(src string) *lexer {
	return &lexer{src: src, line: 1}
}

// next returns the next token; at the end it keeps returning tEOF.
func (l *lexer) next() token {
	l.skipSpace()
	if l.pos >= len(l.src) {
		return token{kind: tEOF, line: l.line}
	}
	switch c := l.src[l.pos]; c {
	case '"':
		return l.lexString()
	case '{':
		return l.take(tLBrace, 1)
	case '}':
		return l.take(tRBrace, 1)
	case '-':
		return l.take(tDash, 1)
	case '.':
		return l.take(tDot, 1)
	case '/':
		return l.take(tSlash, 1)
	case ':':
		// "::…" is an IPv6 address; a lone colon is punctuation.
		if n := v6Len(l.src[l.pos:]); n > 0 {
			return l.take(tV6, n)
		}
		return l.take(tColon, 1)
	default:
		if isDigit(c) || isAlpha(c) || c == '_' {
			return l.lexWord()
		}
	}
	return l.lexBad()
}

// skipSpace skips blanks, newlines and both comment styles.
func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		switch l.src[l.pos] {
		case ' ', '\t':
			l.pos++
		case '\n':
			l.line++
			l.pos++
		case '#':
			l.skipLine()
		case '/':
			if l.pos+1 >= len(l.src) || l.src[l.pos+1] != '/' {
				return
			}
			l.skipLine()
		default:
			return
		}
	}
}

// skipLine moves to the newline ending the current line (not past it, so
// that skipSpace counts it).
func (l *lexer) skipLine() {
	for l.pos < len(l.src) && l.src[l.pos] != '\n' {
		l.pos++
	}
}

// take makes a token of the next n bytes.
func (l *lexer) take(kind tokKind, n int) token {
	t := token{kind: kind, text: l.src[l.pos : l.pos+n], line: l.line}
	l.pos += n
	return t
}

// lexBad consumes one character that starts no token; the daemon's lexer
// returns an error token for it, which the grammar rejects.
func (l *lexer) lexBad() token {
	_, n := utf8.DecodeRuneInString(l.src[l.pos:])
	t := l.take(tError, n)
	t.msg = msgSyntax
	return t
}

// lexWord handles everything that starts with a digit, letter or
// underscore: addresses, numbers, words, algorithm ranges, hex labels.
func (l *lexer) lexWord() token {
	s := l.src[l.pos:]
	kind, n := tEOF, 0
	// Candidates in the daemon's rule order; strict '>' keeps the earlier
	// one on a tie, as lex does.
	for _, c := range [...]struct {
		kind tokKind
		n    int
	}{
		{tV6, v6Len(s)},
		{tV4, v4Len(s)},
		{tNumber, digitsLen(s)},
		{tDecimal, decimalLen(s)},
		{tHexLabel, hexLabelLen(s)},
		{tString, wordLen(s)},
		{tAlgRange, algRangeLen(s)},
	} {
		if c.n > n {
			kind, n = c.kind, c.n
		}
	}
	if n == 0 {
		return l.lexBad()
	}
	t := l.take(kind, n)
	if kind == tString {
		// Reserved words come first in the lex file, so an exact match
		// of the same length is a keyword.
		if kw := lookupKeyword(t.text); kw != kwInvalid {
			t.kind, t.kw = tKeyword, kw
		}
	}
	return t
}

// lexString reads a quoted string; a backslash takes the next character
// literally. The token text is the content, as the daemon's yytext is.
func (l *lexer) lexString() token {
	start := l.pos + 1
	i, n := start, 0
	l.buf = l.buf[:0]
	escaped := false
	for {
		if i >= len(l.src) {
			return l.stringErr(i, escaped, start, msgUnterminated)
		}
		if n == yyLMax {
			return l.stringErr(i, escaped, start, msgStringOverflow)
		}
		c := l.src[i]
		switch {
		case c == '"':
			return l.stringTok(i, escaped, start)
		case c == '\n':
			return l.stringErr(i, escaped, start, msgNewlineInString)
		case c == '\\':
			if i+1 >= len(l.src) {
				return l.stringErr(i, escaped, start, msgUnterminated)
			}
			if l.src[i+1] == '\n' {
				return l.stringErr(i, escaped, start, msgNewlineInString)
			}
			if !escaped {
				// First escape: switch from slicing to copying.
				l.buf = append(l.buf, l.src[start:i]...)
				escaped = true
			}
			l.buf = append(l.buf, l.src[i+1])
			i += 2
		default:
			if escaped {
				l.buf = append(l.buf, c)
			}
			i++
		}
		n++
	}
}

// content returns the string read so far: a slice of the source when
// there was no escape, else a copy of the buffer.
func (l *lexer) content(end int, escaped bool, start int) string {
	if escaped {
		return string(l.buf)
	}
	return l.src[start:end]
}

// stringTok finishes a string whose closing quote is at end.
func (l *lexer) stringTok(end int, escaped bool, start int) token {
	t := token{kind: tString, text: l.content(end, escaped, start), line: l.line}
	l.pos = end + 1
	return t
}

// stringErr reports a bad string; the error stops the parse, so where
// the lexer stands afterwards does not matter beyond being past the quote.
func (l *lexer) stringErr(end int, escaped bool, start int, msg string) token {
	t := token{kind: tError, text: l.content(end, escaped, start), msg: msg, line: l.line}
	l.pos = end
	return t
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isHex(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

func isWordChar(c byte) bool { return isAlpha(c) || isDigit(c) || c == '_' || c == '-' }

// digitsLen matches [0-9]+.
func digitsLen(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// hexLen matches [0-9A-Fa-f]+.
func hexLen(s string) int {
	i := 0
	for i < len(s) && isHex(s[i]) {
		i++
	}
	return i
}

// decimalLen matches [0-9]+\.[0-9]+.
func decimalLen(s string) int {
	d := digitsLen(s)
	if d == 0 || d >= len(s) || s[d] != '.' {
		return 0
	}
	if f := digitsLen(s[d+1:]); f > 0 {
		return d + 1 + f
	}
	return 0
}

// v4Len matches a dotted quad of 1-3 digit groups.
func v4Len(s string) int {
	i := 0
	for g := 0; g < 4; g++ {
		if g > 0 {
			if i >= len(s) || s[i] != '.' {
				return 0
			}
			i++
		}
		n := 0
		for i < len(s) && n < 3 && isDigit(s[i]) {
			i++
			n++
		}
		if n == 0 {
			return 0
		}
	}
	return i
}

// wordLen matches 3?[A-Za-z_][-A-Za-z0-9_]+ (the optional 3 is for 3des).
func wordLen(s string) int {
	i := 0
	if len(s) > 0 && s[0] == '3' {
		i = 1
	}
	if i >= len(s) || !(isAlpha(s[i]) || s[i] == '_') {
		return 0
	}
	j := i + 1
	for j < len(s) && isWordChar(s[j]) {
		j++
	}
	if j == i+1 {
		return 0
	}
	return j
}

// algRangeLen matches name(…) where name is a word not starting with 3 and
// the parentheses hold digits and dots. The daemon only accepts
// [0-9]*..[0-9]* inside; the wider match lets the parser say what is wrong.
func algRangeLen(s string) int {
	if len(s) == 0 || !(isAlpha(s[0]) || s[0] == '_') {
		return 0
	}
	j := 1
	for j < len(s) && isWordChar(s[j]) {
		j++
	}
	if j < 2 || j >= len(s) || s[j] != '(' {
		return 0
	}
	k := j + 1
	for k < len(s) && (isDigit(s[k]) || s[k] == '.') {
		k++
	}
	if k >= len(s) || s[k] != ')' {
		return 0
	}
	return k + 1
}

// hexLabelLen matches 0x<hex>(-<hex>)+.
func hexLabelLen(s string) int {
	if len(s) < 3 || s[0] != '0' || s[1] != 'x' {
		return 0
	}
	h := hexLen(s[2:])
	if h == 0 {
		return 0
	}
	i, groups := 2+h, 0
	for i < len(s) && s[i] == '-' {
		h := hexLen(s[i+1:])
		if h == 0 {
			break
		}
		i += 1 + h
		groups++
	}
	if groups == 0 {
		return 0
	}
	return i
}
