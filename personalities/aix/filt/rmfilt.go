package filt

import (
	"fmt"
	"io"
	"strconv"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const rmfiltUsage = "Usage: rmfilt -v 4|6 -n fid|all [-f]\n"

// Rmfilt is rmfilt: it removes one manual rule from the table (-f: an
// auto-generated one too), or with "all" every user-defined rule (-f:
// the auto-generated ones too, but IPv4's rule 1). IPv4's rule 1 is
// reserved; the placement and default rules stay [C: IBM's rmfilt].
func Rmfilt(args []string, p *proc.Proc) int {
	var v, n string
	var force bool
	g := getopt.New(getopt.POSIX, "v:n:f", args)
	for {
		c, val, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usageOr(p, "rmfilt", err, rmfiltUsage)
		}
		switch c {
		case 'v':
			v = val
		case 'n':
			n = val
		case 'f':
			force = true
		}
	}
	if (v != "4" && v != "6") || n == "" || len(g.Args()) > 0 {
		return usageOr(p, "rmfilt", errUsage, rmfiltUsage)
	}
	version := int(v[0] - '0')
	id := 0
	if n != "all" {
		var err error
		if id, err = strconv.Atoi(n); err != nil || id < 1 {
			fmt.Fprintf(p.Stderr, "Invalid filter rule ID %q.\n", clip(n)) // [I]
			return 1
		}
	}
	rc := update(p, "rmfilt", func(h *engine.Host) error {
		if err := requireDevice(h, version); err != nil {
			return err
		}
		t, err := table(h, version)
		if err != nil {
			return err
		}
		if id == 0 {
			t.Rules = removeAll(t.Rules, version, force)
		} else if t.Rules, err = removeOne(t.Rules, version, id, force); err != nil {
			return err
		}
		return h.Filters().SetTable(version, t)
	})
	if rc != 0 {
		return rc
	}
	if id == 0 {
		// [I] the line for "all".
		fmt.Fprintf(p.Stdout, "All filter rules for IPv%d have been removed successfully.\n", version)
	} else {
		fmt.Fprintf(p.Stdout, "Filter rule %d for IPv%d has been removed successfully.\n", id, version)
	}
	return 0
}

func removeAll(rules []engine.FilterRule, version int, force bool) []engine.FilterRule {
	var out []engine.FilterRule
	for i, r := range rules {
		if r.Action == engine.FilterPlacement || (r.AutoGen && !force) || (version == 4 && i == 0) {
			out = append(out, r)
		}
	}
	return out
}

func removeOne(rules []engine.FilterRule, version, id int, force bool) ([]engine.FilterRule, error) {
	if version == 4 && id == 1 {
		return nil, refuse("Filter rule 1 for IPv4 is reserved and cannot be removed.") // [I]
	}
	if id > len(rules) {
		return nil, refuse("Filter rule %d for IPv%d does not exist.", id, version) // [I]
	}
	if rules[id-1].AutoGen && !force {
		return nil, refuse("Filter rule %d for IPv%d is auto-generated: use -f to remove it.", id, version) // [I]
	}
	if rules[id-1].Action == engine.FilterPlacement {
		return nil, refuse("Filter rule %d for IPv%d is the dynamic filter placement rule and cannot be removed.", id, version) // [I]
	}
	return append(rules[:id-1], rules[id:]...), nil
}
