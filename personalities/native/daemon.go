package native

import (
	"errors"
	"fmt"
	"io"

	"github.com/ikemu/ikemu/pkg/engine"
)

// DaemonCmd controls the current host's IKE daemon ($IKEMU_HOST).
type DaemonCmd struct {
	Start  DaemonStartCmd  `cmd:"" help:"Start in.iked, loading the host's ike.config and ike.preshared (one that does not load: in.iked's error detail, exit 1)."`
	Stop   DaemonStopCmd   `cmd:"" help:"Stop in.iked; its phase 1 SAs go with it."`
	Status DaemonStatusCmd `cmd:"" help:"Show in.iked's state (exit 0 running, 3 stopped)."`
}

// DaemonStartCmd is "ikemu daemon start".
type DaemonStartCmd struct {
	Priv  string `default:"base" help:"Privilege level: base, modkeys, keymat or 0-2."`
	Debug string `default:"0" help:"Debug level: a number or nicknames such as op+phase1."`
}

func (c *DaemonStartCmd) Run(e *env) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	d := e.daemon(l)
	err = l.Host(func(h *engine.Host) error {
		return d.Start(h, engine.DaemonOptions{Priv: c.Priv, Debug: c.Debug})
	})
	// A bad configuration shows the daemon's own detail before the verdict.
	var de engine.DetailedError
	if errors.As(err, &de) {
		io.WriteString(e.p.Stderr, de.Detail())
	}
	return err
}

// DaemonStopCmd is "ikemu daemon stop".
type DaemonStopCmd struct{}

func (c *DaemonStopCmd) Run(e *env) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	return l.Host(e.daemon(l).Stop)
}

// DaemonStatusCmd is "ikemu daemon status".
type DaemonStatusCmd struct {
	outputFlag
}

type daemonView struct {
	Running   bool   `json:"running"`
	PID       int    `json:"pid,omitempty"`
	Priv      string `json:"privilege,omitempty"`
	Debug     uint32 `json:"debug"`
	DebugFile string `json:"debug_file,omitempty"`
}

// viewDaemon is host h's in.iked, with the process id it is shown with
// (a serving process's while one serves the host).
func viewDaemon(h *engine.Host) (daemonView, error) {
	d, err := h.Daemons().IKE()
	if err != nil {
		return daemonView{}, err
	}
	pid, err := h.Daemons().ShownPID(d.PID)
	if err != nil {
		return daemonView{}, err
	}
	v := daemonView{Running: d.Running, PID: pid, Debug: d.Debug, DebugFile: d.DebugFile}
	if d.Running {
		v.Priv = d.Priv.String()
	}
	return v, nil
}

func (v daemonView) summary() string {
	if !v.Running {
		return "stopped"
	}
	return fmt.Sprintf("running, pid %d, privilege %s, debug 0x%x", v.PID, v.Priv, v.Debug)
}

func (c *DaemonStatusCmd) Run(e *env) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	var v daemonView
	err = l.HostView(func(h *engine.Host) error {
		var err error
		v, err = viewDaemon(h)
		return err
	})
	if err != nil {
		return err
	}
	if c.Output == "json" {
		err = writeEnvelope(e.p.Stdout, "daemon", []daemonView{v})
	} else {
		fmt.Fprintf(e.p.Stdout, "%s: %s\n", e.daemon(l).Name(), v.summary())
	}
	if err == nil && !v.Running {
		return statusError(3)
	}
	return err
}
