// Package solaris is the Solaris personality: ikeadm and in.iked, with
// their grammar, texts and exit codes, over the shared engine.
package solaris

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// session is one ikeadm process.
type session struct {
	p           *proc.Proc
	lab         *lab.Lab
	nflag       bool // -n: no name service
	pflag       bool // -p: paranoid, mask keying material
	interactive bool
	out, errw   io.Writer
	in          *bufio.Reader
	// names caches the reverse name table for the transaction namesTx.
	names   map[netip.Addr]string
	namesTx *engine.Tx
}

// errHelpDone marks a command that completed through the vendor's
// "command complete" jump (help texts): success, but no extra prompt.
var errHelpDone = errors.New("help printed")

// Ikeadm runs ikeadm with args (without the program name).
func Ikeadm(args []string, p *proc.Proc) int {
	s := &session{p: p, out: p.Stdout, errw: p.Stderr}
	rest, code, done := s.options(args)
	if done {
		return code
	}
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		fmt.Fprintf(s.errw, "ikeadm: %v\n", err)
		return 1
	}
	s.lab = l
	if len(rest) == 0 {
		if err := s.openDoor(); err != nil {
			return s.finish(err)
		}
		s.interactive = true
		return s.interact()
	}
	// The door check and the command's reads share one open of the lab.
	release := l.Hold()
	defer release()
	if err := s.openDoor(); err != nil {
		return s.finish(err)
	}
	return s.finish(s.parseit(rest))
}

// options parses -h -n -p with Solaris getopt: options must precede the
// command, bundling works, "--" ends them; -h prints the help at once.
func (s *session) options(args []string) (rest []string, code int, done bool) {
	g := getopt.New(getopt.Solaris, "hnp", args)
	for {
		c, _, err := g.Next()
		switch {
		case err == io.EOF:
			return g.Args(), 0, false
		case err != nil:
			fmt.Fprintf(s.errw, "ikeadm: %s\n", getoptMessage(err))
			io.WriteString(s.errw, usageText)
			return nil, 1, true
		case c == 'h':
			s.generalHelp(commands)
			return nil, 0, true
		case c == 'p':
			s.pflag = true
		case c == 'n':
			s.nflag = true
		}
	}
}

// openDoor fails as ikeadm does when in.iked is not running. It happens
// before the command is parsed, so even help needs a running daemon.
func (s *session) openDoor() error {
	if !s.lab.Superuser() {
		// Anyone may open in.iked's door; each call then checks the
		// caller's authorization (doorTx), and another user's lab
		// cannot even be read to see whether the daemon runs.
		return nil
	}
	var running bool
	err := s.lab.View(func(tx *engine.Tx) error {
		h, err := tx.Host(s.lab.HostName)
		if err != nil {
			return err
		}
		d, err := h.Daemons().IKE()
		running = d.Running
		return err
	})
	if err != nil {
		return err
	}
	if !running {
		io.WriteString(s.errw, "Unable to communicate with in.iked\n")
		return &bailError{what: "open_door failed", errno: "No such file or directory"}
	}
	return nil
}

// finish renders a command-line outcome and returns the exit status.
func (s *session) finish(err error) int {
	var usage *usageError
	var bail *bailError
	var msg *bailMsg
	var door doorError
	switch {
	case err == nil, errors.Is(err, errHelpDone), errors.Is(err, errExit):
		return 0
	case errors.As(err, &usage):
		io.WriteString(s.errw, usage.prefix+usageText)
		return 1
	case errors.As(err, &bail), errors.As(err, &msg), errors.As(err, &door):
		io.WriteString(s.errw, err.Error())
		io.WriteString(s.errw, "ikeadm: Fatal error - exiting.\n")
		return 1
	}
	fmt.Fprintf(s.errw, "ikeadm: %v\n", err)
	return 1
}

// message prints a status line on stderr ("ikeadm: text"); it never ends
// the command.
func (s *session) message(format string, args ...any) {
	fmt.Fprintf(s.errw, "ikeadm: "+format+"\n", args...)
}

// parseit dispatches one command line: the first word is the command, the
// second the object, the rest arguments.
func (s *session) parseit(argv []string) error {
	c := commands.lookup(argv[0])
	if c == nil {
		return &usageError{prefix: fmt.Sprintf("ikeadm: Unrecognized command '%s'\n", argv[0])}
	}
	if c.direct != nil {
		return c.direct(s, commands, argv[1:])
	}
	if len(argv) < 2 {
		return &usageError{}
	}
	o := c.object(argv[1])
	if o == nil {
		return unknownObject(argv[1])
	}
	args := argv[2:]
	if o.bare && len(args) > 0 {
		// ikeadm prints a command's help when it is given surplus
		// arguments to an object that takes none.
		io.WriteString(s.out, c.help)
		return errHelpDone
	}
	return o.run(s, o, args)
}

func unknownObject(word string) error {
	return &usageError{prefix: fmt.Sprintf("ikeadm: Unrecognized object '%s'\n", word)}
}

var errExit = errors.New("exit")

// exit is exit and quit, which take no object.
func (s *session) exit(_ commandTable, args []string) error {
	if len(args) > 0 {
		return unknownObject(args[0])
	}
	return errExit
}

// door runs one request against in.iked on the current host, in one
// transaction: the daemon must be running and the caller authorised.
func (s *session) door(svc string, fn func(h *engine.Host) error) error {
	return s.doorTx(s.lab.Update, svc, fn)
}

// doorRead is door for requests that change nothing.
func (s *session) doorRead(svc string, fn func(h *engine.Host) error) error {
	return s.doorTx(s.lab.View, svc, fn)
}

func (s *session) doorTx(txFn func(func(*engine.Tx) error) error, svc string, fn func(h *engine.Host) error) error {
	if !s.lab.Superuser() {
		// in.iked refuses a caller without the authorization before it
		// looks at anything (spec 3.x RBAC: "User not authorized").
		return daemonErr(ikeErrNoAuth)
	}
	var stopped bool
	err := txFn(func(tx *engine.Tx) error {
		h, err := tx.Host(s.lab.HostName)
		if err != nil {
			return err
		}
		d, err := h.Daemons().IKE()
		if err != nil {
			return err
		}
		if !d.Running {
			stopped = true
			return nil
		}
		daemonlog.Debug(h, engine.DebugDoor, "door call %s", svc)
		if !s.lab.Superuser() {
			return daemonErr(ikeErrNoAuth)
		}
		return fn(h)
	})
	if stopped {
		return doorError{}
	}
	return err
}

// fatalDoor wraps a daemon error in the fatal "ERROR:" form.
func fatalDoor(format string, err error) error {
	if _, ok := daemonReply(err); !ok {
		return err
	}
	return bailf(format, doorErrText(err, false))
}
