package smf

import (
	"fmt"
	"io"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// msgBase prefixes the knowledge articles svcs -x cites (explain.c).
const msgBase = "http://illumos.org/msg/"

// explain is svcs -x: for each instance its state, why, where to read
// more, and the impact (illumos explain.c print_service). No emulated
// instance has dependents, so the impact is on the instance alone.
func explain(sts []status, verbose bool, w io.Writer) {
	for n, st := range sts {
		if n > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s (%s)\n", st.in.FMRI(), st.in.common)
		fmt.Fprintf(w, " State: %s since %s\n", st.state, timeC(st.since))
		if reason, code := explainReason(st); reason != "" {
			fmt.Fprintf(w, "Reason: %s\n", reason)
			fmt.Fprintf(w, "   See: %s%s\n", msgBase, code)
		}
		if verbose {
			title, section, _ := strings.Cut(strings.TrimSuffix(st.in.manpage, ")"), "(")
			fmt.Fprintf(w, "   See: man -M /usr/share/man -s %s %s\n", section, title)
		} else {
			fmt.Fprintf(w, "   See: %s\n", st.in.manpage)
		}
		fmt.Fprintf(w, "   See: %s\n", st.in.logFile())
		if st.state == engine.ServiceOnline {
			fmt.Fprintln(w, "Impact: None.")
		} else {
			fmt.Fprintln(w, "Impact: This service is not running.")
		}
	}
}

// explainReason is the Reason line and its diagnosis code; none for an
// online instance.
func explainReason(st status) (string, string) {
	switch st.state {
	case engine.ServiceDisabled:
		if st.temporary {
			return "Temporarily disabled by an administrator.", "SMF-8000-1S"
		}
		return "Disabled by an administrator.", "SMF-8000-05"
	case engine.ServiceMaintenance:
		return "Start method " + exitText(st.exitStatus) + ".", "SMF-8000-KS"
	case engine.ServiceOffline:
		return "Start method is running.", "SMF-8000-C4"
	}
	return "", ""
}

// exitText words a start method's exit status (print_method_failure).
func exitText(status int) string {
	switch status {
	case exitErrConfig:
		return "exited with $SMF_EXIT_ERR_CONFIG"
	case 95:
		return "exited with $SMF_EXIT_ERR_FATAL"
	}
	return fmt.Sprintf("exited with status %d", status)
}
