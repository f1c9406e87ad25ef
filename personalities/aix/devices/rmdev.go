package devices

import (
	"fmt"
	"io"
	"slices"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const rmdevUsage = "Usage: rmdev -l Name [-d] [-R]\n"

// Rmdev is rmdev -l NAME: it unconfigures a device (Available to
// Defined) and with -d deletes its definition; -R also acts on its
// children, which these devices have none of.
func Rmdev(args []string, p *proc.Proc) int {
	var name string
	var del bool
	g := getopt.New(getopt.POSIX, "l:dR", args)
	for {
		c, v, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usage(p, "rmdev", err, rmdevUsage)
		}
		switch c {
		case 'l':
			name = v
		case 'd':
			del = true
		}
	}
	if name == "" || len(g.Args()) > 0 {
		return usage(p, "rmdev", nil, rmdevUsage)
	}
	return change(p, "rmdev", func(devs []engine.Device) ([]engine.Device, string, error) {
		i := slices.IndexFunc(devs, func(d engine.Device) bool { return d.Name == name })
		if i < 0 {
			return nil, "", &notFoundError{name: name}
		}
		if del {
			return slices.Delete(devs, i, i+1), fmt.Sprintf("%s deleted", name), nil
		}
		devs[i].State = engine.DeviceDefined
		return devs, fmt.Sprintf("%s Defined", name), nil
	})
}
