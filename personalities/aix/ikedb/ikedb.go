// Package ikedb is AIX's ikedb command: the IKE database of XML tunnel
// definitions (put, get, delete, expunge, convert, DTD), kept in the
// engine's vendor store and mapped onto engine policies and keys, with
// AIX's grammar, texts and exit codes.
package ikedb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// usage is the synopsis of the ikedb man page (spec 3.1), printed
// after every command-line error. The LDAP forms are left out: an
// emulated host is never an LDAP client.
const usage = `Usage: ikedb -p[F s] [-e entity-file] [XML-file]
       ikedb -g[r] [-t type [-n name | -i ID -y ID-type]]
       ikedb -d -t type [-n name | -i ID -y ID-type]
       ikedb -c[F] [-l linux-file] [-k secrets-file] [-f XML-file]
       ikedb -x
       ikedb -o
`

// options is one parsed ikedb command line.
type options struct {
	mode                    byte // 'p', 'g', 'd', 'c', 'x' or 'o'
	force, swap, recursive  bool // -F, -s, -r
	entityFile              string
	kind, name, id, idType  string // -t, -n, -i, -y
	linux, secrets, xmlFile string // -l, -k, -f
	given                   map[byte]bool
	operands                []string
}

// usageError is a command line ikedb does not accept: msg (if any),
// then the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// failure is a failure worded for stderr, one message per line; each
// is printed after the prefix.
type failure struct{ lines []string }

func (e *failure) Error() string { return strings.Join(e.lines, "\n") }

func fail(format string, args ...any) error {
	return &failure{lines: []string{fmt.Sprintf(format, args...)}}
}

// Main runs ikedb with args (without the program name).
func Main(args []string, p *proc.Proc) int {
	return mainWith(args, p, linuxConverter())
}

// mainWith is Main with the -c conversion given, so tests can supply one.
func mainWith(args []string, p *proc.Proc, convert converter) int {
	o, err := parseArgs(args)
	if err == nil && o.mode == 'o' {
		_, err = p.Stdout.Write(vpnxml.DTD())
	} else if err == nil {
		err = runOperation(o, p, convert)
	}
	return finish(p.Stderr, err)
}

// runOperation opens the lab and runs one operation on the current host.
func runOperation(o *options, p *proc.Proc, convert converter) error {
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		return err
	}
	if !l.Superuser() {
		// ikemu's decision: IBM documents no message for an ikedb run
		// without root authority, so it is one clear line of our own.
		return fail("only root (or the owner of the lab) may use this command")
	}
	c := &command{o: o, p: p, lab: l}
	if o.mode != 'p' { // -p looks in its first transaction
		if err := c.warnInterrupted(); err != nil {
			return err
		}
	}
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

// command is one ikedb invocation past its command line.
type command struct {
	o   *options
	p   *proc.Proc
	lab *lab.Lab
}

// prefix opens every line ikedb writes to stderr but the usage.
const prefix = "ikedb: "

// finish prints the outcome and returns the exit status.
func finish(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	w := bufio.NewWriter(stderr)
	defer w.Flush()
	var badUsage *usageError
	var failed *failure
	switch {
	case errors.As(err, &badUsage):
		if badUsage.msg != "" {
			writeLines(w, badUsage.msg)
		}
		io.WriteString(w, usage)
	case errors.As(err, &failed):
		writeLines(w, failed.lines...)
	default:
		writeLines(w, errText(err))
	}
	return 1
}

// writeLines writes each line after ikedb's prefix.
func writeLines(w io.Writer, lines ...string) {
	for _, line := range lines {
		io.WriteString(w, prefix+line+"\n")
	}
}

// errText words an unexpected error; an engine error is its detail.
func errText(err error) string {
	var e *engine.Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return err.Error()
}

// optstring is ikedb's flags: the operations and -r -F -s bare, the
// rest (with the LDAP ones) taking a value.
const optstring = "pgdxocrFse:t:n:i:y:l:k:f:R:A:D:h:C:"

// parseArgs reads the command line with AIX getopt and then checks the
// combination against the synopsis.
func parseArgs(args []string) (*options, error) {
	o := &options{given: map[byte]bool{}}
	g := getopt.New(getopt.POSIX, optstring, args)
	for {
		c, v, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &usageError{msg: getoptMessage(err)}
		}
		o.given[c] = true
		o.setValue(c, v)
	}
	o.operands = g.Args()
	return o, o.check()
}

// getoptMessage is what AIX libc's getopt prints for a refused flag.
func getoptMessage(err error) string {
	var e *getopt.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	if e.Kind == getopt.MissingArgument {
		return "Flag requires a parameter: " + e.Option()
	}
	return "Not a recognized flag: " + e.Option()
}

func (o *options) setValue(c byte, v string) {
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

// modeAllows lists the flags that the operation chosen by mode
// takes besides its own.
func modeAllows(mode byte) string {
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
func (o *options) check() error {
	if o.given['R'] || o.given['A'] || o.given['D'] || o.given['C'] || o.given['h'] {
		return fail("-R LDAP: this host is not an LDAP client")
	}
	if !o.chooseMode() {
		return &usageError{}
	}
	o.force, o.swap, o.recursive = o.given['F'], o.given['s'], o.given['r']
	allowed := string(o.mode) + modeAllows(o.mode)
	for c := range o.given {
		if strings.IndexByte(allowed, c) < 0 {
			return &usageError{}
		}
	}
	g := o.given
	if len(o.operands) > 1 || len(o.operands) == 1 && o.mode != 'p' ||
		o.mode == 'd' && !g['t'] || (g['n'] || g['i']) && !g['t'] ||
		g['n'] && (g['i'] || g['y']) || g['i'] != g['y'] {
		return &usageError{}
	}
	return nil
}

// chooseMode sets the operation; exactly one must be given.
func (o *options) chooseMode() bool {
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

// warnInterrupted tells of a load that died half way (load.go), in one
// line before what the command does.
func (c *command) warnInterrupted() error {
	return c.lab.View(func(tx *engine.Tx) error {
		ld, found, err := lab.LoadInProgress(tx)
		if found {
			writeLines(c.p.Stderr, (&lab.InterruptedLoadError{Load: ld}).Error())
		}
		return err
	})
}
