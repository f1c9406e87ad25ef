package smf

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// svcs's usage (svcs.c print_usage), on stderr with exit status 2.
const svcsUsage = `Usage: svcs [-aHpv] [-o col[,col ... ]] [-R restarter] [-sS col] [-Z | -z zone ]
            [<service> ...]
       svcs -d | -D [-Hpv] [-o col[,col ... ]] [-sS col] [-Z | -z zone ]
            [<service> ...]
       svcs [-l | -L] [-Z | -z zone] <service> ...
       svcs -x [-v] [-Z | -z zone] [<service> ...]
       svcs -?
`

// svcsOptions are svcs's options as the mode-first parse of svcs.c
// validates them.
type svcsOptions struct {
	mode                       byte // 0, 'l', 'L' or 'x'
	all, noHeader, procs, verb bool
	columns                    string
	sorts                      []sortColumn
}

type sortColumn struct {
	col     int
	reverse bool
}

// Svcs is svcs(1) over the host's IPsec service instances.
func Svcs(args []string, p *proc.Proc) int {
	o, code, ok := parseSvcs(args, p)
	if !ok {
		return code
	}
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		fmt.Fprintf(p.Stderr, "svcs: %v\n", err)
		return exitFatal
	}
	operands := args[len(args)-o.operands(args):]
	exit := 0
	err = l.HostView(func(h *engine.Host) error {
		var err error
		exit, err = o.run(l, h, operands, p)
		return err
	})
	if err != nil {
		fmt.Fprintf(p.Stderr, "svcs: %v\n", err)
		return exitFatal
	}
	return exit
}

// operands counts the operands at the end of args (after getopt).
func (o svcsOptions) operands(args []string) int {
	g := getopt.New(getopt.Solaris, svcsOptstring, args)
	for {
		if _, _, err := g.Next(); err != nil {
			break
		}
	}
	return len(g.Args())
}

const svcsOptstring = "aHpvno:R:s:S:dDlL?xZz:"

func parseSvcs(args []string, p *proc.Proc) (svcsOptions, int, bool) {
	var o svcsOptions
	argserr := func() (svcsOptions, int, bool) {
		io.WriteString(p.Stderr, svcsUsage)
		return o, exitUsage, false
	}
	// First pass: the mode, which decides which options are valid.
	g := getopt.New(getopt.Solaris, svcsOptstring, args)
	for {
		c, _, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var ge *getopt.Error
			if errors.As(err, &ge) {
				fmt.Fprintf(p.Stderr, "svcs: %s\n", optionMessage(ge))
			}
			return argserr()
		}
		switch c {
		case '?':
			io.WriteString(p.Stdout, svcsUsage)
			return o, 0, false
		case 'd', 'D', 'n', 'R', 'z', 'Z':
			fmt.Fprintf(p.Stderr, "svcs: -%c is not emulated by ikemu\n", c)
			return o, exitUsage, false
		case 'l', 'L', 'x':
			if o.mode != 0 {
				return argserr()
			}
			o.mode = c
		}
	}
	g = getopt.New(getopt.Solaris, svcsOptstring, args)
	for {
		c, arg, err := g.Next()
		if err == io.EOF {
			break
		}
		switch c {
		case 'a':
			if o.mode != 0 {
				return argserr()
			}
			o.all = true
		case 'H':
			if o.mode == 'l' || o.mode == 'x' {
				return argserr()
			}
			o.noHeader = true
		case 'p':
			if o.mode == 'x' {
				return argserr()
			}
			o.procs = true
		case 'v':
			o.verb = true
		case 'o':
			if o.mode == 'l' || o.mode == 'x' {
				return argserr()
			}
			o.columns = arg
		case 's', 'S':
			if o.mode != 0 {
				return argserr()
			}
			i, ok := lookupColumn(arg)
			if !ok {
				fmt.Fprintf(p.Stderr, "svcs: Unrecognized sort column \"%s\".\n", arg)
				return o, exitUsage, false
			}
			o.sorts = append(o.sorts, sortColumn{i, c == 'S'})
		}
	}
	if o.mode == 'l' && len(g.Args()) == 0 {
		return argserr()
	}
	return o, 0, true
}

