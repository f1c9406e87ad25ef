package solaris

import (
	"bufio"
	"errors"
	"io"
	"strings"

	"github.com/ikemu/ikemu/pkg/boundedio"
)

const prompt = "ikeadm> "

// maxLine is the interactive line limit of ikeadm's tokenizer.
const maxLine = 4096

// interact is ikeadm's interactive mode. On a terminal (standard input
// and output both) the line editor prompts before every read; otherwise
// only the command loop's own prompt appears, after each command that
// returned normally.
func (s *session) interact() int {
	next := s.physicalLines()
	for {
		line, eof, tooLong, rerr := readLogicalLine(next)
		if rerr != nil {
			// Past the input limit the session ends: nothing this long
			// is a command, and reading on would not end (/dev/zero).
			io.WriteString(s.errw, "ikeadm: "+rerr.Error()+"\n")
			return 1
		}
		if tooLong {
			io.WriteString(s.errw, "ikeadm: Line too long (max=4096 chars)\n")
			continue
		}
		if line == "" && eof {
			return 0
		}
		if IsComment(line) {
			if eof {
				return 0
			}
			continue
		}
		argv := Tokenize(line)
		var err error
		if len(argv) > 0 {
			err = s.parseit(argv)
		}
		if errors.Is(err, errExit) {
			return 0
		}
		s.interactiveOutcome(err)
		if eof {
			return 0
		}
	}
}

func (s *session) interactiveOutcome(err error) {
	var usage *usageError
	switch {
	case err == nil:
		if !s.p.OnTerminal {
			io.WriteString(s.out, prompt)
		}
	case errors.Is(err, errHelpDone):
	case errors.As(err, &usage):
		io.WriteString(s.errw, usage.prefix+"\nType help for usage info\n")
	default:
		io.WriteString(s.errw, err.Error())
	}
}

// IsComment is create_argv's comment test.
func IsComment(line string) bool {
	t := strings.TrimLeftFunc(line, func(r rune) bool { return r < 0x80 && isBlank(byte(r)) })
	return strings.HasPrefix(t, "#")
}

// physicalLines is where the session's lines come from, each logical
// line prompted for on a terminal: the line editor when the terminal can
// be put in raw mode, else the plain reader of standard input.
func (s *session) physicalLines() lineSource {
	if s.p.OnTerminal {
		if le := newLineEditor(s.p.Stdin, s.out); le != nil {
			return le.readPart
		}
	}
	r := s.stdin()
	continuing := false
	return func(limit int) (string, error) {
		if s.p.OnTerminal && !continuing {
			io.WriteString(s.out, prompt)
		}
		part, err := boundedio.ReadLine(r, limit)
		continuing = err == nil && continues(part)
		return part, err
	}
}

// continues tells whether a physical line goes on in the next one: it
// ends in a backslash.
func continues(part string) bool {
	return strings.HasSuffix(strings.TrimSuffix(strings.TrimSuffix(part, "\n"), "\r"), "\\")
}

// lineSource returns the next physical line of input with its newline,
// an error at its end, or bufio.ErrTooLong past limit bytes.
type lineSource func(limit int) (string, error)

// ReadLogicalLine is libipsecutil do_interactive's reader over a plain
// reader, shared by ikeadm and ipseckey: readLogicalLine of r's lines.
func ReadLogicalLine(r *bufio.Reader) (line string, eof, tooLong bool, err error) {
	return readLogicalLine(func(limit int) (string, error) { return boundedio.ReadLine(r, limit) })
}

// readLogicalLine reads one line, joining lines that end in a backslash
// (the backslash becomes a space). tooLong reports a line over the
// vendor's limit, which is consumed and ignored; err reports one over
// boundedio.LineLimit, which is not consumed.
func readLogicalLine(next lineSource) (line string, eof, tooLong bool, err error) {
	var b strings.Builder
	for {
		part, rerr := next(boundedio.LineLimit - b.Len())
		if errors.Is(rerr, bufio.ErrTooLong) {
			return "", false, false, &boundedio.LineTooLongError{Name: "standard input", Limit: boundedio.LineLimit}
		}
		eof = rerr != nil
		part = strings.TrimSuffix(part, "\n")
		part = strings.TrimSuffix(part, "\r")
		if b.Len()+len(part) > maxLine {
			tooLong = true
		}
		if strings.HasSuffix(part, "\\") && !eof {
			b.WriteString(part[:len(part)-1])
			b.WriteByte(' ')
			continue
		}
		b.WriteString(part)
		if tooLong {
			return "", eof, true, nil
		}
		return b.String(), eof, false, nil
	}
}

// Tokenize splits an interactive line into words: blanks separate, double
// quotes group text (and are removed), and whatever is glued after a
// closing quote up to the next blank is dropped.
func Tokenize(line string) []string {
	var argv []string
	i := 0
	for i < len(line) {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		if i >= len(line) {
			break
		}
		var tok strings.Builder
		for i < len(line) && !isBlank(line[i]) {
			if line[i] != '"' {
				tok.WriteByte(line[i])
				i++
				continue
			}
			end := strings.IndexByte(line[i+1:], '"')
			if end < 0 {
				tok.WriteString(line[i+1:])
				i = len(line)
				break
			}
			tok.WriteString(line[i+1 : i+1+end])
			i += end + 2
			for i < len(line) && !isBlank(line[i]) {
				i++
			}
			break
		}
		argv = append(argv, tok.String())
	}
	return argv
}

// isBlank is isspace() as create_argv calls it on illumos: a signed char,
// so bytes above 127 are negative and never space, in any locale; below,
// the ASCII table's space, \t, \n, \v, \f and \r.
func isBlank(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// stdin is the session's one buffered reader of standard input, shared by
// the command loop and the PIN prompt.
func (s *session) stdin() *bufio.Reader {
	if s.in == nil {
		s.in = bufio.NewReaderSize(s.p.Stdin, maxLine+2)
	}
	return s.in
}
