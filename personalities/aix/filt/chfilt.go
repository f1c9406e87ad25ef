package filt

import (
	"fmt"
	"io"
	"strconv"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const chfiltUsage = "Usage: chfilt -v 4|6 -n fid [-a D|P|I|L|E|H|S] [-s s_addr] [-m s_mask] [-d d_addr] [-M d_mask] [-g Y|N] [-c protocol] [-o s_opr] [-p s_port] [-O d_opr] [-P d_port] [-r R|L|B] [-w I|O|B] [-l Y|N] [-f Y|N|O|H] [-t tid] [-i interface] [-D description] [-e expiration_time]\n"

// Chfilt is chfilt: it changes the fields its flags name in rule -n,
// which must exist and, for IPv4, not be rule 1; an auto-generated rule
// that is changed becomes a manual one [C: IBM's chfilt].
func Chfilt(args []string, p *proc.Proc) int {
	var version, id int
	var set [][2]string
	g := getopt.New(getopt.POSIX, "v:n:"+ruleOpts, args)
	for {
		c, v, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usageOr(p, "chfilt", err, chfiltUsage)
		}
		switch c {
		case 'v':
			if v == "4" || v == "6" {
				version = int(v[0] - '0')
			}
		case 'n':
			if id, err = strconv.Atoi(v); err != nil || id < 0 {
				fmt.Fprintf(p.Stderr, "Invalid filter rule ID %q.\n", clip(v)) // [I]
				return 1
			}
		default:
			set = append(set, [2]string{string(c), v})
		}
	}
	if version == 0 || len(g.Args()) > 0 {
		return usageOr(p, "chfilt", errUsage, chfiltUsage)
	}
	rc := update(p, "chfilt", func(h *engine.Host) error {
		if err := requireDevice(h, version); err != nil {
			return err
		}
		t, err := table(h, version)
		if err != nil {
			return err
		}
		r, err := ruleAt(&t, version, id)
		if err != nil {
			return err
		}
		for _, f := range set {
			if err := setField(r, version, f[0][0], f[1]); err != nil {
				return err
			}
		}
		r.AutoGen = false
		return h.Filters().SetTable(version, t)
	})
	if rc == 0 {
		fmt.Fprintf(p.Stdout, "Filter rule %d for IPv%d has been changed successfully.\n", id, version) // [R]
	}
	return rc
}

// ruleAt is the rule chfilt may change: 0 is the default rule.
func ruleAt(t *engine.FilterTable, version, id int) (*engine.FilterRule, error) {
	switch {
	case id == 0:
		return &t.Default, nil
	case version == 4 && id == 1:
		return nil, refuse("Filter rule 1 for IPv4 is reserved and cannot be changed.") // [I]
	case id > len(t.Rules):
		return nil, refuse("Filter rule %d for IPv%d does not exist.", id, version) // [I]
	case t.Rules[id-1].Action == engine.FilterPlacement:
		return nil, refuse("Filter rule %d for IPv%d is the dynamic filter placement rule and cannot be changed.", id, version) // [I]
	}
	return &t.Rules[id-1], nil
}
