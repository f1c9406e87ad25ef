package solaris

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
)

// IKED is in.iked as ikemu's own command line starts and stops it.
type IKED struct{ Lab *lab.Lab }

// Name implements engine.DaemonDriver.
func (IKED) Name() string { return "in.iked" }

// Start starts in.iked at the given privilege and debug levels, read as
// ikeadm reads them.
func (d IKED) Start(h *engine.Host, o engine.DaemonOptions) error {
	priv, ok := parsePrivLevel(o.Priv)
	if !ok {
		return fmt.Errorf("--priv: bad privilege level %q", o.Priv)
	}
	debug, _, ok := parseDebugLevel(o.Debug)
	if !ok {
		return fmt.Errorf("--debug: bad debug level %q", o.Debug)
	}
	return StartDaemon(d.Lab, h, DaemonStart{Priv: priv, Debug: debug})
}

// Stop implements engine.DaemonDriver.
func (IKED) Stop(h *engine.Host) error { return StopDaemon(h) }

// Reload implements engine.DaemonDriver: in.iked's SIGHUP.
func (d IKED) Reload(h *engine.Host) error { return ReloadDaemon(d.Lab, h) }
