package smf

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ikemu/ikemu/personalities/solaris"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
)

// exitErrConfig is $SMF_EXIT_ERR_CONFIG (smf_method(5)).
const exitErrConfig = 96

// restarter is svc.startd acting on one instance of one host inside a
// transaction; it appends what it does to the instance's log.
type restarter struct {
	lab *lab.Lab
	h   *engine.Host
	st  status
	log []string
}

func newRestarter(l *lab.Lab, h *engine.Host, in *instance) (*restarter, error) {
	st, err := readStatus(h, in)
	if err != nil {
		return nil, err
	}
	return &restarter{lab: l, h: h, st: st}, nil
}

// note adds one of svc.startd's bracketed log lines.
func (r *restarter) note(format string, args ...any) {
	r.log = append(r.log, fmt.Sprintf("[ %s %s ]", r.h.Now().Format("Jan _2 15:04:05"), fmt.Sprintf(format, args...)))
}

func (r *restarter) enable(temporary bool) error {
	r.st.enabled, r.st.temporary = true, temporary
	r.note("Enabled.")
	if r.st.state == engine.ServiceDisabled || r.st.state == engine.ServiceOffline {
		return r.start()
	}
	return r.save(nil)
}

func (r *restarter) disable(temporary bool) error {
	r.st.enabled, r.st.temporary = false, temporary
	r.note("Disabled.")
	if r.st.state == engine.ServiceOnline {
		r.note("Stopping because service disabled.")
		if err := r.stopMethod(); err != nil {
			return err
		}
	}
	return r.transition(engine.ServiceDisabled, 0, nil)
}

// restart stops and starts an online instance; the restarter ignores the
// request otherwise.
func (r *restarter) restart() error {
	if r.st.state != engine.ServiceOnline {
		return nil
	}
	r.note("Stopping because of administrative restart.")
	if err := r.stopMethod(); err != nil {
		return err
	}
	return r.start()
}

// errRefreshFailed aborts a refresh whose configuration did not load: the
// daemon keeps the one it has.
var errRefreshFailed = errors.New("refresh: configuration not reloaded")

// refresh makes the running daemon reread its configuration (the ike
// manifest's refresh method, SIGHUP).
func (r *restarter) refresh() error {
	r.note("Rereading configuration.")
	if r.st.state == engine.ServiceOnline && r.st.in.daemon != "" {
		if err := solaris.ReloadDaemon(r.lab, r.h); err != nil {
			var de engine.DetailedError
			if errors.As(err, &de) {
				r.log = append(r.log, splitLines(de.Detail())...)
				return errRefreshFailed
			}
			return err
		}
	}
	return nil
}

// clear takes an instance out of maintenance: it starts again if enabled.
func (r *restarter) clear() error {
	r.note("Leaving maintenance because clear requested.")
	if !r.st.enabled {
		return r.transition(engine.ServiceDisabled, 0, nil)
	}
	return r.start()
}

// start runs the instance's start method. For ike it is in.iked -c on
// ike.config, then in.iked itself; a configuration missing or in error
// exits $SMF_EXIT_ERR_CONFIG and the instance goes to maintenance.
func (r *restarter) start() error {
	in := r.st.in
	if in.daemon == "" {
		return r.startTransient()
	}
	r.note("Executing start method (\"/lib/svc/method/ike start\").")
	lines, err := solaris.CheckConfig(r.lab, r.h)
	if err != nil {
		return err
	}
	if lines != nil {
		return r.failed(exitErrConfig, lines)
	}
	err = solaris.StartDaemon(r.lab, r.h, solaris.DaemonStart{})
	var de engine.DetailedError
	switch {
	case errors.As(err, &de):
		// The daemon exits: its record goes back to stopped.
		if err := r.h.Daemons().SetIKE(engine.Daemon{}); err != nil {
			return err
		}
		return r.failed(exitErrConfig, splitLines(de.Detail()))
	case errors.Is(err, solaris.ErrAlreadyRunning):
	case err != nil:
		return err
	}
	r.note("Method \"start\" exited with status 0.")
	return r.transition(engine.ServiceOnline, 0, nil)
}

// startTransient runs a transient service's method: manual-key's
// ipseckey -f fails without its file [I: the message is ikemu's]; the
// others always succeed.
func (r *restarter) startTransient() error {
	in := r.st.in
	r.note("Executing start method.")
	if in.configFile != "" {
		if _, err := os.Stat(r.lab.HostPath(r.h.Info.Name, in.configFile)); err != nil {
			return r.failed(1, []string{fmt.Sprintf("ipseckey: Cannot open /%s: No such file or directory", in.configFile)})
		}
	}
	r.note("Method \"start\" exited with status 0.")
	return r.transition(engine.ServiceOnline, 0, nil)
}

func (r *restarter) failed(status int, lines []string) error {
	r.log = append(r.log, lines...)
	r.note("Method \"start\" exited with status %d.", status)
	return r.transition(engine.ServiceMaintenance, status, lines)
}

func (r *restarter) stopMethod() error {
	if r.st.in.daemon == "" {
		return nil
	}
	d, err := r.h.Daemons().IKE()
	if err != nil || !d.Running {
		return err
	}
	r.note("Executing stop method (:kill).")
	return solaris.StopDaemon(r.h)
}

func (r *restarter) transition(to engine.ServiceState, status int, fault []string) error {
	r.st.state, r.st.since, r.st.exitStatus = to, r.h.Now(), status
	return r.save(fault)
}

func (r *restarter) save(fault []string) error {
	return r.h.Services().Set(r.st.record(fault))
}

// writeLog appends the restarter's lines to the instance's log in the
// host's tree, once the transaction has committed.
func (r *restarter) writeLog() error {
	if len(r.log) == 0 {
		return nil
	}
	path := r.lab.HostPath(r.h.Info.Name, r.st.in.logFile())
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	for _, line := range r.log {
		if _, err := fmt.Fprintln(f, line); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
