// Package native is ikemu's own command line (kong): lab and host
// management, daemons, symlinks. It fronts both vendor personalities, so
// unlike them it may import them.
package native

import (
	"errors"
	"fmt"

	"github.com/alecthomas/kong"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// CLI is the native command tree.
type CLI struct {
	Host          HostCmd    `cmd:"" help:"Manage the lab's emulated hosts."`
	Daemon        DaemonCmd  `cmd:"" help:"Start, stop or show the current host's IKE daemon."`
	Link          LinkCmd    `cmd:"" help:"Install the vendor tool symlinks."`
	Lab           LabCmd     `cmd:"" help:"Lab-wide settings (reproducible labs)."`
	Clock         ClockCmd   `cmd:"" help:"Show or move the lab clock."`
	Peer          PeerCmd    `cmd:"" help:"Behaviour of outside peers."`
	Acquire       AcquireCmd `cmd:"" help:"Play a kernel ACQUIRE: in.iked negotiates phase 1 (and a Quick Mode)."`
	Serve         ServeCmd   `cmd:"" help:"Answer real IKEv1 peers over UDP for the lab's hosts (foreground, until SIGINT/SIGTERM)."`
	Show          ShowCmd    `cmd:"" help:"Show the lab's state: text, or JSON in the versioned envelope (schema ikemu.v1)."`
	Export        ExportCmd  `cmd:"" help:"Write a host's policies and keys as another system's configuration files."`
	NamespaceCmds `embed:""`

	Version    VersionCmd    `cmd:"" help:"Print ikemu's version and build information."`
	Help       HelpCmd       `cmd:"" help:"Show help for ikemu or one of its commands."`
	Completion CompletionCmd `cmd:"" help:"Print a shell completion script (bash, zsh or fish)."`
	Man        ManCmd        `cmd:"" help:"Write the man pages: ikemu(1) and pages for the vendor names."`

	VersionFlag kong.VersionFlag `name:"version" help:"Print the version and exit."`
}

// env is what every native command gets.
type env struct {
	p      *proc.Proc
	parser *kong.Kong
	Wiring
}

// Wiring is what the binary gives the native CLI of its personalities,
// which native does not import: the multicall names, the IKE daemon
// that "ikemu daemon" drives on a lab's hosts, the exporters, and that
// daemon's global defaults for "ikemu show defaults".
type Wiring struct {
	Tools     []string
	Daemon    func(*lab.Lab) engine.DaemonDriver
	Exporters map[string]Exporter
	Defaults  DefaultsLister
}

// DefaultsLister hands row each global default of the IKE daemon on host
// h, as its vendor's tool lists them (ikeadm get defaults): the
// configuration token ("" for none), description, unit ("" for none),
// effective and hard-coded values.
type DefaultsLister func(h *engine.Host, row func(token, desc, unit string, value, hard uint32) error) error

func (e *env) daemon(l *lab.Lab) engine.DaemonDriver { return e.Daemon(l) }

func (e *env) lab() (*lab.Lab, error) {
	l, err := lab.Open(e.p, daemonlog.Write)
	if err != nil {
		return nil, err
	}
	if !l.Superuser() {
		return nil, fmt.Errorf("the lab %s belongs to another user: only root or its owner may use it", l.Dir)
	}
	return l, nil
}

type exitCode int

// Main runs the native CLI.
func Main(args []string, p *proc.Proc, w Wiring) int {
	return mainOf(grammarFor(args), args, p, w)
}

// mainOf runs the native CLI over grammar, CLI or a part of it.
func mainOf(grammar any, args []string, p *proc.Proc, w Wiring) (code int) {
	parser, err := kong.New(grammar,
		kong.Name("ikemu"),
		kong.Description("Emulated Solaris and AIX IKE administration. Called as ikeadm, in.iked, ike, ikedb, startsrc, stopsrc or lssrc it behaves as that tool; `ikemu TOOL args...` does the same."),
		kong.Writers(p.Stdout, p.Stderr),
		kong.Exit(func(c int) { panic(exitCode(c)) }),
		kong.UsageOnError(),
		kong.Vars{"version": versionLine()},
	)
	if err != nil {
		fmt.Fprintf(p.Stderr, "ikemu: %v\n", err)
		return 1
	}
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(exitCode)
			if !ok {
				panic(r)
			}
			code = int(c)
		}
	}()
	if len(args) == 0 {
		args = []string{"--help"} // a bare ikemu shows what it can do
	}
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(p.Stderr, "ikemu: %v\n", err)
		return 1
	}
	e := &env{p: p, parser: parser, Wiring: w}
	if err := kctx.Run(e); err != nil {
		var st statusError
		if errors.As(err, &st) {
			return int(st)
		}
		fmt.Fprintf(p.Stderr, "ikemu: %v\n", err)
		return 1
	}
	return 0
}

// statusError ends a command with a status and no message.
type statusError int

func (s statusError) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

// outputFlag selects a machine-readable view.
type outputFlag struct {
	Output string `short:"o" enum:"text,json" default:"text" help:"Output format: text or json (the ikemu.v1 envelope)."`
}
