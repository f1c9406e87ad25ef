package engine

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
