package smf

import (
	"fmt"
	"io"

	"github.com/ikemu/ikemu/pkg/engine"
)

// detailedWidth is the label column of svcs -l ("description" plus two).
const detailedWidth = 13

// detailed is svcs -l: one paragraph per instance (svcs.c print_detailed).
// Contract ids are left out: the emulated daemons have none.
func (o svcsOptions) detailed(h *engine.Host, sts []status, w io.Writer) error {
	for n, st := range sts {
		if n > 0 {
			fmt.Fprintln(w)
		}
		field := func(label, value string) { fmt.Fprintf(w, "%-*s%s\n", detailedWidth, label, value) }
		field("fmri", st.in.FMRI())
		field("name", st.in.common)
		enabled := fmt.Sprint(st.enabled)
		if st.temporary {
			enabled += " (temporary)"
		}
		field("enabled", enabled)
		field("state", string(st.state))
		field("next_state", "none")
		field("state_time", timeC(st.since))
		field("logfile", st.in.logFile())
		field("restarter", "svc:/system/svc/restarter:default")
		for _, d := range st.in.deps {
			state, err := dependencyState(h, d.fmri)
			if err != nil {
				return err
			}
			field("dependency", fmt.Sprintf("%s/%s %s (%s)", d.grouping, d.restartOn, d.fmri, state))
		}
		if o.procs && st.pid != 0 {
			field("process", fmt.Sprintf("%d %s", st.pid, st.in.psargs))
		}
	}
	return nil
}

// dependencyState is an emulated instance's state; the rest of the
// machine (file systems, cryptosvc) is taken to be up.
func dependencyState(h *engine.Host, fmri string) (string, error) {
	for _, in := range instances {
		if fmri == in.FMRI() || fmri == "svc:/"+in.service {
			st, err := readStatus(h, in)
			return string(st.state), err
		}
	}
	return string(engine.ServiceOnline), nil
}
