package ipsecconf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// ipsecconf reads its file in lines of at most this many bytes (fgets
// into a MAXLEN buffer), keeps at most maxArgs tokens between braces and
// at most cbufLen bytes of one entry's text.
const (
	maxLine = 1024
	maxArgs = 20
	cbufLen = 8192
	// argBufLen bounds the tokens of one entry (pattern, actions and
	// properties together).
	argBufLen = 2*3*(maxArgs-1) + 1
)

// lexer splits a policy file into entries exactly as ipsecconf's
// parse_one does: "{pattern} action {properties}" with "or" between
// alternatives, '#' comments, line counting for messages, and the text of
// each entry as the tool keeps it.
type lexer struct {
	r         *bufio.Reader
	linecount int // lines read so far (ending in a newline)
	// argLines is the line of each token of the entry, in order, and
	// nargs how many the entry has. As ipsecconf's arg_indices it is
	// not cleared between entries: a message about a token past the
	// entry's last quotes a line an earlier entry left there.
	argLines [argBufLen]int
	nargs    int
	text     []string // the entry's lines as kept (cut at '#')
	textLen  int
	warn     func(string)
}

// rawEntry is one lexed entry.
type rawEntry struct {
	pattern []string
	actions []rawAction
}

type rawAction struct {
	name  string
	props []string
}

var (
	errEOF     = errors.New("end of file")
	errParse   = errors.New("parse error")
	errTooLong = errors.New("entry too long")
)

