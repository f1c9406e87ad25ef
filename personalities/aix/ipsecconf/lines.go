package ipsecconf

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/ikemu/ikemu/pkg/boundedio"
)

// maxLine bounds one line: an RSA public key written inline is a few
// kilobytes, so a megabyte is generous and still stops a runaway read.
const maxLine = boundedio.LineLimit

// Limits on include lines. Configurations nest one or two levels and pull
// in tens of files; anything beyond this is a loop or a mistake.
const (
	maxIncludeDepth = 8
	maxFiles        = 256
)

// lineFunc handles one line of a file; at is where it was read.
type lineFunc func(line string, at pos) error

// eachLine calls f for each line of r, without the line end (\n or \r\n).
func eachLine(r io.Reader, name string, f lineFunc) error {
	sc := bufio.NewScanner(boundedio.Reader(r, name, boundedio.FileLimit))
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	n := 0
	for sc.Scan() {
		n++
		if bytes.IndexByte(sc.Bytes(), 0) >= 0 {
			return errAt(pos{name, n}, "NUL byte in the line")
		}
		if err := f(strings.TrimSuffix(sc.Text(), "\r"), pos{name, n}); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return errAt(pos{name, n + 1}, "line too long")
		}
		if errors.Is(err, boundedio.ErrTooLarge) {
			return &Error{File: name, Msg: "file is larger than the " + boundedio.Size(boundedio.FileLimit) + " limit"}
		}
		return &Error{File: name, Msg: "read error: " + err.Error()}
	}
	return nil
}

// isIndented reports whether a line continues a section (or, in
// ipsec.secrets, an entry): both formats use leading white space for that.
func isIndented(line string) bool {
	return line != "" && (line[0] == ' ' || line[0] == '\t')
}

// stripComment cuts a line at the '#' that starts a comment: one at the
// start of the line or after white space, outside quotes. A '#' inside a
// word is kept, because identities such as @#0123abcd (a key ID) use it.
// quotes lists the quote characters of the format.
func stripComment(line, quotes string, at pos) (string, error) {
	var open byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case open != 0:
			if c == open {
				open = 0
			}
		case strings.IndexByte(quotes, c) >= 0:
			open = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[:i], nil
		}
	}
	if open != 0 {
		return "", errAt(at, "unterminated quoted string")
	}
	return line, nil
}

// source is a file to read: its name in messages, and its name in the
// include file system (the two differ when the file was named by an
// absolute path, which the file system holds without the leading slash).
type source struct {
	shown, inFS string
}

// topSource names the file given to Convert.
func topSource(name string) source {
	if path.IsAbs(name) {
		return source{shown: name, inFS: fsPath(name)}
	}
	return source{shown: name, inFS: path.Clean(name)}
}

// fsPath turns an absolute name into a name in the include file system.
func fsPath(abs string) string {
	p := strings.TrimPrefix(path.Clean(abs), "/")
	if p == "" {
		return "."
	}
	return p
}

// includer follows include lines through Options.Include.
type includer struct {
	fsys    fs.FS
	files   int             // files opened, against maxFiles
	reading map[string]bool // the files being read, by name in fsys: a loop
}

// resolve returns the files an include line names, in name order. It
// reports why it follows none of them in msg instead, or "" when the
// pattern simply matches nothing (an empty ipsec.d is normal).
func (in *includer) resolve(pattern string, from source, depth int) (found []source, msg string) {
	switch {
	case in.fsys == nil:
		return nil, "not followed: no file system was given to read it from; convert that file separately"
	case depth >= maxIncludeDepth:
		return nil, "not followed: includes nest too deeply"
	}
	full := path.Join(path.Dir(from.inFS), pattern)
	if path.IsAbs(pattern) {
		full = fsPath(pattern)
	}
	if !fs.ValidPath(full) {
		return nil, "not followed: it leaves the configuration's file tree"
	}
	matches, err := in.match(full)
	if err != nil {
		return nil, "not followed: " + err.Error()
	}
	for _, m := range matches {
		found = append(found, source{shown: shownName(m, path.IsAbs(pattern) || path.IsAbs(from.shown)), inFS: m})
	}
	return found, ""
}

// match expands a glob pattern, or checks that a plain name exists.
func (in *includer) match(full string) ([]string, error) {
	if !strings.ContainsAny(full, "*?[\\") {
		if _, err := fs.Stat(in.fsys, full); err != nil {
			return nil, errors.New("no such file")
		}
		return []string{full}, nil
	}
	m, err := fs.Glob(in.fsys, full)
	if err != nil {
		return nil, errors.New("bad pattern")
	}
	return m, nil
}

// shownName names an included file in messages the way the including file
// would: absolute when it was reached by an absolute path.
// Otherwise every name so far was relative, and the name in the file
// system is the one the user would write.
func shownName(m string, absolute bool) string {
	if absolute {
		return "/" + m
	}
	return m
}

// enter records that a file is being read.
func (in *includer) enter(src source) {
	if in.reading == nil {
		in.reading = map[string]bool{}
	}
	in.reading[src.inFS] = true
}

// open opens an included file, counting it against maxFiles.
func (in *includer) open(src source) (io.ReadCloser, string) {
	if in.files >= maxFiles {
		return nil, "not followed: too many included files"
	}
	in.files++
	if st, err := fs.Stat(in.fsys, src.inFS); err == nil && st.IsDir() {
		return nil, "is a directory; not followed"
	}
	f, err := in.fsys.Open(src.inFS)
	if err != nil {
		return nil, "cannot be read; not followed"
	}
	return f, ""
}
