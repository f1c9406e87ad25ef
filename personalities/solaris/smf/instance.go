// Package smf is Solaris's service management facility as far as it
// reaches IPsec: svcadm and svcs for the four instances of
// svc:/network/ipsec, with illumos's texts, layouts and exit statuses.
// The ike instance is in.iked: enabling it runs the start method (in.iked
// -c, then the daemon the way in.iked starts it), disabling stops it.
package smf

import (
	"fmt"
	"regexp"
	"strings"
)

// instance is one emulated SMF service instance, as its manifest
// describes it.
type instance struct {
	service string // "network/ipsec/ike"
	name    string // "default"
	// common is the template's common name (svcs -l name, svcs -x).
	common string
	// manpage is the template's manual page, "title(section)".
	manpage string
	// enabledByDefault is create_default_instance enabled=...
	enabledByDefault bool
	deps             []dependency
	// daemon is the process a contract service runs (svcs -p): its
	// pr_fname and pr_psargs; empty for transient services.
	daemon, psargs string
	// configFile is the file whose absence makes the start method fail
	// (config/config_file), relative to the host's root; empty when the
	// method needs none.
	configFile string
}

type dependency struct {
	grouping, restartOn, fmri string
}

// FMRI is the instance's full FMRI.
func (i *instance) FMRI() string { return "svc:/" + i.service + ":" + i.name }

// logFile is the restarter's log file of the instance (svcs -l logfile).
func (i *instance) logFile() string {
	return "/var/svc/log/" + strings.ReplaceAll(i.service, "/", "-") + ":" + i.name + ".log"
}

// Manual page sections are Solaris's (1M); illumos has since moved them
// to section 8. The ike manifest ships with in.iked, which illumos does
// not build; its common name and its dependency on ipsecalgs are
// Solaris's [I]. The others' are from their manifests in illumos-gate
// (usr/src/cmd/cmd-inet/usr.sbin/ipsecutils/*.xml).
var instances = []*instance{
	{
		service: "network/ipsec/ike", name: "default", common: "IKE daemon", manpage: "in.iked(1M)",
		deps:   []dependency{{"require_all", "none", "svc:/network/ipsec/ipsecalgs"}},
		daemon: "in.iked", psargs: "/usr/lib/inet/in.iked", configFile: "etc/inet/ike/config",
	},
	{
		service: "network/ipsec/ipsecalgs", name: "default", common: "IPsec algorithm initialization",
		manpage: "ipsecalgs(1M)", enabledByDefault: true,
		deps: []dependency{
			{"require_all", "none", "svc:/system/cryptosvc"},
			{"require_all", "none", "file://localhost/etc/inet/ipsecalgs"},
			{"require_all", "error", "svc:/system/filesystem/usr"},
			{"require_all", "none", "svc:/system/device/local"},
		},
	},
	{
		service: "network/ipsec/manual-key", name: "default", common: "manually keyed IPsec startup",
		manpage: "ipseckey(1M)", configFile: "etc/inet/secret/ipseckeys",
		deps: []dependency{
			{"require_all", "none", "svc:/system/filesystem/minimal"},
			{"require_all", "none", "svc:/network/ipsec/ipsecalgs"},
		},
	},
	{
		service: "network/ipsec/policy", name: "default", common: "IPsec policy initialization",
		manpage: "ipsecconf(1M)", enabledByDefault: true,
		deps: []dependency{
			{"require_all", "none", "svc:/system/filesystem/minimal"},
			{"require_all", "none", "svc:/network/ipsec/ipsecalgs"},
		},
	},
}

// IKE is the ike instance's FMRI.
const IKE = "svc:/network/ipsec/ike:default"

// match returns the instances a pattern names, as libscf's
// scf_walk_fmri reads it: a full FMRI (service or instance), an
// fnmatch(5) pattern, or an abbreviation, the trailing '/'-separated
// components of the service name, optionally with ":instance", or an
// instance name alone.
func match(pattern string) []*instance {
	var out []*instance
	for _, in := range instances {
		if matches(pattern, in) {
			out = append(out, in)
		}
	}
	return out
}

func matches(p string, in *instance) bool {
	full := in.FMRI()
	glob := strings.ContainsAny(p, "*?[")
	if strings.HasPrefix(p, "svc:") {
		if glob {
			return fnmatch(p, full) || fnmatch(p, "svc:/"+in.service)
		}
		return p == full || p == "svc:/"+in.service
	}
	if glob {
		for _, prefix := range []string{"svc:/", "svc:/*/"} {
			if fnmatch(prefix+p, full) || fnmatch(prefix+p, "svc:/"+in.service) {
				return true
			}
		}
		return false
	}
	svc, inst, hasInst := strings.Cut(p, ":")
	if hasInst {
		return inst == in.name && trailing(in.service, svc)
	}
	return trailing(in.service, p) || p == in.name
}

// trailing reports whether abbrev is the service name or its trailing
// whole components.
func trailing(service, abbrev string) bool {
	return abbrev != "" && (service == abbrev || strings.HasSuffix(service, "/"+abbrev))
}

// fnmatch is fnmatch(3C) without flags: '*' and '?' match any character,
// '/' included; [...] is a bracket expression. A malformed pattern
// matches nothing.
func fnmatch(pattern, name string) bool {
	var re strings.Builder
	re.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '*':
			re.WriteString("(?s:.*)")
		case '?':
			re.WriteString("(?s:.)")
		case '[':
			end := strings.IndexByte(pattern[i+1:], ']')
			if end < 0 {
				return false
			}
			set := pattern[i+1 : i+1+end]
			if strings.HasPrefix(set, "!") {
				set = "^" + set[1:]
			}
			re.WriteString("[" + strings.ReplaceAll(set, `\`, `\\`) + "]")
			i += end + 1
		default:
			re.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	re.WriteString("$")
	m, err := regexp.MatchString(re.String(), name)
	return err == nil && m
}

// maxFMRI is the longest FMRI the repository takes (max_scf_fmri_length).
const maxFMRI = 628

// tooLong is libscf's refusal of an operand longer than any FMRI; the
// operand is quoted to at most 80 bytes, so a huge argument never
// floods the terminal.
func tooLong(pattern string) (string, bool) {
	if len(pattern) <= maxFMRI {
		return "", false
	}
	return fmt.Sprintf("Argument '%s...' is too long, ignoring", pattern[:80]), true
}
