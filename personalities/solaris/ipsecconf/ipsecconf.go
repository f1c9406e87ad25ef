// Package ipsecconf is Solaris's ipsecconf(8): it loads, checks, lists,
// deletes and flushes the host's IPsec policy (the engine's IPsec policy
// table), from files in the ipsecinit.conf(5) grammar.
package ipsecconf

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

const usageText = "Usage:\tipsecconf\n" +
	"\tipsecconf -a ([-]|<filename>) [-q]\n" +
	"\tipsecconf -c <filename>\n" +
	"\tipsecconf -r ([-]|<filename>) [-q]\n" +
	"\tipsecconf -d [-i tunnel-interface] <index>\n" +
	"\tipsecconf -d <tunnel-interface,index>\n" +
	"\tipsecconf -l [-n] [-i tunnel-interface]\n" +
	"\tipsecconf -f [-i tunnel-interface]\n" +
	"\tipsecconf -L [-n]\n" +
	"\tipsecconf -F\n"

const smfWarning = "\n\tIPsec policy should be managed using smf(5). Modifying\n" +
	"\tthe IPsec policy from the command line while the 'policy'\n" +
	"\tservice is enabled could result in an inconsistent\n" +
	"\tsecurity policy.\n\n"

const addWarning = "\tWARNING : New policy entries that are being added may\n " +
	"\taffect the existing connections. Existing connections\n" +
	"\tthat are not subjected to policy constraints, may be\n" +
	"\tsubjected to policy constraints because of the new\n" +
	"\tpolicy. This can disrupt the communication of the\n" +
	"\texisting connections.\n\n"

type command int

const (
	cmdNone command = iota
	cmdAdd
	cmdDel
	cmdView
	cmdFlush
	cmdList
	cmdSub
	cmdReplace
)

// run is one invocation.
type run struct {
	p       *proc.Proc
	cmd     command
	file    string
	check   bool
	quiet   bool
	numeric bool
	iface   *string // -i; "" for every policy head (-F, -L)
	index   int
	smf     bool   // run as an smf(5) method
	fmri    string // SMF_FMRI
	errs    *bufio.Writer
}

// fatal is EXIT_FATAL: the message, then the verdict.
type fatal string

// ifaceTwice is the one option error main words without the usage.
const ifaceTwice fatal = "Interface name already selected"

func (r *run) warn(msg string) { fmt.Fprintf(r.errs, "ipsecconf: %s\n", msg) }

// exitKind is which of ipsecutil_exit's failures an exit is: from a
// shell all end alike, under smf(5) each has its words and status.
type exitKind int

const (
	exitFatal   exitKind = iota // EXIT_FATAL
	exitBadConf                 // EXIT_BADCONFIG
	exitBadPerm                 // EXIT_BADPERM
)

// The smf(5) exit statuses (libscf.h).
const (
	smfExitErrFatal = 95
	smfExitErrPerm  = 100
)

func (r *run) fail(msg string) int { return r.exit(exitFatal, msg) }

func (r *run) exit(kind exitKind, msg string) int {
	if msg != "" {
		r.warn(msg)
	}
	if !r.smf {
		r.warn("Fatal error - exiting.")
		return 1
	}
	switch kind {
	case exitBadPerm:
		r.warn(fmt.Sprintf("Permission error with %s.", r.fmri))
		return smfExitErrPerm
	case exitBadConf:
		r.warn(fmt.Sprintf("Bad configuration of service %s.", r.fmri))
		return smfExitErrFatal
	}
	r.warn(fmt.Sprintf("Service %s fatal error.", r.fmri))
	return smfExitErrFatal
}

