package engine

// ServingProcess is a real process that serves a host on the wire
// (ikemu serve). While it lives it is the process of the host's running
// daemons: every front end prints its process id for them, so a signal
// sent to the id a runbook read reaches the process acting for them.
type ServingProcess struct {
	PID int `json:"pid"`
	// Start is when the process started, in clock ticks since boot as
	// the kernel counts them, and Boot the boot it counted in: a record
	// whose process died, even one whose id another process has since
	// taken, is known stale.
	Start uint64 `json:"start,omitempty"`
	Boot  string `json:"boot,omitempty"`
}

// Processes tells whether a recorded process still runs. The lab asks
// the kernel; a transaction given none knows no live process.
type Processes interface {
	Alive(ServingProcess) bool
}

// SetProcesses gives the transaction its way to the machine's processes.
func (t *Tx) SetProcesses(p Processes) { t.procs = p }

func (t *Tx) alive(p ServingProcess) bool {
	return p.PID != 0 && t.procs != nil && t.procs.Alive(p)
}

// Serving is the live process serving the host, if one does. A record
// whose process died (ikemu serve killed with SIGKILL, or a crash) is
// ignored: the host's daemons are again the lab's emulated ones, with
// their own process ids, as SMF restarts a daemon whose process is gone.
func (v Daemons) Serving() (ServingProcess, bool, error) {
	c := &v.h.tx.cache
	if p, ok := c.serving[v.h.Info.Name]; ok {
		return p, p.PID != 0, nil
	}
	var p ServingProcess
	if _, err := servingRecord().get(v.h.b, &p); err != nil {
		return ServingProcess{}, false, err
	}
	if !v.h.tx.alive(p) {
		p = ServingProcess{}
	}
	if c.serving == nil {
		c.serving = map[string]ServingProcess{}
	}
	c.serving[v.h.Info.Name] = p
	return p, p.PID != 0, nil
}

// servingChanged drops what the transaction knew of the host's serving.
func (v Daemons) servingChanged() {
	delete(v.h.tx.cache.serving, v.h.Info.Name)
	v.h.tx.cache.dropLogState(v.h.Info.Name)
}

// Serve records p as the process serving the host; another live process
// serving it is an ErrDuplicate.
func (v Daemons) Serve(p ServingProcess) error {
	cur, ok, err := v.Serving()
	if err != nil {
		return err
	}
	if ok && cur.PID != p.PID {
		return errorf(ErrDuplicate, "host %s is already served by process %d", v.h.Info.Name, cur.PID)
	}
	v.servingChanged()
	return servingRecord().put(v.h.b, &p)
}

// EndServing removes p's record and reports whether the host was p's;
// another process's record stays.
func (v Daemons) EndServing(p ServingProcess) (bool, error) {
	var cur ServingProcess
	if _, err := servingRecord().get(v.h.b, &cur); err != nil {
		return false, err
	}
	if cur == (ServingProcess{}) || cur != p {
		return false, nil
	}
	v.servingChanged()
	return true, servingRecord().put(v.h.b, &ServingProcess{})
}

// ShownPID is the process id a running daemon whose record says pid is
// shown with: the serving process's while one lives, else pid (never a
// live process's: see lab.NextPID). A stopped daemon (pid 0) stays 0.
func (v Daemons) ShownPID(pid int) (int, error) {
	if pid == 0 {
		return 0, nil
	}
	p, ok, err := v.Serving()
	if err != nil || !ok {
		return pid, err
	}
	return p.PID, nil
}

const servingKey = "serving"
