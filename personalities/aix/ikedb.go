package aix

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// ikedbUsage is the synopsis of the ikedb man page (spec 3.1), printed
// after every command-line error. The LDAP forms are left out: an
// emulated host is never an LDAP client.
const ikedbUsage = `Usage: ikedb -p[F s] [-e entity-file] [XML-file]
       ikedb -g[r] [-t type [-n name | -i ID -y ID-type]]
       ikedb -d -t type [-n name | -i ID -y ID-type]
       ikedb -c[F] [-l linux-file] [-k secrets-file] [-f XML-file]
       ikedb -x
       ikedb -o
`

// ikedbOpts is one parsed ikedb command line.
type ikedbOpts struct {
	mode                    byte // 'p', 'g', 'd', 'c', 'x' or 'o'
	force, swap, recursive  bool // -F, -s, -r
	entityFile              string
	kind, name, id, idType  string // -t, -n, -i, -y
	linux, secrets, xmlFile string // -l, -k, -f
	given                   map[byte]bool
	operands                []string
}

// ikedbUsageError is a command line ikedb does not accept: msg (if any),
// then the usage.
type ikedbUsageError struct{ msg string }

func (e *ikedbUsageError) Error() string { return e.msg }

// ikedbFailure is a failure worded for stderr, one message per line; each
// is printed after "ikedb: ".
type ikedbFailure struct{ lines []string }

func (e *ikedbFailure) Error() string { return strings.Join(e.lines, "\n") }

func ikedbFail(format string, args ...any) error {
	return &ikedbFailure{lines: []string{fmt.Sprintf(format, args...)}}
}

// Ikedb runs ikedb with args (without the program name).
func Ikedb(args []string, p *proc.Proc) int {
	return runIkedb(args, p, linuxConverter())
}

// runIkedb is Ikedb with the -c conversion given, so tests can supply one.
func runIkedb(args []string, p *proc.Proc, convert ikedbConverter) int {
	o, err := parseIkedbArgs(args)
	if err == nil && o.mode == 'o' {
		_, err = p.Stdout.Write(vpnxml.DTD())
	} else if err == nil {
		err = ikedbRun(o, p, convert)
	}
	return ikedbFinish(p.Stderr, err)
}

// ikedbRun opens the lab and runs one operation on the current host.
func ikedbRun(o *ikedbOpts, p *proc.Proc, convert ikedbConverter) error {
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		return err
	}
	if !l.Superuser() {
		return ikedbFail("only root (or the owner of the lab) may use this command")
	}
	c := &ikedbCmd{o: o, p: p, lab: l}
	switch o.mode {
	case 'p':
		return c.putFile()
	case 'g':
		return c.get()
	case 'd':
		return c.remove()
	case 'x':
		return c.expunge()
	}
	return c.convert(convert)
}

// ikedbCmd is one ikedb invocation past its command line.
type ikedbCmd struct {
	o   *ikedbOpts
	p   *proc.Proc
	lab *lab.Lab
}

// ikedbFinish prints the outcome and returns the exit status.
func ikedbFinish(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	w := bufio.NewWriter(stderr)
	defer w.Flush()
	var usage *ikedbUsageError
	var fail *ikedbFailure
	switch {
	case errors.As(err, &usage):
		if usage.msg != "" {
			fmt.Fprintf(w, "ikedb: %s\n", usage.msg)
		}
		io.WriteString(w, ikedbUsage)
	case errors.As(err, &fail):
		for _, line := range fail.lines {
			fmt.Fprintf(w, "ikedb: %s\n", line)
		}
	default:
		fmt.Fprintf(w, "ikedb: %s\n", ikedbErrText(err))
	}
	return 1
}

// ikedbErrText words an unexpected error; engine errors carry their detail.
func ikedbErrText(err error) string {
	if e, ok := engine.As(err); ok && e.Detail != "" {
		return e.Detail
	}
	return err.Error()
}

// ikedbFlags are the options without a value; ikedbValued take one.
const (
	ikedbFlags  = "pgdxocrFs"
	ikedbValued = "etniylkfRADhC"
)

// parseIkedbArgs reads the command line with getopt's rules (flags may be
// bundled, a value may be glued to its flag, options end at the first
// operand or "--") and then checks the combination against the synopsis.
func parseIkedbArgs(args []string) (*ikedbOpts, error) {
	o := &ikedbOpts{given: map[byte]bool{}}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		next, err := o.cluster(a[1:], args, i)
		if err != nil {
			return nil, err
		}
		i = next
	}
	o.operands = args[i:]
	return o, o.check()
}

// cluster reads one argument of bundled flags; it returns the index of
// the last argument it used.
func (o *ikedbOpts) cluster(flags string, args []string, i int) (int, error) {
	for j := 0; j < len(flags); j++ {
		c := flags[j]
		switch {
		case strings.IndexByte(ikedbFlags, c) >= 0:
			o.given[c] = true
		case strings.IndexByte(ikedbValued, c) >= 0:
			val := flags[j+1:]
			if val == "" {
				if i+1 >= len(args) {
					return i, &ikedbUsageError{msg: "Flag requires a parameter: " + string(c)}
				}
				i++
				val = args[i]
			}
			o.given[c] = true
			o.setValue(c, val)
			return i, nil
		default:
			return i, &ikedbUsageError{msg: "Not a recognized flag: " + string(c)}
		}
	}
	return i, nil
}

func (o *ikedbOpts) setValue(c byte, v string) {
	switch c {
	case 'e':
		o.entityFile = v
	case 't':
		o.kind = v
	case 'n':
		o.name = v
	case 'i':
		o.id = v
	case 'y':
		o.idType = v
	case 'l':
		o.linux = v
	case 'k':
		o.secrets = v
	case 'f':
		o.xmlFile = v
	}
}

// ikedbModeAllows lists the flags that the operation chosen by mode
// takes besides its own.
func ikedbModeAllows(mode byte) string {
	switch mode {
	case 'p':
		return "Fse"
	case 'g':
		return "rtniy"
	case 'd':
		return "tniy"
	case 'c':
		return "Flkf"
	}
	return ""
}

// check applies the synopsis: one operation, only its own flags, the
// selection rules of -t/-n/-i/-y, and operands only for -p.
func (o *ikedbOpts) check() error {
	if o.given['R'] || o.given['A'] || o.given['D'] || o.given['C'] || o.given['h'] {
		return ikedbFail("-R LDAP: this host is not an LDAP client")
	}
	if !o.chooseMode() {
		return &ikedbUsageError{}
	}
	o.force, o.swap, o.recursive = o.given['F'], o.given['s'], o.given['r']
	allowed := string(o.mode) + ikedbModeAllows(o.mode)
	for c := range o.given {
		if strings.IndexByte(allowed, c) < 0 {
			return &ikedbUsageError{}
		}
	}
	g := o.given
	if len(o.operands) > 1 || len(o.operands) == 1 && o.mode != 'p' ||
		o.mode == 'd' && !g['t'] || (g['n'] || g['i']) && !g['t'] ||
		g['n'] && (g['i'] || g['y']) || g['i'] != g['y'] {
		return &ikedbUsageError{}
	}
	return nil
}

// chooseMode sets the operation; exactly one must be given.
func (o *ikedbOpts) chooseMode() bool {
	for _, m := range []byte("pgdcxo") {
		if !o.given[m] {
			continue
		}
		if o.mode != 0 {
			return false
		}
		o.mode = m
	}
	return o.mode != 0
}