// readLine is fgets: up to maxLine-1 bytes, the newline included.
func (l *lexer) readLine() (string, bool) {
	var b strings.Builder
	for b.Len() < maxLine-1 {
		c, err := l.r.ReadByte()
		if err != nil {
			break
		}
		b.WriteByte(c)
		if c == '\n' {
			break
		}
	}
	if b.Len() == 0 {
		return "", false
	}
	s := b.String()
	if s[len(s)-1] == '\n' {
		l.linecount++
	}
	return s, true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func skipSpace(s string) string {
	for s != "" && isSpace(s[0]) {
		s = s[1:]
	}
	return s
}

// line is where messages say something happened: never line 0.
func (l *lexer) line() int {
	if l.linecount == 0 {
		return 1
	}
	return l.linecount
}

// nextLine reads the next non-empty line after cutting its comment, and
// keeps it as part of the entry's text.
func (l *lexer) nextLine() (string, error) {
	for {
		raw, ok := l.readLine()
		if !ok {
			return "", errEOF
		}
		if i := strings.IndexByte(raw, '#'); i >= 0 {
			raw = raw[:i]
		}
		if strings.IndexByte(raw, 0) >= 0 {
			raw = raw[:strings.IndexByte(raw, 0)]
		}
		buf := skipSpace(raw)
		if buf == "" {
			continue
		}
		if l.textLen+len(raw)+1 >= cbufLen {
			return "", errTooLong
		}
		l.text = append(l.text, raw)
		l.textLen += len(raw)
		return buf, nil
	}
}

func (l *lexer) token() error {
	if l.nargs >= argBufLen {
		return errTooLong
	}
	l.argLines[l.nargs] = l.linecount
	l.nargs++
	return nil
}

// braced reads "{ token ... }", starting with leftover from the line
// before if any; it returns the tokens and what follows the closing
// brace on its line.
func (l *lexer) braced(leftover *string) ([]string, error) {
	var args []string
	buf, seen := "", false
	if *leftover != "" {
		buf, *leftover = *leftover, ""
		buf = skipSpace(buf)
	}
	for {
		if buf == "" {
			var err error
			if buf, err = l.nextLine(); err == errEOF {
				if seen {
					l.warn("(parsing one command) Pattern or Properties incomplete.")
					return nil, errParse
				}
				return nil, errEOF
			} else if err != nil {
				return nil, err
			}
		}
		if !seen {
			if buf[0] != '{' {
				l.warn(sprintf("line %d : pattern must start with \"{\" character", l.line()))
				return nil, errParse
			}
			buf, seen = buf[1:], true
		}
		for {
			buf = skipSpace(buf)
			if buf == "" {
				break
			}
			if buf[0] == '}' {
				*leftover = buf[1:]
				return args, nil
			}
			if len(args) >= maxArgs {
				l.warn(sprintf("Number of Arguments exceeded %d", len(args)))
				return nil, errParse
			}
			end := 1
			for end < len(buf) && !isSpace(buf[end]) && buf[end] != '}' {
				end++
			}
			args = append(args, buf[:end])
			if err := l.token(); err != nil {
				l.warn("(parsing one command) Too many tokens in single policy entry.")
				return nil, errParse
			}
			if end < len(buf) && buf[end] == '}' {
				*leftover = buf[end+1:]
				return args, nil
			}
			buf = buf[end:]
		}
	}
}

// action reads one action token.
func (l *lexer) action(leftover *string) (string, error) {
	buf := ""
	if *leftover != "" {
		buf, *leftover = skipSpace(*leftover), ""
	}
	for buf == "" {
		var err error
		if buf, err = l.nextLine(); err == errEOF {
			l.warn("(parsing one command) Missing action token.")
			return "", errParse
		} else if err != nil {
			return "", err
		}
	}
	end := 0
	for end < len(buf) && !isSpace(buf[end]) && buf[end] != '{' {
		end++
	}
	if end == 0 {
		l.warn("(parsing one command) Missing action token.")
		return "", errParse
	}
	act := buf[:end]
	if end < len(buf) && buf[end] != '{' {
		end++ // the space that ended it
	}
	*leftover = buf[end:]
	if l.token() != nil {
		l.warn("(parsing one command) Too many selectors before action.")
		return "", errParse
	}
	return act, nil
}

var actionNames = map[string]bool{"apply": true, "permit": true, "ipsec": true, "bypass": true, "pass": true, "drop": true}

// entry reads one entry; errEOF when the file has no more.
func (l *lexer) entry() (*rawEntry, error) {
	l.nargs, l.text, l.textLen = 0, l.text[:0], 0
	e := &rawEntry{}
	leftover := ""
	var err error
	if e.pattern, err = l.braced(&leftover); err != nil {
		if err == errParse || err == errTooLong {
			return nil, l.failed(err)
		}
		return nil, err
	}
	for {
		act, err := l.action(&leftover)
		if err != nil {
			return nil, l.failed(err)
		}
		if act == "or" {
			continue
		}
		if !actionNames[act] {
			l.warn(sprintf("(parsing one command) Invalid action on line %d: %s", l.line(), act))
			return nil, errParse
		}
		props, err := l.braced(&leftover)
		if err == errEOF {
			l.warn("(parsing one command) Missing properties.")
			err = errParse
		}
		if err != nil {
			return nil, l.errorAt()
		}
		e.actions = append(e.actions, rawAction{name: act, props: props})
		if leftover == "" {
			if len(e.actions) > maxArgs {
				return e, nil
			}
			continue // the next action may follow on a later line
		}
		more, err := l.afterProps(leftover)
		if err != nil || !more {
			return e, err
		}
		leftover = more2(leftover)
		if len(e.actions) > maxArgs {
			l.warn("Too many actions.")
			return nil, errParse
		}
	}
}

// afterProps reads what follows a closing brace: spaces end the entry,
// "or" starts another alternative, anything else is an error.
func (l *lexer) afterProps(rest string) (bool, error) {
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c == '\\':
			l.warn("Invalid line continuation character.")
			return false, l.errorAt()
		case c == 'o' && i+1 < len(rest) && rest[i+1] == 'r':
			return true, nil
		case c == 'o':
			if i+1 < len(rest) && !isSpace(rest[i+1]) {
				return false, l.errorAt()
			}
			i++
		case !isSpace(c):
			return false, l.errorAt()
		}
	}
	return false, nil
}

// more2 is what follows the "or" after a closing brace.
func more2(rest string) string {
	i := strings.Index(rest, "or")
	return rest[i+2:]
}

func (l *lexer) failed(err error) error {
	if err == errTooLong {
		return errParse
	}
	return l.errorAt()
}

func (l *lexer) errorAt() error {
	l.warn(sprintf("Error before or at line %d", l.line()))
	return errParse
}

// entryText is the entry as ipsecconf keeps it.
func (l *lexer) entryText() string { return strings.Join(l.text, "") }

func newLexer(data []byte, warn func(string)) *lexer {
	return &lexer{r: bufio.NewReader(bytes.NewReader(data)), warn: warn}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
