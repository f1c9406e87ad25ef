package native

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
)

// NamespaceCmds run commands on an emulated host as if logged in to it:
// in a private mount namespace where the host's tree and the vendor tools
// sit at the vendor paths.
type NamespaceCmds struct {
	Exec   ExecCmd   `cmd:"" help:"Run CMD in a private mount namespace where HOST's files and the vendor tools sit at their vendor paths (/etc/inet/ike/config, /usr/sbin/ikeadm, ...)."`
	Shell  ShellCmd  `cmd:"" help:"Run $SHELL (default /bin/sh) as ikemu exec does."`
	NsInit NsInitCmd `cmd:"" name:"ns-init" hidden:"" help:"Internal: set up the namespace of ikemu exec and run CMD."`
}

// ExecCmd is "ikemu exec HOST -- CMD [ARGS...]".
type ExecCmd struct {
	Host string   `arg:"" help:"The emulated host."`
	Cmd  []string `arg:"" passthrough:"" help:"The command and its arguments."`
}

func (c *ExecCmd) Run(e *env) error {
	argv := c.Cmd
	if len(argv) > 0 && argv[0] == "--" {
		argv = argv[1:]
	}
	if len(argv) == 0 {
		return errors.New("exec: no command given")
	}
	return e.runInHost(c.Host, argv)
}

// ShellCmd is "ikemu shell [HOST]".
type ShellCmd struct {
	Host string `arg:"" optional:"" help:"The emulated host (default: $IKEMU_HOST, else local)."`
}

func (c *ShellCmd) Run(e *env) error {
	sh := e.p.Getenv("SHELL")
	if sh == "" {
		sh = "/bin/sh"
	}
	return e.runInHost(c.Host, []string{sh})
}

// NsInitCmd runs inside the new namespace: it mounts, then becomes CMD.
type NsInitCmd struct {
	Cmd []string `arg:"" passthrough:""`
}

func (c *NsInitCmd) Run(e *env) error {
	argv := c.Cmd
	if len(argv) > 0 && argv[0] == "--" {
		argv = argv[1:]
	}
	if len(argv) == 0 {
		return errors.New("ns-init: no command given")
	}
	// nsInit returns only when CMD did not start.
	err := e.nsInit(argv)
	var st statusError
	if errors.As(err, &st) {
		return st
	}
	// ikemu exec's own failure, told apart from CMD's statuses as env(1)
	// and chroot(8) do.
	fmt.Fprintf(e.p.Stderr, "ikemu: %v\n", err)
	return statusError(125)
}

func (e *env) nsInit(argv []string) error {
	l, err := lab.Open(e.p, nil)
	if err != nil {
		return err
	}
	plan, err := e.namespacePlan(l, l.HostName)
	if err != nil {
		return err
	}
	return enterHost(e.p, plan, argv)
}

// runInHost checks the host, then runs argv in a new namespace through
// "ikemu ns-init", returning argv's exit status.
func (e *env) runInHost(host string, argv []string) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	if host == "" {
		host = l.HostName
	}
	if err := l.View(func(tx *engine.Tx) error {
		_, err := tx.Host(host)
		return err
	}); err != nil {
		return fmt.Errorf("no host %q in the lab", host)
	}
	if _, err := e.namespacePlan(l, host); err != nil {
		return err
	}
	if err := os.MkdirAll(stagingDir(l), 0o700); err != nil {
		return fmt.Errorf("exec: %w", err)
	}
	code, err := spawnInNamespace(e.p, l.Dir, host, argv)
	if err != nil {
		return err
	}
	return statusError(code)
}

// nsPlan is what the namespace gets: where the host's files and the
// vendor tools go.
type nsPlan struct {
	staging string    // a directory of the lab's, under the tmpfs while mounting
	entries []nsEntry // in order
	// keep are paths an overlay must not cover: the lab itself (under
	// /var/lib, say), whose database every tool inside writes.
	keep []string
}

// nsEntry puts one thing at a vendor path: Source bound there when it
// exists, else a symlink to Source (a host file not made yet: writing
// the vendor path creates it in the host's tree).
type nsEntry struct {
	Target string
	Source string
	Link   bool // always a symlink (the ikemu binary under a tool's name)
}

func stagingDir(l *lab.Lab) string { return filepath.Join(l.Dir, "ns") }

func (e *env) namespacePlan(l *lab.Lab, host string) (nsPlan, error) {
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		return nsPlan{}, fmt.Errorf("exec: locate ikemu: %w", err)
	}
	plan := nsPlan{staging: stagingDir(l), keep: []string{l.Dir}}
	for _, rel := range hostTreePaths {
		plan.entries = append(plan.entries, nsEntry{Target: "/" + rel, Source: l.HostPath(host, rel)})
	}
	tools := slices.Clone(e.Tools)
	slices.Sort(tools)
	for _, t := range tools {
		plan.entries = append(plan.entries, nsEntry{Target: vendorToolPath(t), Source: self, Link: true})
	}
	return plan, nil
}
