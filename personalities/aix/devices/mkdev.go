package devices

import (
	"errors"
	"fmt"
	"io"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

const mkdevUsage = "Usage: mkdev -l Name [-t Type]\n"

// Mkdev is mkdev -l: it configures (loads) a device, defining it first
// when it is not in the customized database. "mkdev -l ipsec -t 4" names
// ipsec_v4 by its logical name and type, as IBM documents for IP
// Security. A device already Available is reported Available again,
// exit 0: IBM's mkfilt and mktun modules run the command on every play
// and fail on a non-zero exit, and IBM's own test run passed on a host
// whose devices were Available [C: inferred from that run].
func Mkdev(args []string, p *proc.Proc) int {
	var name, typ string
	g := getopt.New(getopt.POSIX, "l:t:", args)
	for {
		c, v, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usage(p, "mkdev", err, mkdevUsage)
		}
		switch c {
		case 'l':
			name = v
		case 't':
			typ = v
		}
	}
	if name == "" || len(g.Args()) > 0 {
		return usage(p, "mkdev", nil, mkdevUsage)
	}
	if name == class {
		if typ != "4" && typ != "6" {
			// [I] IBM's message for a type the ipsec class lacks is not known.
			fmt.Fprintf(p.Stderr, "mkdev: the ipsec device type is 4 or 6, not %q\n", clip(typ))
			return 1
		}
		name = "ipsec_v" + typ
	}
	k, ok := kindOf(name)
	if !ok {
		notFound(p, name)
		return 1
	}
	return change(p, "mkdev", func(devs []engine.Device) ([]engine.Device, string, error) {
		for i := range devs {
			if devs[i].Name == k.name {
				devs[i].State = engine.DeviceAvailable
				return devs, k.name + " Available", nil
			}
		}
		return append(devs, engine.Device{Name: k.name, State: engine.DeviceAvailable}), k.name + " Available", nil
	})
}

// errNotFound is a device the customized database does not have.
var errNotFound = errors.New("device not found")

// change applies fn to the host's devices in one transaction and prints
// its one line; a device not found prints 0514-519.
func change(p *proc.Proc, tool string, fn func([]engine.Device) ([]engine.Device, string, error)) int {
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		fmt.Fprintf(p.Stderr, "%s: %v\n", tool, err)
		return 1
	}
	if !l.Superuser() {
		fmt.Fprintf(p.Stderr, "%s: only root (or the owner of the lab) may use this command\n", tool)
		return 1
	}
	var line string
	err = l.Host(func(h *engine.Host) error {
		devs, err := customized(h)
		if err != nil {
			return err
		}
		devs, line, err = fn(devs)
		if err != nil {
			return err
		}
		return save(h, devs)
	})
	var nf *notFoundError
	switch {
	case errors.As(err, &nf):
		notFound(p, nf.name)
		return 1
	case err != nil:
		fmt.Fprintf(p.Stderr, "%s: %v\n", tool, err)
		return 1
	}
	fmt.Fprintln(p.Stdout, line)
	return 0
}

type notFoundError struct{ name string }

func (e *notFoundError) Error() string { return errNotFound.Error() + ": " + e.name }

// notFound is message 0514-519, with the device's name [I: the line
// breaks are ikemu's rendering of IBM's catalog text].
func notFound(p *proc.Proc, name string) {
	fmt.Fprintf(p.Stderr, "0514-519 The following device was not found in the customized\n\tdevice configuration database:\n\t%s\n", clip(name))
}

// clip quotes at most 80 bytes of an operand.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80]
	}
	return s
}
