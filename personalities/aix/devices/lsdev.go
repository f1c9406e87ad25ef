package devices

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// lsdev's usage [I: abridged to the flags ikemu emulates].
const lsdevUsage = "Usage: lsdev [-C] [-c Class] [-l Name] [-S State] [-F Format] [-H]\n"

type lsdevOptions struct {
	class, name, state, format string
	header                     bool
}

// Lsdev is lsdev -C over the host's customized devices: -c class, -l
// name, -S state (a[vailable] or d[efined]), -F format, -H header.
func Lsdev(args []string, p *proc.Proc) int {
	var o lsdevOptions
	g := getopt.New(getopt.POSIX, "Cc:l:S:F:H", args)
	for {
		c, v, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usage(p, "lsdev", err, lsdevUsage)
		}
		switch c {
		case 'c':
			o.class = v
		case 'l':
			o.name = v
		case 'S':
			o.state = v
		case 'F':
			o.format = v
		case 'H':
			o.header = true
		}
	}
	if len(g.Args()) > 0 {
		return usage(p, "lsdev", nil, lsdevUsage)
	}
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		fmt.Fprintf(p.Stderr, "lsdev: %v\n", err)
		return 1
	}
	var devs []engine.Device
	err = l.HostView(func(h *engine.Host) error {
		var err error
		devs, err = customized(h)
		return err
	})
	if err != nil {
		fmt.Fprintf(p.Stderr, "lsdev: %v\n", err)
		return 1
	}
	o.print(p.Stdout, o.selected(devs))
	return 0
}

func (o lsdevOptions) selected(devs []engine.Device) []engine.Device {
	var out []engine.Device
	for _, d := range devs {
		if (o.class != "" && o.class != class) || (o.name != "" && o.name != d.Name) {
			continue
		}
		if o.state != "" && !strings.HasPrefix(strings.ToLower(string(d.State)), strings.ToLower(o.state[:1])) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// print writes the devices: with -F each line the format with its field
// names replaced; otherwise name, status, location and description, the
// name and status padded to the widest (location is empty for these
// pseudo-devices).
func (o lsdevOptions) print(w io.Writer, devs []engine.Device) {
	if o.format != "" {
		for _, d := range devs {
			fmt.Fprintln(w, expand(o.format, d))
		}
		return
	}
	nameW, statusW := 0, len(engine.DeviceAvailable)
	if o.header {
		nameW = len("name")
	}
	for _, d := range devs {
		nameW = max(nameW, len(d.Name))
	}
	if o.header && len(devs) > 0 {
		fmt.Fprintf(w, "%-*s %-*s %s %s\n", nameW, "name", statusW, "status", "location", "description")
	}
	for _, d := range devs {
		k, _ := kindOf(d.Name)
		loc := ""
		if o.header {
			loc = strings.Repeat(" ", len("location"))
		}
		fmt.Fprintf(w, "%-*s %-*s %s %s\n", nameW, d.Name, statusW, d.State, loc, k.description)
	}
}

// expand replaces each field name of a -F format with the device's
// value; other text stays as it is.
func expand(format string, d engine.Device) string {
	k, _ := kindOf(d.Name)
	fields := map[string]string{
		"name": d.Name, "status": string(d.State), "location": "", "description": k.description,
		"class": class, "subclass": subclass, "type": k.typ, "parent": "",
	}
	var b strings.Builder
	for i := 0; i < len(format); {
		j := i
		for j < len(format) && (unicode.IsLetter(rune(format[j])) || format[j] == '_') {
			j++
		}
		if j == i {
			b.WriteByte(format[i])
			i++
			continue
		}
		word := format[i:j]
		if v, ok := fields[word]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(word)
		}
		i = j
	}
	return b.String()
}

// usage prints getopt's complaint (AIX's words) and the usage; exit 1.
func usage(p *proc.Proc, tool string, err error, text string) int {
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
