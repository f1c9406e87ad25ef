package filt

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// ruleOpts is getopt's string for the flags that set a rule's fields,
// shared by genfilt and chfilt.
const ruleOpts = "a:s:m:d:M:g:c:o:p:O:P:r:w:l:f:t:i:D:e:"

// actions are -a's letters.
var actions = map[string]engine.FilterAction{
	"P": engine.FilterPermit, "D": engine.FilterDeny, "I": engine.FilterIf, "L": engine.FilterElse,
	"E": engine.FilterEndif, "H": engine.FilterShunHost, "S": engine.FilterShunPort,
}

// protocols are -c's names [C: IBM's genfilt].
var protocols = map[string]bool{
	"udp": true, "icmp": true, "icmpv6": true, "tcp": true, "tcp/ack": true,
	"ospf": true, "ipip": true, "esp": true, "ah": true, "all": true,
}

var portOps = map[string]bool{"any": true, "eq": true, "neq": true, "lt": true, "le": true, "gt": true, "ge": true}

// setField applies one rule flag to r; a bad value is one line naming
// it [I: IBM documents no texts for these].
func setField(r *engine.FilterRule, version int, c byte, v string) error {
	switch c {
	case 'a':
		a, ok := actions[strings.ToUpper(v)]
		if !ok {
			return refuse("Invalid action %q: use D, P, I, L, E, H or S.", clip(v))
		}
		r.Action = a
	case 's', 'd':
		a, err := address(version, v)
		if err != nil {
			return err
		}
		if c == 's' {
			r.Src = a
		} else {
			r.Dst = a
		}
	case 'm', 'M':
		m, bits, err := mask(version, v)
		if err != nil {
			return err
		}
		if c == 'm' {
			r.SrcMask, r.SrcBits = m, bits
		} else {
			r.DstMask, r.DstBits = m, bits
		}
	case 'g', 'l':
		b, err := yesNo(c, v)
		if err != nil {
			return err
		}
		if c == 'g' {
			r.SourceRoute = b
		} else {
			r.Log = b
		}
	case 'c':
		p, err := protocol(v)
		if err != nil {
			return err
		}
		r.Protocol = p
	case 'o', 'O':
		op := strings.ToLower(v)
		if !portOps[op] {
			return refuse("Invalid port operation %q: use lt, le, gt, ge, eq, neq or any.", clip(v))
		}
		if c == 'o' {
			r.SrcPort.Op = op
		} else {
			r.DstPort.Op = op
		}
	case 'p', 'P':
		n, err := strconv.ParseUint(v, 10, 16)
		if err != nil {
			return refuse("Invalid port %q: use a number from 0 to 65535.", clip(v))
		}
		if c == 'p' {
			r.SrcPort.Port = uint16(n)
		} else {
			r.DstPort.Port = uint16(n)
		}
	default:
		return setWhere(r, c, v)
	}
	return nil
}

// setWhere applies the flags that say where and how a rule applies.
func setWhere(r *engine.FilterRule, c byte, v string) error {
	switch c {
	case 'r':
		s, ok := map[string]string{"R": "route", "L": "local", "B": "both"}[strings.ToUpper(v)]
		if !ok {
			return refuse("Invalid routing %q: use R, L or B.", clip(v))
		}
		r.Scope = s
	case 'w':
		s, ok := map[string]string{"I": "inbound", "O": "outbound", "B": "both"}[strings.ToUpper(v)]
		if !ok {
			return refuse("Invalid direction %q: use I, O or B.", clip(v))
		}
		r.Direction = s
	case 'f':
		f := strings.ToUpper(v)
		if _, ok := fragments[f]; !ok {
			return refuse("Invalid fragmentation control %q: use Y, N, O or H.", clip(v))
		}
		r.Fragment = f
	case 't':
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return refuse("Invalid tunnel ID %q.", clip(v))
		}
		r.TunnelID = uint32(n)
	case 'i':
		if v == "" || len(v) > 16 || strings.ContainsAny(v, " \t|\n") {
			return refuse("Invalid interface %q.", clip(v))
		}
		r.Interface = v
	case 'D':
		if strings.ContainsAny(v, "|\n") || len(v) > 255 {
			return refuse("Invalid description %q.", clip(v))
		}
		r.Description = v
	case 'e':
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return refuse("Invalid expiration time %q.", clip(v))
		}
		r.Expiration = uint32(n)
	}
	return nil
}

// fragments are -f's letters and lsfilt's words for them [C: IBM's
// mkfilt module maps the words back].
var fragments = map[string]string{
	"Y": "all packets",
	"N": "unfragmented packets only",
	"O": "fragments and fragment headers only",
	"H": "fragment headers and unfragmented packets only",
}

// address parses an address of the rule's version; host names are not
// resolved in the lab [I].
func address(version int, v string) (netip.Addr, error) {
	a, err := netip.ParseAddr(v)
	if err != nil || a.Zone() != "" || (version == 4) != a.Is4() {
		return netip.Addr{}, refuse("Invalid IPv%d address %q.", version, clip(v))
	}
	return a, nil
}

// mask parses an IPv4 dotted mask, or an IPv6 prefix length (IBM's
// automation passes 0 and 128).
func mask(version int, v string) (netip.Addr, int, error) {
	if version == 4 {
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is4() {
			return netip.Addr{}, 0, refuse("Invalid IPv4 mask %q.", clip(v))
		}
		return a, 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 128 {
		return netip.Addr{}, 0, refuse("Invalid IPv6 prefix length %q.", clip(v))
	}
	return netip.IPv4Unspecified(), n, nil
}

func yesNo(c byte, v string) (bool, error) {
	switch strings.ToUpper(v) {
	case "Y":
		return true, nil
	case "N":
		return false, nil
	}
	return false, refuse("Invalid value %q for -%c: use Y or N.", clip(v), c)
}

// protocol is a name of -c or a number from 1 to 252.
func protocol(v string) (string, error) {
	l := strings.ToLower(v)
	if protocols[l] {
		return l, nil
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 252 && strconv.Itoa(n) == v {
		return v, nil
	}
	return "", refuse("Invalid protocol %q.", clip(v))
}
