package smf

import (
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// status is an instance's state on a host as svcs shows it.
type status struct {
	in                 *instance
	enabled, temporary bool
	state              engine.ServiceState
	since              time.Time
	exitStatus         int
	// pid and started are the daemon's, while it runs.
	pid     int
	started time.Time
}

// readStatus merges the service manager's record with the daemon's: the
// ike instance is online exactly while in.iked runs, whoever started it
// (svcadm, in.iked or ikemu daemon start). An instance with no record is
// as its manifest delivers it, since the host came up.
func readStatus(h *engine.Host, in *instance) (status, error) {
	st := status{in: in}
	rec, ok, err := h.Services().Get(in.FMRI())
	if err != nil {
		return st, err
	}
	booted, err := h.Services().Booted()
	if err != nil {
		return st, err
	}
	if booted.IsZero() {
		booted = h.Now()
	}
	if ok {
		st.enabled, st.temporary, st.state, st.since, st.exitStatus = rec.Enabled, rec.Temporary, rec.State, rec.Since, rec.ExitStatus
	} else {
		st.enabled, st.since = in.enabledByDefault, booted
		st.state = engine.ServiceDisabled
		if in.enabledByDefault {
			st.state = engine.ServiceOnline
		}
	}
	if in.daemon == "" {
		return st, nil
	}
	d, err := h.Daemons().IKE()
	if err != nil {
		return st, err
	}
	switch {
	case d.Running:
		pid, err := h.Daemons().ShownPID(d.PID)
		if err != nil {
			return st, err
		}
		st.state, st.since, st.pid, st.started = engine.ServiceOnline, d.Started, pid, d.Started
		if !st.enabled {
			st.enabled, st.temporary = true, false
		}
	case st.state == engine.ServiceOnline:
		// in.iked was stopped behind SMF's back (ikemu daemon stop).
		st.state, st.enabled, st.temporary = engine.ServiceDisabled, false, false
		if !ok {
			st.since = booted
		}
	}
	return st, nil
}

// record is the status as the service manager keeps it.
func (st status) record(fault []string) engine.Service {
	return engine.Service{Name: st.in.FMRI(), Enabled: st.enabled, Temporary: st.temporary,
		State: st.state, Since: st.since, ExitStatus: st.exitStatus, Fault: fault}
}
