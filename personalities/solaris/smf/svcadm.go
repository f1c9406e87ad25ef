package smf

import (
	"errors"
	"fmt"
	"io"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// Exit statuses of svcadm (svcadm.c, libuutil).
const (
	exitFatal      = 1 // UU_EXIT_FATAL
	exitUsage      = 2 // UU_EXIT_USAGE
	exitSvcFailure = 3 // EXIT_SVC_FAILURE: enable -s saw maintenance
)

// svcadm's usage as illumos's svcadm.c prints it (stderr, exit 2).
const svcadmUsage = `Usage: svcadm [-v] [cmd [args ... ]]

	svcadm enable [-rst] <service> ...	- enable and online service(s)
	svcadm disable [-st] <service> ...	- disable and offline service(s)
	svcadm restart <service> ...		- restart specified service(s)
	svcadm refresh <service> ...		- re-read service configuration
	svcadm mark [-It] <state> <service> ...	- set maintenance state
	svcadm clear <service> ...		- clear maintenance state
	svcadm milestone [-d] <milestone>	- advance to a service milestone

	Services can be specified using an FMRI, abbreviation, or fnmatch(5)
	pattern, as shown in these examples for svc:/network/smtp:sendmail

	svcadm <cmd> svc:/network/smtp:sendmail
	svcadm <cmd> network/smtp:sendmail
	svcadm <cmd> network/*mail
	svcadm <cmd> network/smtp
	svcadm <cmd> smtp:sendmail
	svcadm <cmd> smtp
	svcadm <cmd> sendmail
`

// svcadmRun is one svcadm command line once its options are read.
type svcadmRun struct {
	p             *proc.Proc
	lab           *lab.Lab
	verbose, wait bool
	temporary     bool
	cmd           string
	exit          int
}

// Svcadm is svcadm(1M) for the host's IPsec service instances: enable,
// disable, restart, refresh and clear (mark and milestone concern no
// emulated service and are refused as svcadm refuses an unknown pattern).
func Svcadm(args []string, p *proc.Proc) int {
	r := &svcadmRun{p: p}
	g := getopt.New(getopt.Solaris, "v", args)
	for {
		c, _, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r.usage(err)
		}
		if c == 'v' {
			r.verbose = true
		}
	}
	rest := g.Args()
	if len(rest) == 0 {
		return r.usage(nil)
	}
	r.cmd = rest[0]
	var optstring string
	switch r.cmd {
	case "enable":
		optstring = "rst"
	case "disable":
		optstring = "st"
	case "restart", "refresh", "clear":
	default:
		return r.usage(nil)
	}
	g = getopt.New(getopt.Solaris, optstring, rest[1:])
	for {
		c, _, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r.usage(err)
		}
		switch c {
		case 's':
			r.wait = true
		case 't':
			r.temporary = true
		}
	}
	patterns := g.Args()
	if len(patterns) == 0 {
		return r.usage(nil)
	}
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		fmt.Fprintf(p.Stderr, "svcadm: %v\n", err)
		return exitFatal
	}
	r.lab = l
	for _, pat := range patterns {
		r.walk(pat)
	}
	return r.exit
}

// usage prints getopt's complaint, if any, and the usage; exit 2.
func (r *svcadmRun) usage(err error) int {
	var ge *getopt.Error
	if errors.As(err, &ge) {
		fmt.Fprintf(r.p.Stderr, "svcadm: %s\n", optionMessage(ge))
	}
	io.WriteString(r.p.Stderr, svcadmUsage)
	return exitUsage
}

// walk resolves one operand to exactly one instance (scf_walk_fmri
// without SCF_WALK_MULTIPLE) and acts on it.
func (r *svcadmRun) walk(pattern string) {
	if msg, long := tooLong(pattern); long {
		fmt.Fprintf(r.p.Stderr, "svcadm: %s\n", msg)
		r.fail(exitFatal)
		return
	}
	found := match(pattern)
	switch {
	case len(found) == 0:
		fmt.Fprintf(r.p.Stderr, "svcadm: Pattern '%s' doesn't match any instances\n", pattern)
		r.fail(exitFatal)
		return
	case len(found) > 1:
		fmt.Fprintf(r.p.Stderr, "svcadm: Pattern '%s' matches multiple instances:\n", pattern)
		for _, in := range found {
			fmt.Fprintf(r.p.Stderr, "    %s\n", in.FMRI())
		}
		r.fail(exitFatal)
		return
	}
	in := found[0]
	if !r.lab.Superuser() {
		fmt.Fprintf(r.p.Stderr, "svcadm: %s: Permission denied.\n", in.FMRI())
		r.fail(exitFatal)
		return
	}
	if err := r.act(in); err != nil {
		fmt.Fprintf(r.p.Stderr, "svcadm: %s: %v\n", in.FMRI(), err)
		r.fail(exitFatal)
	}
}

func (r *svcadmRun) fail(code int) {
	if r.exit == 0 || code == exitSvcFailure {
		r.exit = code
	}
}

// act runs the command on one instance in one transaction and reports
// as svcadm does.
func (r *svcadmRun) act(in *instance) error {
	var rs *restarter
	var before status
	err := r.lab.Host(func(h *engine.Host) error {
		var err error
		if rs, err = newRestarter(r.lab, h, in); err != nil {
			return err
		}
		before = rs.st
		switch r.cmd {
		case "enable":
			return rs.enable(r.temporary)
		case "disable":
			return rs.disable(r.temporary)
		case "restart":
			return rs.restart()
		case "refresh":
			return rs.refresh()
		}
		if before.state != engine.ServiceMaintenance {
			return errNotMaintenance
		}
		return rs.clear()
	})
	switch {
	case errors.Is(err, errNotMaintenance):
		fmt.Fprintf(r.p.Stderr, "svcadm: Instance \"%s\" is not in a maintenance or degraded state.\n", in.FMRI())
		r.fail(exitFatal)
		return nil
	case errors.Is(err, errRefreshFailed):
		// in.iked logs the error and keeps the configuration it has.
		err = nil
	case err != nil:
		return err
	}
	if rs != nil {
		if err := rs.writeLog(); err != nil {
			return err
		}
	}
	r.report(in, rs.st)
	return nil
}

var errNotMaintenance = errors.New("not in maintenance")

// report prints -v's confirmation and -s's verdict.
func (r *svcadmRun) report(in *instance, st status) {
	if r.verbose {
		switch r.cmd {
		case "enable", "disable":
			word := r.cmd + "d"
			if r.temporary {
				word = "temporarily " + word
			}
			fmt.Fprintf(r.p.Stdout, "%s %s.\n", in.FMRI(), word)
		default:
			action := map[string]string{"restart": "restart", "refresh": "refresh", "clear": "maint_off"}[r.cmd]
			fmt.Fprintf(r.p.Stdout, "Action %s set for %s.\n", action, in.FMRI())
		}
	}
	if r.wait && st.state == engine.ServiceMaintenance {
		fmt.Fprintf(r.p.Stderr, "svcadm: Instance \"%s\" is in maintenance state.\n", in.FMRI())
		r.fail(exitSvcFailure)
	}
}

// optionMessage is Solaris getopt(3C)'s complaint.
func optionMessage(e *getopt.Error) string {
	if e.Kind == getopt.MissingArgument {
		return "option requires an argument -- " + e.Option()
	}
	return "illegal option -- " + e.Option()
}
