package filt

import (
	"io"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const lsfiltUsage = "Usage: lsfilt [-v 4|6] [-n fid_list] [-a] [-d] [-O]\n"

type lsfiltOptions struct {
	versions       []int
	ids            map[int]bool
	active, dyn, o bool
}

// Lsfilt is lsfilt: the filter table (default), the kernel's active
// rules (-a) or the dynamic IKE rules (-d), long or -O.
func Lsfilt(args []string, p *proc.Proc) int {
	o, err := parseLsfilt(args)
	if err != nil {
		return usageOr(p, "lsfilt", err, lsfiltUsage)
	}
	return view(p, "lsfilt", func(h *engine.Host) error {
		for _, v := range o.versions {
			if err := o.list(h, v, p.Stdout); err != nil {
				return err
			}
		}
		return nil
	})
}

func parseLsfilt(args []string) (lsfiltOptions, error) {
	var o lsfiltOptions
	var v string
	g := getopt.New(getopt.POSIX, "v:n:adO", args)
	for {
		c, val, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return o, err
		}
		switch c {
		case 'v':
			v = val
		case 'n':
			o.ids, err = idList(val)
			if err != nil {
				return o, err
			}
		case 'a':
			o.active = true
		case 'd':
			o.dyn = true
		case 'O':
			o.o = true
		}
	}
	var ok bool
	if o.versions, ok = versions(v); !ok || len(g.Args()) > 0 || (o.ids != nil && o.active) {
		return o, errUsage
	}
	return o, nil
}

// idList parses a fid_list: IDs separated by spaces or ',' and ranges
// with '-' [C: IBM's lsfilt -n].
func idList(s string) (map[int]bool, error) {
	ids := map[int]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		lo, hi, isRange := strings.Cut(f, "-")
		a, err1 := strconv.Atoi(lo)
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil || a < 0 || b < a || b-a > 65535 {
			return nil, refuse("Invalid filter rule ID list %q.", clip(s))
		}
		for i := a; i <= b; i++ {
			ids[i] = true
		}
	}
	return ids, nil
}

func (o lsfiltOptions) list(h *engine.Host, version int, w io.Writer) error {
	if err := requireDevice(h, version); err != nil {
		return err
	}
	var l listing
	what := "filter rules"
	switch {
	case o.dyn:
		rules, err := dynamicRules(h, version)
		if err != nil {
			return err
		}
		l = listing{version: version}
		for i, r := range rules {
			l.rules = append(l.rules, numbered{i + 1, r})
		}
		what = "dynamic filter rules" // [I]
	case o.active:
		t, err := table(h, version)
		if err != nil {
			return err
		}
		if t.Active == nil {
			// [I] IBM documents no text for rules that were never activated.
			return refuse("The IPv%d filter rules are not active.", version)
		}
		if l, err = activeListing(h, version, t); err != nil {
			return err
		}
	default:
		t, err := table(h, version)
		if err != nil {
			return err
		}
		l = tableListing(version, t, o.ids)
	}
	if o.o {
		l.writeColon(w)
	} else {
		l.writeLong(w, what)
	}
	return nil
}

// activeListing is the kernel's rules: the copy activation loaded, the
// placement rule replaced by the dynamic rules in force, numbered in
// order, and the default rule with the kernel's default action.
func activeListing(h *engine.Host, version int, t engine.FilterTable) (listing, error) {
	dyn, err := dynamicRules(h, version)
	if err != nil {
		return listing{}, err
	}
	l := listing{version: version}
	for _, r := range t.Active {
		if r.Action == engine.FilterPlacement {
			for _, d := range dyn {
				l.rules = append(l.rules, numbered{len(l.rules) + 1, d})
			}
			continue
		}
		l.rules = append(l.rules, numbered{len(l.rules) + 1, r})
	}
	def := t.Default
	if t.ActiveDefault != "" {
		def.Action = t.ActiveDefault
	}
	l.rules = append(l.rules, numbered{0, def})
	return l, nil
}