// run lists, details or explains; the exit status is 1 when an operand
// matched nothing.
func (o svcsOptions) run(l *lab.Lab, h *engine.Host, operands []string, p *proc.Proc) (int, error) {
	if o.all && len(operands) > 0 {
		fmt.Fprintln(p.Stderr, "svcs: -a ignored when used with arguments.")
	}
	exit := 0
	var selected []*instance
	if len(operands) == 0 {
		selected = instances
	}
	for _, pat := range operands {
		if msg, long := tooLong(pat); long {
			fmt.Fprintf(p.Stderr, "svcs: %s\n", msg)
			exit = exitFatal
			continue
		}
		found := match(pat)
		if len(found) == 0 {
			fmt.Fprintf(p.Stderr, "svcs: Pattern '%s' doesn't match any instances\n", pat)
			exit = exitFatal
		}
		for _, in := range found {
			if !slices.Contains(selected, in) {
				selected = append(selected, in)
			}
		}
	}
	sts := make([]status, 0, len(selected))
	for _, in := range selected {
		st, err := readStatus(h, in)
		if err != nil {
			return 0, err
		}
		sts = append(sts, st)
	}
	switch o.mode {
	case 'l':
		return exit, o.detailed(h, sts, p.Stdout)
	case 'L':
		for _, st := range sts {
			fmt.Fprintln(p.Stdout, st.in.logFile())
		}
		return exit, nil
	case 'x':
		if len(operands) == 0 {
			sts = slices.DeleteFunc(sts, func(st status) bool { return !st.enabled || st.state == engine.ServiceOnline })
		}
		explain(sts, o.verb, p.Stdout)
		return exit, nil
	}
	if len(operands) == 0 && !o.all {
		sts = slices.DeleteFunc(sts, func(st status) bool { return !st.enabled })
	}
	code, err := o.list(h, sts, p)
	if code != 0 {
		return code, err
	}
	return exit, err
}

// list prints the header and one line per instance (and with -p its
// processes), sorted by the sort columns; without -o, by state, time and
// FMRI.
func (o svcsOptions) list(h *engine.Host, sts []status, p *proc.Proc) (int, error) {
	spec, sorts := o.columns, o.sorts
	if spec == "" {
		spec = "state,stime,fmri"
		if o.verb {
			spec = "state,nstate,stime,ctid,fmri"
		}
		if len(sorts) == 0 {
			for _, name := range []string{"state", "stime", "fmri"} {
				i, _ := lookupColumn(name)
				sorts = append(sorts, sortColumn{col: i})
			}
		}
	}
	var cols []int
	for _, name := range strings.Split(spec, ",") {
		i, ok := lookupColumn(name)
		if !ok {
			fmt.Fprintf(p.Stderr, "svcs: Unknown column \"%s\".\n", name)
			return exitFatal, nil
		}
		cols = append(cols, i)
	}
	slices.SortStableFunc(sts, func(a, b status) int { return compareRows(a, b, sorts) })
	if !o.noHeader {
		var hdr strings.Builder
		for _, i := range cols {
			hdr.WriteString(pad(columns[i].name, columns[i].width))
		}
		fmt.Fprintln(p.Stdout, strings.TrimRight(hdr.String(), " "))
	}
	now := h.Now()
	for _, st := range sts {
		var line strings.Builder
		for _, i := range cols {
			line.WriteString(columns[i].cell(st, now))
		}
		fmt.Fprintln(p.Stdout, strings.TrimRight(line.String(), " "))
		if o.procs && st.pid != 0 {
			fmt.Fprintf(p.Stdout, "               %-8s   %6d %s\n", stime(st.started, now), st.pid, st.in.daemon)
		}
	}
	return 0, nil
}

func compareRows(a, b status, sorts []sortColumn) int {
	for _, s := range sorts {
		key := columns[s.col].key
		if key == nil {
			continue
		}
		c := strings.Compare(key(a), key(b))
		if s.reverse {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}