// Main runs ipsecconf with args (without the program name).
func Main(args []string, p *proc.Proc) int {
	errs := bufio.NewWriter(p.Stderr)
	defer errs.Flush()
	fmri := p.Getenv("SMF_FMRI")
	r := &run{p: p, errs: errs, smf: fmri != "", fmri: fmri}
	if len(args) == 0 {
		r.cmd = cmdView
	} else if f, ok := r.options(args); !ok {
		if !r.smf && f != ifaceTwice {
			errs.WriteString(usageText)
		}
		return r.fail(string(f))
	}
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		r.warn(err.Error())
		return 1
	}
	if !l.Superuser() {
		return r.exit(exitBadPerm, "Insufficient privilege to run ipsecconf.")
	}
	return r.dispatch(l)
}

func (r *run) options(args []string) (fatal, bool) {
	g := getopt.New(getopt.Solaris, "nlfLFa:qd:r:i:c:", args)
	all := ""
	for {
		c, arg, err := g.Next()
		if err == io.EOF {
			return "", true
		}
		if err != nil {
			var e *getopt.Error
			if errors.As(err, &e) && e.Kind == getopt.MissingArgument {
				r.warn("option requires an argument -- " + e.Option())
			} else if errors.As(err, &e) {
				r.warn("illegal option -- " + e.Option())
			}
			return "Bad usage.", false
		}
		if f, ok := r.option(c, arg, &all); !ok {
			return f, false
		}
	}
}

func (r *run) option(c byte, arg string, all *string) (fatal, bool) {
	switch c {
	case 'F', 'L':
		if r.iface != nil {
			return "interface name not required.", false
		}
		r.iface = all
		if c == 'L' {
			return r.option('l', arg, all)
		}
		return r.option('f', arg, all)
	case 'f':
		if r.cmd == cmdAdd {
			r.cmd = cmdReplace
			return "", true
		}
		if r.cmd != cmdNone {
			return "Multiple commands specified", false
		}
		r.cmd = cmdFlush
	case 'l':
		if r.cmd != cmdNone {
			return "Multiple commands specified", false
		}
		r.cmd = cmdList
	case 'c', 'a':
		if c == 'c' {
			r.check, r.quiet = true, true
		}
		if r.cmd == cmdFlush {
			r.cmd, r.file = cmdReplace, arg
			return "", true
		}
		if r.cmd != cmdNone || r.iface != nil {
			return "Multiple commands or interface not required.", false
		}
		r.cmd, r.file = cmdAdd, arg
	case 'd':
		if r.cmd != cmdNone {
			return "Multiple commands specified", false
		}
		r.cmd = cmdDel
		tun, idx, comma := strings.Cut(arg, ",")
		if comma && tun != "" {
			if r.iface != nil {
				return ifaceTwice, false
			}
			r.iface = &tun
			arg = idx
		}
		r.index = parseIntC(arg)
	case 'n':
		r.numeric = true
	case 'q':
		r.quiet = true
	case 'r':
		if r.cmd != cmdNone || r.iface != nil {
			return "Multiple commands or interface not required.", false
		}
		r.cmd, r.file = cmdSub, arg
	case 'i':
		if r.iface != nil {
			return ifaceTwice, false
		}
		if arg == "" {
			return "Invalid interface name.", false
		}
		name := arg
		r.iface = &name
	}
	return "", true
}

func (r *run) dispatch(l *lab.Lab) int {
	switch r.cmd {
	case cmdView:
		return r.view(l)
	case cmdList:
		return r.list(l)
	case cmdFlush:
		r.smfWarning()
		return r.flush(l)
	case cmdDel:
		if r.index == -1 {
			r.warn("Invalid index")
			return 1
		}
		r.smfWarning()
		return r.del(l)
	case cmdAdd, cmdReplace:
		r.smfWarning()
		return r.add(l, r.cmd == cmdReplace)
	case cmdSub:
		r.smfWarning()
		return r.sub(l)
	}
	if !r.smf {
		r.errs.WriteString(usageText)
	}
	return r.fail("Bad usage.")
}

func (r *run) smfWarning() {
	if !r.smf && !r.quiet {
		io.WriteString(r.p.Stdout, smfWarning)
	}
}

