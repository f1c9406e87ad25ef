package engine

import "time"

// DaemonRun names one run of a host's IKE daemon, from its start to its
// stop. A token PIN belongs to one run: a later run of the same host has
// another PID or start time and never finds it, as a restarted in.iked
// has forgotten every PIN.
type DaemonRun struct {
	Host    string
	PID     int
	Started time.Time
}

// PINSlot names the PIN of one token login of a daemon run.
type PINSlot struct {
	Run   DaemonRun
	Token string
}

// run is the daemon run d records on host.
func (d Daemon) run(host string) DaemonRun {
	return DaemonRun{Host: host, PID: d.PID, Started: d.Started}
}

// same compares runs by instant, not by time.Time's representation
// (a decoded time has no monotonic reading).
func (r DaemonRun) same(o DaemonRun) bool {
	return r.Host == o.Host && r.PID == o.PID && r.Started.Equal(o.Started)
}

// none is the run of a daemon record that names no run (never started).
func (r DaemonRun) none() bool { return r.PID == 0 && r.Started.IsZero() }
