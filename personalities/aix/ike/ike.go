// Package ike is AIX's ike command (cmd=activate, list, remove, log): the
// tunnel manager's view of the shared engine, with AIX's grammar, texts
// and exit codes. The tunnel definitions it activates are engine
// policies, whichever tool (ikedb, or Solaris's ikeadm) stored them.
package ike

import (
	"errors"
	"io"

	"github.com/ikemu/ikemu/personalities/aix/ikecmd"
	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

const usage = "Usage: ike cmd=activate [phase=1|2] [numlist=list] [namelist=list] [remid=id] [ipaddr=src,dst] [autostart]\n" +
	"       ike cmd=list [phase=1|1+|2] [numlist=list] [db | role=i|r] [verbose]\n" +
	"       ike cmd=remove [phase=1|2] [numlist=list] [all]\n" +
	"       ike cmd=log\n"

// errNoTMD is the refusal while the tunnel manager is stopped.
var errNoTMD = errors.New(`unable to contact the tunnel manager (tmd); start it with "startsrc -g ike"`)

// invocation is one run of the ike command.
type invocation struct {
	p   *proc.Proc
	lab *lab.Lab
	req *ikecmd.Request
	// failed marks a command that did its work but must exit 1 (a
	// number in numlist matched nothing): its changes still commit.
	failed bool
	// selection collects the tunnels an activation selects.
	selection []target
}

// Main runs the ike command with args (without the program name).
func Main(args []string, p *proc.Proc) int {
	req, err := ikecmd.Parse(args)
	if err != nil {
		complain(p.Stderr, err.Error())
		io.WriteString(p.Stderr, usage)
		return 1
	}
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		complain(p.Stderr, err.Error())
		return 1
	}
	if !l.Superuser() {
		complain(p.Stderr, "You must have root access to use the ike command.")
		return 1
	}
	r := &invocation{p: p, lab: l, req: req}
	if err := r.run(); err != nil {
		complain(p.Stderr, err.Error())
		return 1
	}
	if r.failed {
		return 1
	}
	return 0
}

// complain writes one of ike's messages to stderr, after its prefix:
// the failure that ends the command, or a refusal it goes on after.
func complain(w io.Writer, msg string) {
	io.WriteString(w, "ike: "+msg+"\n")
}

func (r *invocation) run() error {
	switch {
	case r.req.Cmd == "list" && r.req.DB:
		return r.listDB()
	case r.req.Cmd == "list":
		return r.lab.View(r.onTMD(r.list))
	case r.req.Cmd == "activate" && !r.req.HasIPAddr:
		return r.activateDefinitions()
	case r.req.Cmd == "activate":
		if peer, ok, err := r.wirePeer(r.req.IPAddr[1]); err != nil || ok {
			if err != nil {
				return err
			}
			return r.activateWire(r.req.IPAddr[0], r.req.IPAddr[1], peer)
		}
	}
	return r.lab.Update(r.onTMD(func(h *engine.Host) error {
		switch r.req.Cmd {
		case "remove":
			return r.remove(h)
		case "log":
			return r.log(h)
		}
		return r.activate(h)
	}))
}

// onHost runs fn on the current host.
func (r *invocation) onHost(fn func(*engine.Host) error) func(*engine.Tx) error {
	return func(tx *engine.Tx) error {
		h, err := tx.Host(r.lab.HostName)
		if err != nil {
			return err
		}
		return fn(h)
	}
}

// onTMD runs fn on the current host once the tunnel manager is running.
func (r *invocation) onTMD(fn func(*engine.Host) error) func(*engine.Tx) error {
	return r.onHost(func(h *engine.Host) error {
		tmd, err := h.Daemons().Subsystem("tmd")
		if err != nil {
			return err
		}
		if !tmd.Running {
			return errNoTMD
		}
		return fn(h)
	})
}
