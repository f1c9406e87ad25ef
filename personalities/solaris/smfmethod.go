package solaris

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
)

// ConfigFile is ike.config's location on a Solaris host, as in.iked and
// the ike service's config/config_file property name it.
const ConfigFile = "/" + defaultConfigFile

// CheckConfig is in.iked -c -f on the host's default configuration file,
// as the ike service's start method runs it before starting the daemon:
// nil when the file checks out, else the lines in.iked -c writes, naming
// the file by its path on the host (/etc/inet/ike/config).
func CheckConfig(l *lab.Lab, h *engine.Host) ([]string, error) {
	f := l.HostFile(h.Info.Name, defaultConfigFile)
	text, err := f.Read(boundedio.FileLimit)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return []string{fmt.Sprintf("Can't open file %s. (%s)", ConfigFile, "No such file or directory")}, nil
	case errors.Is(err, boundedio.ErrTooLarge):
		return []string{err.Error(), fmt.Sprintf("Configuration file %s has syntax errors.", ConfigFile)}, nil
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", f.Shown, err)
	}
	if _, err := parseIkeConfig(text); err != nil {
		return []string{err.Error(), fmt.Sprintf("Configuration file %s has syntax errors.", ConfigFile)}, nil
	}
	return nil, nil
}

// ReloadDaemon is in.iked's answer to SIGHUP (svcadm refresh): it rereads
// the configuration and preshared keys it was started with, keeping its
// SAs, run and counters. A file that does not load changes nothing: the
// caller aborts the transaction on error.
func ReloadDaemon(l *lab.Lab, h *engine.Host) error {
	d, err := h.Daemons().IKE()
	if err != nil {
		return err
	}
	if !d.Running {
		return errors.New("in.iked is not running")
	}
	return loadAtStart(l, h, daemonConfigFile(l, h, d))
}
