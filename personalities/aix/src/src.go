// Package src is AIX's System Resource Controller commands (startsrc,
// stopsrc, lssrc) as far as they reach the ike group: the IKE daemons
// of the emulated host, with AIX's grammar, texts and exit codes.
package src

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// ikeGroup is the SRC group of the IKE daemons, in the order SRC lists it.
const ikeGroup = "ike"

func members() []string { return lab.DefaultSubsystems() }

// negotiator is the ike group's subsystem that answers IKE peers.
const negotiator = "isakmpd"

// request is one startsrc/stopsrc/lssrc command line: a group or a
// subsystem (or, for lssrc, all).
type request struct {
	group, subsystem string
	all              bool
}

// parseArgs reads the options with AIX getopt: -g or -s with a value,
// and for lssrc -a; no operands.
func parseArgs(tool string, args []string, allowAll bool) (request, error) {
	var r request
	optstring := "g:s:"
	if allowAll {
		optstring = "ag:s:"
	}
	g := getopt.New(getopt.POSIX, optstring, args)
	for {
		c, v, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r, fmt.Errorf("%s: %s", tool, getoptMessage(err))
		}
		switch c {
		case 'g':
			r.group = v
		case 's':
			r.subsystem = v
		case 'a':
			r.all = true
		}
	}
	if rest := g.Args(); len(rest) > 0 {
		return r, fmt.Errorf("%s: illegal option or argument %q", tool, rest[0])
	}
	n := 0
	for _, set := range []bool{r.group != "", r.subsystem != "", r.all} {
		if set {
			n++
		}
	}
	if n != 1 {
		return r, errUsage
	}
	return r, nil
}

var errUsage = errors.New("usage")

// getoptMessage words a refused option as the SRC commands print it.
func getoptMessage(err error) string {
	var e *getopt.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	if e.Kind == getopt.MissingArgument {
		return "option requires an argument -- " + e.Option()
	}
	return "illegal option -- " + e.Option()
}

// targets resolves a request to subsystem names, or the SRC refusal.
func (r request) targets() ([]string, error) {
	switch {
	case r.all:
		return members(), nil
	case r.group != "":
		if r.group != ikeGroup {
			return nil, &notOnFile{code: "0513-086", name: r.group, kind: "Group"}
		}
		return members(), nil
	}
	if !slices.Contains(members(), r.subsystem) {
		return nil, &notOnFile{code: "0513-085", name: r.subsystem, kind: "Subsystem"}
	}
	return []string{r.subsystem}, nil
}

func usage(tool string) string {
	if tool == "lssrc" {
		return "Usage: lssrc {-a | -g group | -s subsystem}\n"
	}
	return fmt.Sprintf("Usage: %s {-g group | -s subsystem}\n", tool)
}

// runCommand runs fn for each target subsystem of the current host in one
// transaction, read-write unless readOnly; fn reports whether that
// subsystem's request failed.
func runCommand(tool string, args []string, p *proc.Proc, allowAll, readOnly bool, fn func(h *engine.Host, name string) (bool, error)) int {
	r, err := parseArgs(tool, args, allowAll)
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(p.Stderr, err)
		}
		io.WriteString(p.Stderr, usage(tool))
		return 1
	}
	names, err := r.targets()
	if err != nil {
		fmt.Fprintln(p.Stderr, err)
		return 1
	}
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		complain(p.Stderr, tool, err.Error())
		return 1
	}
	if !l.Superuser() {
		// ikemu's decision: IBM documents no SRC message for a caller
		// without the authority, so it is one clear line of our own.
		complain(p.Stderr, tool, "only root (or the owner of the lab) may use this command")
		return 1
	}
	failed := false
	inTx := l.Host
	if readOnly {
		inTx = l.HostView
	}
	err = inTx(func(h *engine.Host) error {
		for _, n := range names {
			f, err := fn(h, n)
			if err != nil {
				return err
			}
			failed = failed || f
		}
		return nil
	})
	if err != nil {
		complain(p.Stderr, tool, err.Error())
		return 1
	}
	if failed {
		return 1
	}
	return 0
}

// complain writes one of the tool's own messages to stderr, after its
// name; SRC's numbered messages (0513-...) go without.
func complain(w io.Writer, tool, msg string) {
	io.WriteString(w, tool+": "+msg+"\n")
}

// Startsrc starts the ike group's subsystems (startsrc -g ike | -s NAME).
func Startsrc(args []string, p *proc.Proc) int {
	return runCommand("startsrc", args, p, false, false, func(h *engine.Host, name string) (bool, error) {
		s, err := h.Daemons().Subsystem(name)
		if err != nil {
			return false, err
		}
		if s.Running {
			fmt.Fprintf(p.Stderr, "0513-029 The %s Subsystem is already active.\nMultiple instances are not supported.\n", name)
			return true, nil
		}
		pid, err := lab.NextPID(h.Tx())
		if err != nil {
			return false, err
		}
		if err := h.Daemons().SetSubsystem(engine.Subsystem{Name: name, Running: true, PID: pid, Negotiates: name == negotiator}); err != nil {
			return false, err
		}
		shown, err := h.Daemons().ShownPID(pid)
		if err != nil {
			return false, err
		}
		fmt.Fprintf(p.Stdout, "0513-059 The %s Subsystem has been started. Subsystem PID is %d.\n", name, shown)
		return false, nil
	})
}

// Stopsrc stops the ike group's subsystems (stopsrc -g ike | -s NAME).
func Stopsrc(args []string, p *proc.Proc) int {
	return runCommand("stopsrc", args, p, false, false, func(h *engine.Host, name string) (bool, error) {
		s, err := h.Daemons().Subsystem(name)
		if err != nil {
			return false, err
		}
		if !s.Running {
			fmt.Fprintf(p.Stderr, "0513-004 The Subsystem or Group, %s, is currently inoperative.\n", name)
			return true, nil
		}
		if err := h.Daemons().SetSubsystem(engine.Subsystem{Name: name}); err != nil {
			return false, err
		}
		fmt.Fprintf(p.Stdout, "0513-044 The %s Subsystem was requested to stop.\n", name)
		return false, nil
	})
}

// Lssrc shows the ike group's subsystems (lssrc -g ike | -s NAME | -a).
func Lssrc(args []string, p *proc.Proc) int {
	header := false
	return runCommand("lssrc", args, p, true, true, func(h *engine.Host, name string) (bool, error) {
		s, err := h.Daemons().Subsystem(name)
		if err != nil {
			return false, err
		}
		if !header {
			fmt.Fprintf(p.Stdout, "%-18s%-17s%-13s%s\n", "Subsystem", "Group", "PID", "Status ")
			header = true
		}
		pid, status := "", "inoperative"
		if s.Running {
			shown, err := h.Daemons().ShownPID(s.PID)
			if err != nil {
				return false, err
			}
			pid, status = fmt.Sprint(shown), "active"
		}
		fmt.Fprintf(p.Stdout, " %-17s%-17s%-13s%s\n", name, ikeGroup, pid, status)
		return false, nil
	})
}

// notOnFile is SRC's refusal of a group or subsystem it does not know,
// rendered as the full SRC message, its full stop included.
type notOnFile struct{ code, name, kind string }

func (e *notOnFile) Error() string {
	return fmt.Sprintf("%s The %s %s is not on file.", e.code, e.name, e.kind)
}
