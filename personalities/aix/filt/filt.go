// Package filt is AIX's IP security filter rule commands (genfilt,
// lsfilt, mkfilt, rmfilt) over the host's filter tables in the engine,
// with IBM's texts; the dynamic rules the tunnel manager inserts for
// active IKE tunnels are rendered from the engine's SAs.
package filt

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/personalities/aix/devices"
	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// initialTable is the filter table of a host whose rules were never
// changed: for IPv4 the auto-generated rule 1 (IKE's port 4001, as
// lsfilt prints it on a new machine [C: lsfilt -O sample in IBM's mkfilt
// module]), the dynamic placement rule, and the default rule 0, which
// permits; IPv6 has no rule 1 [I].
func initialTable(version int) engine.FilterTable {
	any4, any6 := netip.IPv4Unspecified(), netip.IPv6Unspecified()
	any := any4
	if version == 6 {
		any = any6
	}
	base := engine.FilterRule{
		Src: any, SrcMask: any4, Dst: any, DstMask: any4,
		Protocol: "all", SrcPort: engine.PortMatch{Op: "any"}, DstPort: engine.PortMatch{Op: "any"},
		Scope: "both", Direction: "both", Fragment: "Y", Interface: "all",
	}
	t := engine.FilterTable{}
	if version == 4 {
		r1 := base
		r1.Action, r1.Protocol = engine.FilterPermit, "udp"
		r1.SrcPort, r1.DstPort = engine.PortMatch{Op: "eq", Port: 4001}, engine.PortMatch{Op: "eq", Port: 4001}
		r1.AutoGen, r1.Description = true, "Default Rule"
		t.Rules = append(t.Rules, r1)
	}
	t.Rules = append(t.Rules, engine.FilterRule{Action: engine.FilterPlacement})
	t.Default = base
	t.Default.Action, t.Default.SourceRoute, t.Default.AutoGen, t.Default.Description = engine.FilterPermit, true, true, "Default Rule"
	return t
}

// table is version's table, the initial one when the host has none.
func table(h *engine.Host, version int) (engine.FilterTable, error) {
	t, found, err := h.Filters().Table(version)
	if err != nil || found {
		return t, err
	}
	return initialTable(version), nil
}

// versions is the IP versions a -v flag names: both when absent.
func versions(v string) ([]int, bool) {
	switch v {
	case "":
		return []int{4, 6}, true
	case "4":
		return []int{4}, true
	case "6":
		return []int{6}, true
	}
	return nil, false
}

// requireDevice is AIX's refusal when the IP security device of the
// version is not Available: the same sentence as the tunnel commands.
func requireDevice(h *engine.Host, version int) error {
	a := netip.IPv4Unspecified()
	if version == 6 {
		a = netip.IPv6Unspecified()
	}
	return devices.RequireFor(h, a)
}

// update runs fn on the host in one transaction, as a privileged
// command; an error is printed with the tool's name, except a device
// refusal, which AIX prints bare.
func update(p *proc.Proc, tool string, fn func(*engine.Host) error) int {
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		fmt.Fprintf(p.Stderr, "%s: %v\n", tool, err)
		return 1
	}
	if !l.Superuser() {
		fmt.Fprintf(p.Stderr, "%s: only root (or the owner of the lab) may use this command\n", tool)
		return 1
	}
	return report(p, tool, l.Host(fn))
}

// view runs fn read-only.
func view(p *proc.Proc, tool string, fn func(*engine.Host) error) int {
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		fmt.Fprintf(p.Stderr, "%s: %v\n", tool, err)
		return 1
	}
	return report(p, tool, l.HostView(fn))
}

func report(p *proc.Proc, tool string, err error) int {
	if err == nil {
		return 0
	}
	var de *devices.DeviceError
	if errors.As(err, &de) {
		fmt.Fprintln(p.Stderr, de.Error())
		return 1
	}
	var ue *userError
	if errors.As(err, &ue) {
		fmt.Fprintln(p.Stderr, ue.msg)
		return 1
	}
	fmt.Fprintf(p.Stderr, "%s: %v\n", tool, err)
	return 1
}

// userError is a refusal already worded for the user, printed as is.
type userError struct{ msg string }

func (e *userError) Error() string { return e.msg }

func refuse(format string, args ...any) error { return &userError{fmt.Sprintf(format, args...)} }

// Update, View and Refuse are update, view and refuse for the manual
// tunnel commands (aix/tun), which report as the filter commands do.
func Update(p *proc.Proc, tool string, fn func(*engine.Host) error) int { return update(p, tool, fn) }
func View(p *proc.Proc, tool string, fn func(*engine.Host) error) int   { return view(p, tool, fn) }
func Refuse(format string, args ...any) error                           { return refuse(format, args...) }

// Refusal is the text of a refusal made by Refuse, if err is one.
func Refusal(err error) (string, bool) {
	var ue *userError
	if errors.As(err, &ue) {
		return ue.msg, true
	}
	return "", false
}

// clip quotes at most 80 bytes of an operand.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80]
	}
	return s
}