func (r *run) view(l *lab.Lab) int {
	if r.iface != nil {
		return r.fail("Cannot view for one interface only.")
	}
	w := bufio.NewWriter(r.p.Stdout)
	defer w.Flush()
	err := l.HostView(func(h *engine.Host) error {
		return h.IPsecPolicy().Scan(func(rule *engine.IPsecRule) error {
			if !rule.Unsaved {
				writeSaved(w, rule)
			}
			return nil
		})
	})
	return r.done(err)
}

func (r *run) list(l *lab.Lab) int {
	w := bufio.NewWriter(r.p.Stdout)
	defer w.Flush()
	err := l.HostView(func(h *engine.Host) error {
		names, err := hostNames(h.Tx())
		if err != nil {
			return err
		}
		if !r.tunnelKnown(h) {
			return errNoTunnel
		}
		ls := lister{numeric: r.numeric, names: names}
		var entries []listed
		err = h.IPsecPolicy().Scan(func(rule *engine.IPsecRule) error {
			if r.selects(rule) {
				for _, p := range rule.KernelPolicies() {
					entries = append(entries, listed{rule: rule, policy: p})
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		sortDump(entries)
		for _, e := range entries {
			ls.write(w, e.rule, e.policy)
		}
		return nil
	})
	if errors.Is(err, errNoTunnel) {
		r.warn("ruleset dump failed: Tunnel not found")
		return 1
	}
	return r.done(err)
}

// errNoTunnel is the kernel's ENOENT for a tunnel without a policy head.
var errNoTunnel = errors.New("tunnel not found")

// tunnelKnown reports whether -i names a tunnel the host has a policy
// head for (a lab has no interfaces: the first rule for a tunnel makes
// its head).
func (r *run) tunnelKnown(h *engine.Host) bool {
	if r.iface == nil {
		return true
	}
	ok, err := h.IPsecPolicy().HasHead(*r.iface)
	return ok && err == nil
}

// selects reports whether -i (or its absence) takes in the rule.
func (r *run) selects(rule *engine.IPsecRule) bool {
	if r.iface == nil {
		return rule.Tunnel == ""
	}
	return *r.iface == "" || *r.iface == rule.Tunnel
}

// flush is ipsec_conf_flush of the active policy: the kernel flushes the
// global head (no -i), one tunnel's or every head (-F), then the whole
// policy file is truncated, whichever head that was.
func (r *run) flush(l *lab.Lab) int {
	err := l.Host(func(h *engine.Host) error {
		if r.iface == nil {
			return h.IPsecPolicy().FlushTruncate("", false)
		}
		if !r.tunnelKnown(h) {
			return errNoTunnel
		}
		return h.IPsecPolicy().FlushTruncate(*r.iface, *r.iface == "")
	})
	if errors.Is(err, errNoTunnel) {
		r.flushFailed()
		return 1
	}
	return r.done(err)
}

// flushFailed is ipsec_conf_flush's word for the kernel's ENOENT: the
// tunnel -i names has no policy head.
func (r *run) flushFailed() { r.warn("Flush failed: SPD_FLUSH: Tunnel not found") }

// del is -d: as ipsec_conf_del, the saved text kept under the index
// leaves the view first (only without -i: the file names no policy
// head), then the kernel deletes the one policy of that index. A failed
// kernel delete leaves the text out, as the file was already changed.
// Without the file (no load yet) nothing is deleted.
func (r *run) del(l *lab.Lab) int {
	var out deletion
	err := l.Host(func(h *engine.Host) error {
		var err error
		out, err = r.deleteIndex(h)
		return err
	})
	if err != nil {
		return r.done(err)
	}
	if out.missing {
		r.noPolicyFile()
	} else if out.refused != nil {
		r.deleteFailed(out.refused, "Deletion incomplete. Please flush all the entries and re-configure :")
	}
	// main then flushes the standby policy of the same head, which
	// fails only for a tunnel without one.
	if errors.Is(out.refused, errNoTunnel) {
		r.flushFailed()
	}
	if out.missing || out.refused != nil {
		return 1
	}
	return 0
}

// deletion is how -d went: the policy file missing, or the kernel's
// refusal (no such policy, no such tunnel).
type deletion struct {
	missing bool
	refused error
}

func (r *run) deleteIndex(h *engine.Host) (deletion, error) {
	var out deletion
	has, err := h.IPsecPolicy().HasFile()
	if err != nil {
		return out, err
	}
	if !has {
		out.missing = true
		if !r.tunnelKnown(h) {
			out.refused = errNoTunnel
		}
		return out, nil
	}
	tunnel := ""
	if r.iface != nil {
		tunnel = *r.iface
	} else if _, err := h.IPsecPolicy().Unsave(uint64(r.index)); err != nil {
		return out, err
	}
	out.refused = r.deletePolicy(h, tunnel, uint64(r.index))
	if errors.Is(out.refused, engine.ErrNotFound) || errors.Is(out.refused, errNoTunnel) {
		return out, nil
	}
	return deletion{}, out.refused
}

// policyFilePath is where ipsecconf keeps the texts of the entries it loaded.
const policyFilePath = "/var/run/ipsecpolicy.conf"

// noPolicyFile is -d's and -r's word for a policy file no load created.
func (r *run) noPolicyFile() {
	r.warn(policyFilePath + " cannot be opened: No such file or directory")
}

// deletePolicy is pfp_delete_rule: the kernel's delete of one index in a
// policy head. Index 0 asks for a delete by selectors, and with none
// given (and no direction) the kernel deletes nothing and succeeds.
func (r *run) deletePolicy(h *engine.Host, tunnel string, index uint64) error {
	if !r.tunnelKnown(h) {
		return errNoTunnel
	}
	if index == 0 {
		return nil
	}
	return h.IPsecPolicy().DeletePolicy(tunnel, index)
}

// deleteFailed words a refused kernel delete: the errno, then advice.
func (r *run) deleteFailed(err error, advice string) {
	reason := "No such process" // ESRCH: no policy with that index
	if errors.Is(err, errNoTunnel) {
		reason = "No such file or directory" // ENOENT: no such tunnel
	}
	r.warn("Delete failed: SPD_FLUSH: " + reason)
	r.warn(advice)
	r.errs.WriteString("\tipsecconf -f \n \tipsecconf -a policy_file\n")
}

func (r *run) add(l *lab.Lab, replace bool) int {
	data, code, ok := r.readPolicyFile()
	if !ok {
		return code
	}
	var res load
	err := l.Host(func(h *engine.Host) error {
		if err := h.IPsecPolicy().CreateFile(); err != nil {
			return err
		}
		addrs, err := hostAddrs(h.Tx())
		if err != nil {
			return err
		}
		ld := &loader{warn: r.warn, quiet: r.quiet, resolve: labResolver(addrs)}
		if !replace {
			if err := h.IPsecPolicy().Scan(func(x *engine.IPsecRule) error {
				if len(x.KernelPolicies()) > 0 {
					ld.existing = append(ld.existing, *x)
				}
				return nil
			}); err != nil {
				return err
			}
		}
		res = ld.read(data)
		if res.bailed || res.numRules == 0 || res.numRules != res.goodRules || r.check {
			return nil
		}
		if replace {
			if err := h.IPsecPolicy().Flush("", false); err != nil {
				return err
			}
		}
		return h.IPsecPolicy().Add(res.rules)
	})
	if err != nil {
		return r.done(err)
	}
	return r.verdict(res)
}

func (r *run) verdict(res load) int {
	switch {
	case res.bailed:
		return 1
	case res.numRules == 0:
		r.warn("Policy file does not contain any valid rules.")
		return 0
	case res.numRules != res.goodRules:
		return r.exit(exitBadConf, fmt.Sprintf("%d policy rule(s) contained errors.", res.numRules-res.goodRules))
	case r.check:
		io.WriteString(r.p.Stdout, "IPsec configuration does not contain any errors.\nIPsec policy was not modified.\n")
		return 0
	}
	if !r.quiet {
		io.WriteString(r.p.Stdout, addWarning)
	}
	if r.smf {
		r.warn(fmt.Sprintf("%d policy rules added.", res.goodRules))
	}
	return 0
}

const subWarning = "\tWARNING: Policy entries that are being removed may\n" +
	"\taffect the existing connections.  Existing connections\n" +
	"\tthat are subjected to policy constraints may no longer\n" +
	"\tbe subjected to policy contraints because of its\n" +
	"\tremoval.  This can compromise security, and disrupt\n" +
	"\tthe communication of the existing connection.\n" +
	"\tConnections that are latched will remain unaffected\n" +
	"\tuntil they close.\n"

// sub is -r, as ipsec_conf_sub: each line of the file (blank, comment
// and "#INDEX" lines aside) takes out of the view the first saved entry
// that has that line, and the kernel deletes the index the entry is kept
// under from the global head (-r takes no -i, and the file's "#INDEX"
// lines name no head). A line that matches nothing leaves the policy
// file read to its end: no later line matches, and the delete after the
// loop takes the index of the last entry the file keeps (after a match
// that index is 0, which deletes nothing). What the kernel refuses ends
// the loop; the text is gone by then, and stays gone.
func (r *run) sub(l *lab.Lab) int {
	data, code, ok := r.readRemoveFile()
	if !ok {
		return code
	}
	var failed func()
	missing := false
	err := l.Host(func(h *engine.Host) error {
		has, err := h.IPsecPolicy().HasFile()
		if err != nil || !has {
			missing = err == nil
			return err
		}
		failed, err = r.removeEntries(h.IPsecPolicy(), removeLines(data))
		return err
	})
	if err != nil {
		return r.done(err)
	}
	if missing {
		r.noPolicyFile()
		return 1
	}
	if !r.quiet {
		io.WriteString(r.p.Stdout, subWarning)
	}
	if failed != nil {
		failed()
		return 1
	}
	return 0
}

// removeEntries removes what the lines name and returns how to report a
// step the kernel or the file refused (nil: none).
func (r *run) removeEntries(p engine.IPsecPolicy, lines []string) (func(), error) {
	var pindex uint64
	for _, line := range lines {
		doomed, last, err := firstSaved(p, line)
		if err != nil {
			return nil, err
		}
		if doomed == nil {
			pindex = last
			break
		}
		if doomed.Index == 0 {
			return func() { r.warn("Didn't find a valid index for policy") }, nil
		}
		if _, err := p.UnsaveIn(doomed.Tunnel, doomed.Index); err != nil {
			return nil, err
		}
		if err := p.DeletePolicy("", doomed.Index); err != nil {
			return r.refusal(err, "Deletion incomplete. Please flushall the entries and re-configure :")
		}
	}
	if pindex == 0 {
		return nil, nil
	}
	if err := p.DeletePolicy("", pindex); err != nil {
		return r.refusal(err, "Removal incomplete.  Please flush all the entries and re-configure :")
	}
	return nil, nil
}

// refusal reports a delete the kernel refused (no policy of that index),
// or passes on any other error.
func (r *run) refusal(err error, advice string) (func(), error) {
	if !errors.Is(err, engine.ErrNotFound) {
		return nil, err
	}
	return func() { r.deleteFailed(err, advice) }, nil
}

// errFound stops a scan at the entry it looked for.
var errFound = errors.New("found")

// firstSaved is the first saved entry that has line, as ipsec_conf_sub's
// pass over the policy file finds it; when none has it, last is the
// index of the last saved entry (0: none), the last "#INDEX" line that
// pass read.
func firstSaved(p engine.IPsecPolicy, line string) (found *engine.IPsecRule, last uint64, err error) {
	err = p.Scan(func(rule *engine.IPsecRule) error {
		if rule.Unsaved {
			return nil
		}
		if hasLineFold(rule.Text, line) {
			found = rule
			return errFound
		}
		last = rule.Index
		return nil
	})
	if errors.Is(err, errFound) {
		err = nil
	}
	return found, last, err
}

// removeLines are the lines of a -r file that name entries.
func removeLines(data []byte) []string {
	var out []string
	for _, line := range strings.SplitAfter(string(data), "\n") {
		t := strings.TrimLeft(line, " \t\r\v\f\n")
		if t == "" || t[0] == '#' || len(line) >= 6 && asciiEqualFold(line[:6], "#INDEX") {
			continue
		}
		out = append(out, line)
	}
	return out
}

// hasLineFold reports whether text has a line that the remove line
// begins with, its newline included, compared without ASCII case as
// strncasecmp does. Each line of the text ends in a newline in the
// policy file (ipsec_conf_add supplies a missing one), and a blank one
// is never compared.
func hasLineFold(text, line string) bool {
	for _, l := range strings.SplitAfter(text, "\n") {
		if l == "" || l == "\n" {
			continue
		}
		if !strings.HasSuffix(l, "\n") {
			l += "\n"
		}
		if len(line) >= len(l) && asciiEqualFold(line[:len(l)], l) {
			return true
		}
	}
	return false
}

// asciiEqualFold compares without ASCII case, as strncasecmp does in the
// C locale (strings.EqualFold folds Unicode too).
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func (r *run) readRemoveFile() ([]byte, int, bool) {
	var data []byte
	var err error
	if r.file == "-" {
		data, err = boundedio.ReadAll(r.p.Stdin, "standard input", boundedio.FileLimit)
	} else {
		data, err = boundedio.ReadFile(r.p.Path(r.file), r.file, boundedio.FileLimit)
	}
	if err == nil {
		return data, 0, true
	}
	if errors.Is(err, boundedio.ErrTooLarge) {
		r.warn(err.Error())
	} else {
		r.warn(fmt.Sprintf("%s : Input file cannot be opened: %s", r.file, proc.Strerror(err)))
		r.errs.WriteString(usageText)
	}
	return nil, 1, false
}

// readPolicyFile reads -a's file ("-": standard input), bounded.
func (r *run) readPolicyFile() ([]byte, int, bool) {
	var data []byte
	var err error
	if r.file == "-" {
		data, err = boundedio.ReadAll(r.p.Stdin, "standard input", boundedio.FileLimit)
	} else {
		data, err = boundedio.ReadFile(r.p.Path(r.file), r.file, boundedio.FileLimit)
	}
	if err == nil {
		return data, 0, true
	}
	if errors.Is(err, boundedio.ErrTooLarge) {
		r.warn(err.Error())
		return nil, 1, false
	}
	if r.smf {
		fmt.Fprintf(r.p.Stdout, "Policy configuration file (%s) does not exist.\nIPsec policy not configured.\n", r.file)
		return nil, 0, false
	}
	r.warn(fmt.Sprintf("%s : Policy config file cannot be opened: %s", r.file, proc.Strerror(err)))
	r.errs.WriteString(usageText)
	return nil, 1, false
}

func (r *run) done(err error) int {
	if err != nil {
		r.warn(err.Error())
		return 1
	}
	return 0
}

// hostAddrs and hostNames are the lab's name service.
func hostAddrs(tx *engine.Tx) (map[string][]netip.Addr, error) {
	hosts, err := tx.Hosts()
	out := map[string][]netip.Addr{}
	for _, h := range hosts {
		out[strings.ToLower(h.Name)] = h.Addrs
	}
	return out, err
}

func hostNames(tx *engine.Tx) (map[netip.Addr]string, error) {
	hosts, err := tx.Hosts()
	out := map[netip.Addr]string{}
	for _, h := range hosts {
		for _, a := range h.Addrs {
			out[a] = h.Name
		}
	}
	return out, err
}
