package filt

import (
	"fmt"
	"io"
	"strconv"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const mvfiltUsage = "Usage: mvfilt -v 4|6 -p p_fid -n n_fid\n"

// Mvfilt is mvfilt: rule -p moves to position -n, the rules between
// shifting; IPv4's rule 1 neither moves nor is displaced [C: IBM's
// mvfilt and genfilt -n].
func Mvfilt(args []string, p *proc.Proc) int {
	var v, from, to string
	g := getopt.New(getopt.POSIX, "v:p:n:", args)
	for {
		c, val, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usageOr(p, "mvfilt", err, mvfiltUsage)
		}
		switch c {
		case 'v':
			v = val
		case 'p':
			from = val
		case 'n':
			to = val
		}
	}
	a, err1 := strconv.Atoi(from)
	b, err2 := strconv.Atoi(to)
	if (v != "4" && v != "6") || err1 != nil || err2 != nil || len(g.Args()) > 0 {
		return usageOr(p, "mvfilt", errUsage, mvfiltUsage)
	}
	version := int(v[0] - '0')
	rc := update(p, "mvfilt", func(h *engine.Host) error {
		if err := requireDevice(h, version); err != nil {
			return err
		}
		t, err := table(h, version)
		if err != nil {
			return err
		}
		if err := move(t.Rules, version, a, b); err != nil {
			return err
		}
		return h.Filters().SetTable(version, t)
	})
	if rc == 0 {
		fmt.Fprintf(p.Stdout, "Filter rule %d for IPv%d has been moved to %d successfully.\n", a, version, b) // [I]
	}
	return rc
}

func move(rules []engine.FilterRule, version, from, to int) error {
	low := 1
	if version == 4 {
		low = 2
	}
	for _, id := range []int{from, to} {
		if id < low || id > len(rules) {
			return refuse("Filter rule %d for IPv%d cannot be moved there: use IDs from %d to %d.", id, version, low, len(rules)) // [I]
		}
	}
	r := rules[from-1]
	if from < to {
		copy(rules[from-1:to-1], rules[from:to])
	} else {
		copy(rules[to:from], rules[to-1:from-1])
	}
	rules[to-1] = r
	return nil
}
