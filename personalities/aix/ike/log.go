package ike

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/proc"
)

// Default locations, inside the emulated host's tree.
const (
	isakmpdConf     = "etc/isakmpd.conf"
	syslogConf      = "etc/syslog.conf"
	defaultIPsecLog = "var/adm/ipsec.log"
)

// log is "ike cmd=log": isakmpd re-reads log_level from isakmpd.conf and
// logs, with tmd, to the file syslog.conf names for facility local4.
func (r *invocation) log(h *engine.Host) error {
	level, err := r.readLogLevel(h)
	if err != nil {
		return err
	}
	file, err := r.local4File(h)
	if err != nil {
		return err
	}
	if err := h.Daemons().SetSyslog(engine.SyslogConfig{Level: level, File: file}); err != nil {
		return err
	}
	daemonlog.Syslog(h, engine.LogEvents, "isakmpd", "log level set to %s", levelName(level))
	return nil
}

func levelName(l engine.SyslogLevel) string {
	return [...]string{"none", "errors", "isakmp_events", "information"}[l]
}

// parseLogLevel accepts every spelling IBM's documents use.
func parseLogLevel(v string) (engine.SyslogLevel, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "none":
		return engine.LogNone, true
	case "error", "errors":
		return engine.LogErrors, true
	case "events", "isakmp_events":
		return engine.LogEvents, true
	case "information":
		return engine.LogInformation, true
	}
	return 0, false
}

func (r *invocation) readLogLevel(h *engine.Host) (engine.SyslogLevel, error) {
	f, err := os.Open(r.lab.HostPath(h.Info.Name, isakmpdConf))
	if errors.Is(err, fs.ErrNotExist) {
		return engine.LogNone, nil
	}
	if err != nil {
		return 0, fmt.Errorf("/%s: %s", isakmpdConf, proc.Strerror(err))
	}
	defer f.Close()
	level := engine.LogNone
	sc := boundedio.Scanner(boundedio.Reader(f, "/"+isakmpdConf, boundedio.FileLimit))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, err := isakmpdOption(line)
		if err != nil {
			return 0, fmt.Errorf("/%s: line %d: %v", isakmpdConf, n, err)
		}
		if key != "log_level" {
			continue
		}
		l, ok := parseLogLevel(val)
		if !ok {
			return 0, fmt.Errorf("/%s: line %d: unknown log_level %q (none, errors, isakmp_events, information)", isakmpdConf, n, shortToken(val))
		}
		level = l
	}
	if err := sc.Err(); errors.Is(err, boundedio.ErrTooLarge) {
		return 0, err
	} else if err != nil {
		return 0, boundedio.LineError(err, "/"+isakmpdConf, n+1)
	}
	return level, nil
}

// isakmpdOptions are the option names IBM documents for isakmpd.conf
// ("The /etc/isakmpd.conf file"), lower case; v1 and v2 open the line
// of IKE ports ("v1=500-4500,v2=...").
var isakmpdOptions = map[string]bool{
	"log_level": true, "main_mode_requires_ip": true,
	"socks4_server": true, "socks4_portnum": true, "socks4_userid": true,
	"ldap_server": true, "ldap_version": true, "ldap_serverport": true, "ldap_searchtime": true,
	"crl_fetch_order": true, "v1": true, "v2": true, "liveness_chk_interval": true,
}

// isakmpdOption splits an option line, NAME=value, and returns the name
// in lower case; a line of another shape, or a name IBM does not
// document, is refused with the offending text.
func isakmpdOption(line string) (string, string, error) {
	key, val, ok := strings.Cut(line, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" || strings.ContainsAny(key, " \t") {
		return "", "", fmt.Errorf("%q is not an option (NAME=value)", shortToken(line))
	}
	lower := strings.ToLower(key)
	if !isakmpdOptions[lower] {
		return "", "", fmt.Errorf("unknown option %q", shortToken(key))
	}
	return lower, val, nil
}

// shortToken keeps a quoted piece of a file to one readable line.
func shortToken(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// local4File is the file syslog.conf sends facility local4 to, inside the
// host's tree; without such a line, var/adm/ipsec.log.
func (r *invocation) local4File(h *engine.Host) (string, error) {
	def := r.lab.HostPath(h.Info.Name, defaultIPsecLog)
	f, err := os.Open(r.lab.HostPath(h.Info.Name, syslogConf))
	if errors.Is(err, fs.ErrNotExist) {
		return def, nil
	}
	if err != nil {
		return "", fmt.Errorf("/%s: %s", syslogConf, proc.Strerror(err))
	}
	defer f.Close()
	sc := boundedio.Scanner(boundedio.Reader(f, "/"+syslogConf, boundedio.FileLimit))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") || !selectsLocal4(fields[0]) {
			continue
		}
		if dest := fields[1]; strings.HasPrefix(dest, "/") {
			return r.lab.HostPath(h.Info.Name, path.Clean(dest)[1:]), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", boundedio.LineError(err, "/"+syslogConf, 0)
	}
	return def, nil
}

// selectsLocal4 reports whether a selector list ("local4.debug;mail.none")
// sends facility local4 somewhere.
func selectsLocal4(sel string) bool {
	hit := false
	for _, s := range strings.Split(sel, ";") {
		fac, prio, _ := strings.Cut(s, ".")
		for _, f := range strings.Split(fac, ",") {
			if f == "local4" || f == "*" {
				hit = prio != "none"
			}
		}
	}
	return hit
}

// parseAddr parses an address identity.
func parseAddr(s string) (netip.Addr, error) { return netip.ParseAddr(s) }
