package filt

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

// genfiltUsage is IBM's synopsis of the flags ikemu emulates [I: the
// pattern flags -x, -X and -C are not].
const genfiltUsage = "Usage: genfilt -v 4|6 [-n fid] [-a D|P|I|L|E|H|S] -s s_addr -m s_mask [-d d_addr] [-M d_mask] [-g Y|N] [-c protocol] [-o s_opr] [-p s_port] [-O d_opr] [-P d_port] [-r R|L|B] [-w I|O|B] [-l Y|N] [-f Y|N|O|H] [-t tid] [-i interface] [-D description] [-e expiration_time]\n"

// genfiltRequest is a parsed genfilt command line.
type genfiltRequest struct {
	version int
	before  int // 0: at the end
	rule    engine.FilterRule
}

// parseGenfilt reads genfilt's flags into a rule with IBM's defaults:
// deny, source routing yes, all protocols, any port, both scopes and
// directions, no log, all packets, tunnel 0, all interfaces [C].
func parseGenfilt(args []string) (genfiltRequest, error) {
	q := genfiltRequest{}
	var set []struct {
		c byte
		v string
	}
	var haveS, haveM bool
	g := getopt.New(getopt.POSIX, "v:n:"+ruleOpts, args)
	for {
		c, v, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return q, err
		}
		switch c {
		case 'v':
			if v != "4" && v != "6" {
				return q, errUsage
			}
			q.version = int(v[0] - '0')
		case 'n':
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return q, refuse("Invalid filter rule ID %q.", clip(v))
			}
			q.before = n
		default:
			haveS, haveM = haveS || c == 's', haveM || c == 'm'
			set = append(set, struct {
				c byte
				v string
			}{c, v})
		}
	}
	if q.version == 0 || !haveS || !haveM || len(g.Args()) > 0 {
		return q, errUsage
	}
	q.rule = defaultRule(q.version)
	for _, f := range set {
		if err := setField(&q.rule, q.version, f.c, f.v); err != nil {
			return q, err
		}
	}
	return q, nil
}

// defaultRule is a rule with every field at genfilt's default.
func defaultRule(version int) engine.FilterRule {
	a := netip.IPv4Unspecified()
	if version == 6 {
		a = netip.IPv6Unspecified()
	}
	return engine.FilterRule{
		Action: engine.FilterDeny, Src: a, SrcMask: netip.IPv4Unspecified(), Dst: a, DstMask: netip.IPv4Unspecified(),
		SourceRoute: true, Protocol: "all", SrcPort: engine.PortMatch{Op: "any"}, DstPort: engine.PortMatch{Op: "any"},
		Scope: "both", Direction: "both", Fragment: "Y", Interface: "all",
	}
}

var errUsage = errors.New("usage")

// Genfilt is genfilt: it adds a manual filter rule to the table, before
// rule -n or at the end, and says which ID it got.
func Genfilt(args []string, p *proc.Proc) int {
	q, err := parseGenfilt(args)
	if err != nil {
		return usageOr(p, "genfilt", err, genfiltUsage)
	}
	var id int
	rc := update(p, "genfilt", func(h *engine.Host) error {
		if err := requireDevice(h, q.version); err != nil {
			return err
		}
		t, err := table(h, q.version)
		if err != nil {
			return err
		}
		id, err = insert(&t, q)
		if err != nil {
			return err
		}
		return h.Filters().SetTable(q.version, t)
	})
	if rc == 0 {
		fmt.Fprintf(p.Stdout, "Filter rule %d for IPv%d has been added successfully.\n", id, q.version)
	}
	return rc
}

// insert puts the rule before rule q.before, or at the end; IPv4's rule
// 1 stays first [C: IBM's genfilt -n].
func insert(t *engine.FilterTable, q genfiltRequest) (int, error) {
	if q.before == 0 {
		t.Rules = append(t.Rules, q.rule)
		return len(t.Rules), nil
	}
	if q.version == 4 && q.before == 1 {
		return 0, refuse("Filter rule 1 for IPv4 cannot be moved: the new rule ID must be greater than 1.")
	}
	if q.before > len(t.Rules) {
		return 0, refuse("Filter rule %d for IPv%d does not exist.", q.before, q.version)
	}
	i := q.before - 1
	t.Rules = append(t.Rules[:i], append([]engine.FilterRule{q.rule}, t.Rules[i:]...)...)
	return q.before, nil
}

// usageOr prints a refusal's line, or getopt's complaint (AIX's words)
// and the usage; exit 1.
func usageOr(p *proc.Proc, tool string, err error, text string) int {
	var ue *userError
	if errors.As(err, &ue) {
		fmt.Fprintln(p.Stderr, ue.msg)
		return 1
	}
	var ge *getopt.Error
	if errors.As(err, &ge) {
		if ge.Kind == getopt.MissingArgument {
			fmt.Fprintf(p.Stderr, "%s: Flag requires a parameter: %s\n", tool, ge.Option())
		} else {
			fmt.Fprintf(p.Stderr, "%s: Not a recognized flag: %s\n", tool, ge.Option())
		}
	}
	io.WriteString(p.Stderr, text)
	return 1
}
