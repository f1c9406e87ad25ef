package engine

import (
	"fmt"
	"os"
	"strings"
)

// SyslogLevel is how much the AIX IKE daemons log (isakmpd.conf log_level).
type SyslogLevel int

const (
	LogNone SyslogLevel = iota
	LogErrors
	LogEvents
	LogInformation
)

// SyslogConfig is where and how much the host's IKE daemons log, set by
// "ike cmd=log" from isakmpd.conf and syslog.conf.
type SyslogConfig struct {
	Level SyslogLevel `json:"level"`
	File  string      `json:"file,omitempty"` // absolute path; empty = not logging
}

// Logf appends a syslog line (facility local4) from program prog when the
// host logs at level or above. Like a daemon's syslog, it never fails the
// operation it reports.
func (h *Host) Logf(level SyslogLevel, prog string, format string, args ...any) {
	c, err := h.Daemons().Syslog()
	if err != nil || c.File == "" || c.Level < level || level == LogNone {
		return
	}
	s, _ := h.Daemons().Subsystem(prog)
	f, err := os.OpenFile(c.File, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	stamp := h.tx.now.Local().Format("Jan _2 15:04:05")
	var b strings.Builder
	for _, line := range strings.Split(fmt.Sprintf(format, args...), "\n") {
		fmt.Fprintf(&b, "%s %s %s[%d]: %s\n", stamp, h.Info.Name, prog, s.PID, line)
	}
	_, _ = f.WriteString(b.String())
}
