package daemonlog

import (
	"fmt"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// syslogLine adds the AIX daemons' syslog line for e (facility local4),
// when the host logs at e's level or above.
func syslogLine(f *fileLines, e *engine.Event) {
	c := e.Log.Syslog
	prog, level, msg, ok := syslogText(e)
	if !ok || c.File == "" || level == engine.LogNone || c.Level < level {
		return
	}
	var b strings.Builder
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintf(&b, "%s %s %s[%d]: %s\n", stamp(e), e.Host, prog, e.Log.PIDs[prog], line)
	}
	f.add(c.File, b.String())
}

func syslogText(e *engine.Event) (prog string, level engine.SyslogLevel, msg string, ok bool) {
	switch e.Kind {
	case engine.EventNote:
		return e.Program, e.Level, e.Detail, e.Vendor == AIX
	case engine.EventPhase1Established:
		role := "responder"
		if e.Initiator {
			role = "initiator"
		}
		return "isakmpd", engine.LogEvents, fmt.Sprintf("Phase 1 SA established (%s) %s <-> %s, cookies 0x%x 0x%x",
			role, e.Local, e.Remote, e.CookieI, e.CookieR), true
	case engine.EventPhase1Failed:
		if e.Initiator {
			return "isakmpd", engine.LogErrors, "Phase 1 negotiation failed: " + e.Detail, true
		}
		return "isakmpd", engine.LogErrors, fmt.Sprintf("Phase 1 negotiation from %s failed: %s", addrText(e.Remote), e.Detail), true
	case engine.EventPhase2Established:
		return "isakmpd", engine.LogEvents, fmt.Sprintf("Phase 2 SA established %s <-> %s, SPI in 0x%x out 0x%x",
			rangeText(e.LocalRange), rangeText(e.RemoteRange), e.SPIIn, e.SPIOut), true
	}
	return "", 0, "", false
}
