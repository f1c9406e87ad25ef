package ipseckey

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ikemu/ikemu/personalities/solaris"
	"github.com/ikemu/ikemu/pkg/boundedio"
)

// cmdFile is the command file of -f (or -c), open and checked.
type cmdFile struct {
	name string
	f    *os.File
}

// openCmdFile is main's -f: the name must be a regular file, which it
// opens; one that others may read gets a warning (only smf(5) refuses
// it). Each failure is EXIT_BADCONFIG2, on debugfile (standard output).
func (s *session) openCmdFile(name string) (*cmdFile, int, bool) {
	path := s.p.Path(name)
	bad := func(msg string) (*cmdFile, int, bool) {
		fmt.Fprintf(s.out, "ipseckey: %s\n\n%s", msg, fatalLine)
		return nil, 1, true
	}
	fi, err := os.Stat(path)
	if err != nil {
		return bad("Invalid pathname: " + name)
	}
	if !fi.Mode().IsRegular() {
		return bad(name + " - Not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return bad("Unable to open configuration file: " + name)
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(s.errw, "Config file %s has insecure permissions, will be rejected in permanent config.\n", name)
	}
	return &cmdFile{name: name, f: f}, 0, false
}

// ibufSize is do_interactive's line buffer (IBUF_SIZE): fgets reads at
// most one byte less, and a line that fills the byte before the last
// is too big.
const ibufSize = 4096

// entry is one command of a command file as do_interactive reads it:
// its physical lines, each one's closing backslash a space, their
// newlines kept (the text its error reports quote), numbered by the
// last line.
type fileEntry struct {
	text   string
	lineno int
	fatal  string // why the file ends here (ipsecutil_exit's message)
	eof    bool   // nothing follows; a continued entry cut by it is dropped
}

// entryReader is do_interactive's loop over a file: fgets, continuation
// lines, the line count.
type entryReader struct {
	r      *bufio.Reader
	lineno int
}

func (er *entryReader) next() (fileEntry, error) {
	var held strings.Builder
	continued := false
	for {
		line, err := boundedio.ReadLine(er.r, boundedio.LineLimit)
		if errors.Is(err, bufio.ErrTooLong) {
			return fileEntry{}, &boundedio.LineTooLongError{Name: "command file", Limit: boundedio.LineLimit}
		}
		if line == "" && err != nil {
			return fileEntry{eof: true}, nil
		}
		er.lineno++
		if len(line) >= ibufSize-1 {
			return fileEntry{fatal: fmt.Sprintf("Line %d too big.", er.lineno)}, nil
		}
		if continued && held.Len()+len(line) >= ibufSize {
			return fileEntry{fatal: "Command buffer overrun."}, nil
		}
		more := len(line) >= 2 && line[len(line)-2] == '\\'
		if more {
			line = line[:len(line)-2] + " " + line[len(line)-1:]
		}
		held.WriteString(line)
		if more {
			continued = true
			if err != nil {
				return fileEntry{eof: true}, nil
			}
			continue
		}
		return fileEntry{text: held.String(), lineno: er.lineno, eof: err != nil}, nil
	}
}

// readFile is do_interactive over a command file: no prompt, each
// entry's errors reported after its text on standard output. At the
// end, a file that added nothing, or any entry that failed, is
// EXIT_BADCONFIG.
func (s *session) readFile(in *cmdFile) int {
	er := &entryReader{r: bufio.NewReader(io.LimitReader(in.f, boundedio.FileLimit))}
	parsed, added := 0, 0
	for {
		e, err := er.next()
		if err != nil {
			s.out.Flush()
			fmt.Fprintf(s.errw, "ipseckey: %v\n", err)
			return 1
		}
		if e.fatal != "" {
			fmt.Fprintf(s.out, "ipseckey: %s\n%s", e.fatal, fatalLine)
			return 1
		}
		if argv := solaris.Tokenize(e.text); len(argv) > 0 && !solaris.IsComment(e.text) {
			parsed++
			header := fmt.Sprintf("Config file entry near line %d caused error(s) or warnings:\n\n%s\n\n", e.lineno, e.text)
			o := s.parseit(argv, fromFile, header)
			if o.exit {
				return o.code
			}
			if o.added {
				added++
			}
		}
		if e.eof {
			break
		}
	}
	switch {
	case parsed != 0 && added == 0:
		fmt.Fprintf(s.out, "ipseckey: Configuration file did not contain any valid SAs\n%s", fatalLine)
		return 1
	case added < parsed:
		s.out.WriteString(fatalLine)
		return 1
	}
	return 0
}
