package filt

import (
	"fmt"
	"io"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// exportName is the file expfilt writes in its directory and impfilt
// reads [R].
const exportName = "ipsec_fltr_rule.exp"

// The export file is ikemu's own text [I: IBM does not document the
// format]: a '#' comment line, then one rule a line, '|'-separated:
// version, action, source address and mask, destination address and
// mask, source routing, protocol, source and destination port
// operation and port, scope, direction, log, fragment control, tunnel
// ID, interface, expiration, auto-generated. Descriptions are not
// exported, as IBM says.
const exportHeader = "#ver|action|saddr|smask|daddr|dmask|srcrte|proto|sopr|sport|dopr|dport|scope|dir|log|frag|tid|intf|exp|auto"

const exportFields = 20

func writeExport(w io.Writer, version int, r engine.FilterRule) {
	fmt.Fprintf(w, "%d|%s|%s|%s|%s|%s|%s|%s|%s|%d|%s|%d|%s|%s|%s|%s|%d|%s|%d|%s\n",
		version, r.Action, r.Src, maskText(version, r.SrcMask, r.SrcBits), r.Dst, maskText(version, r.DstMask, r.DstBits),
		yes(r.SourceRoute), r.Protocol, r.SrcPort.Op, r.SrcPort.Port, r.DstPort.Op, r.DstPort.Port,
		r.Scope, r.Direction, yes(r.Log), r.Fragment, r.TunnelID, r.Interface, r.Expiration, yes(r.AutoGen))
}

// parseExport reads one rule line of an export file, checking every
// field as genfilt would.
func parseExport(line string) (int, engine.FilterRule, error) {
	f := strings.Split(line, "|")
	if len(f) != exportFields {
		return 0, engine.FilterRule{}, refuse("Invalid export line %q: %d fields, not %d.", clip(line), len(f), exportFields)
	}
	version := 0
	switch f[0] {
	case "4", "6":
		version = int(f[0][0] - '0')
	default:
		return 0, engine.FilterRule{}, refuse("Invalid IP version %q.", clip(f[0]))
	}
	r := defaultRule(version)
	var err error
	if r.Action, err = exportAction(f[1]); err != nil {
		return 0, r, err
	}
	if f[1] == string(engine.FilterPlacement) {
		return version, engine.FilterRule{Action: engine.FilterPlacement}, nil
	}
	flags := []struct {
		c byte
		v string
	}{{'s', f[2]}, {'m', f[3]}, {'d', f[4]}, {'M', f[5]}, {'c', f[7]}, {'o', f[8]}, {'p', f[9]},
		{'O', f[10]}, {'P', f[11]}, {'f', f[15]}, {'t', f[16]}, {'i', f[17]}, {'e', f[18]}}
	for _, fl := range flags {
		if err := setField(&r, version, fl.c, fl.v); err != nil {
			return 0, r, err
		}
	}
	bools := []*bool{&r.SourceRoute, &r.Log, &r.AutoGen}
	for i, s := range []string{f[6], f[14], f[19]} {
		if s != "yes" && s != "no" {
			return 0, r, refuse("Invalid value %q: use yes or no.", clip(s))
		}
		*bools[i] = s == "yes"
	}
	if r.Scope, err = oneOf(f[12], "route", "local", "both"); err != nil {
		return 0, r, err
	}
	if r.Direction, err = oneOf(f[13], "inbound", "outbound", "both"); err != nil {
		return 0, r, err
	}
	return version, r, nil
}

func exportAction(s string) (engine.FilterAction, error) {
	for _, a := range actions {
		if string(a) == s {
			return a, nil
		}
	}
	if s == string(engine.FilterPlacement) {
		return engine.FilterPlacement, nil
	}
	return "", refuse("Invalid action %q.", clip(s))
}

func oneOf(s string, words ...string) (string, error) {
	for _, w := range words {
		if s == w {
			return s, nil
		}
	}
	return "", refuse("Invalid value %q: use %s.", clip(s), strings.Join(words, ", "))
}

// reversed is a rule as the partner sees it: inbound and outbound
// swapped (expfilt without -r) [C: IBM's expfilt].
func reversed(r engine.FilterRule) engine.FilterRule {
	switch r.Direction {
	case "inbound":
		r.Direction = "outbound"
	case "outbound":
		r.Direction = "inbound"
	}
	return r
}
