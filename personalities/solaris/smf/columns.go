package smf

import (
	"fmt"
	"strings"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// column is one of svcs's output columns (svcs.c columns[]): its header,
// width, and how a row renders it, separator included.
type column struct {
	name  string
	width int
	cell  func(st status, now time.Time) string
	// key orders rows when the column is a sort column; nil sorts equal.
	key func(st status) string
}

var columns = []column{
	{"CTID", 6, func(status, time.Time) string { return fmt.Sprintf("%*s ", 6, "-") }, nil},
	{"DESC", 100, func(st status, _ time.Time) string { return pad(st.in.common, 100) }, nil},
	{"FMRI", 50, func(st status, _ time.Time) string { return pad(st.in.FMRI(), 50) }, func(st status) string { return st.in.FMRI() }},
	{"INST", 20, func(st status, _ time.Time) string { return pad(st.in.name, 20) }, func(st status) string { return st.in.name }},
	{"N", 1, func(status, time.Time) string { return "-  " }, nil},
	{"NSTA", 4, func(status, time.Time) string { return "-    " }, nil},
	{"NSTATE", 13, func(status, time.Time) string { return pad("-", 13) }, nil},
	{"S", 2, func(st status, _ time.Time) string { return stateChar(st.state) + "  " }, stateKey},
	{"SCOPE", 20, func(status, time.Time) string { return pad("localhost", 20) }, nil},
	{"SN", 2, func(st status, _ time.Time) string { return stateChar(st.state) + "-  " }, stateKey},
	{"SVC", 20, func(st status, _ time.Time) string { return pad(st.in.service, 20) }, func(st status) string { return st.in.service }},
	{"STA", 4, func(st status, _ time.Time) string { return fmt.Sprintf("%-4s ", stateAbbrev(st.state)) }, stateKey},
	// svcs.c pads the state to 15 and its buffer keeps 15 of those bytes.
	{"STATE", 14, func(st status, _ time.Time) string { return fmt.Sprintf("%-15s", string(st.state)) }, stateKey},
	{"STIME", 8, func(st status, now time.Time) string { return fmt.Sprintf("%-9s", stime(st.since, now)) }, func(st status) string {
		return fmt.Sprintf("%020d", st.since.UnixNano())
	}},
	{"ZONE", 16, func(status, time.Time) string { return pad("global", 16) }, nil},
}

func pad(s string, width int) string { return fmt.Sprintf("%-*s ", width, s) }

// lookupColumn finds a column by name, ignoring case (getcolumnopt).
func lookupColumn(name string) (int, bool) {
	for i, c := range columns {
		if strings.EqualFold(c.name, name) {
			return i, true
		}
	}
	return 0, false
}

// stime is the STIME column: the time of day within 24 hours, the date
// within 12 months of 30 days, else the year (svcs.c sprint_stime).
func stime(t, now time.Time) string {
	age := now.Sub(t)
	switch {
	case age < 24*time.Hour:
		return fmt.Sprintf("%2d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
	case age < 12*30*24*time.Hour:
		return t.Format("Jan_02") + "  "
	}
	return t.Format("2006") + "    "
}

func stateChar(s engine.ServiceState) string {
	return map[engine.ServiceState]string{engine.ServiceOffline: "0", engine.ServiceOnline: "1",
		engine.ServiceMaintenance: "m", engine.ServiceDisabled: "d"}[s]
}

func stateAbbrev(s engine.ServiceState) string {
	return map[engine.ServiceState]string{engine.ServiceOffline: "OFF", engine.ServiceOnline: "ON",
		engine.ServiceMaintenance: "MNT", engine.ServiceDisabled: "DIS"}[s]
}

// stateKey orders states from least to most interesting (sortkey_states).
func stateKey(st status) string {
	return map[engine.ServiceState]string{engine.ServiceDisabled: "1", engine.ServiceOnline: "2",
		engine.ServiceOffline: "4", engine.ServiceMaintenance: "5"}[st.state]
}

// timeC is strftime's %c in the C locale of Solaris.
func timeC(t time.Time) string { return t.Format("Mon Jan 02 15:04:05 2006") }
