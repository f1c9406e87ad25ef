package filt

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const mkfiltUsage = "Usage: mkfilt [-v 4|6] [-u|-d] [-z P|D] [-g start|stop] [-i]\n"

type mkfiltRequest struct {
	versions []int
	up, down bool
	def      engine.FilterAction
	log      string
}

// Mkfilt is mkfilt: -u loads the table into the kernel, -d unloads it,
// -z sets the kernel's default action, -g starts or stops filter
// logging; without -v, both versions.
func Mkfilt(args []string, p *proc.Proc) int {
	q, err := parseMkfilt(args)
	if err != nil {
		return usageOr(p, "mkfilt", err, mkfiltUsage)
	}
	rc := update(p, "mkfilt", func(h *engine.Host) error {
		for _, v := range q.versions {
			if err := q.apply(h, v); err != nil {
				return err
			}
		}
		return nil
	})
	if rc == 0 && q.def != "" {
		// [R] the line smit's "Start IP Security" shows after mkfilt -z.
		fmt.Fprintf(p.Stdout, "Successfully set default action to %s\n", strings.ToUpper(string(q.def)))
	}
	return rc
}

func parseMkfilt(args []string) (mkfiltRequest, error) {
	var q mkfiltRequest
	var v string
	g := getopt.New(getopt.POSIX, "v:udz:g:i", args)
	for {
		c, val, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return q, err
		}
		switch c {
		case 'v':
			v = val
		case 'u':
			q.up = true
		case 'd':
			q.down = true
		case 'z':
			switch strings.ToUpper(val) {
			case "P":
				q.def = engine.FilterPermit
			case "D":
				q.def = engine.FilterDeny
			default:
				return q, refuse("Invalid default action %q: use P or D.", clip(val))
			}
		case 'g':
			if val != "start" && val != "stop" {
				return q, refuse("Invalid log action %q: use start or stop.", clip(val))
			}
			q.log = val
		}
	}
	var ok bool
	if q.versions, ok = versions(v); !ok || len(g.Args()) > 0 {
		return q, errUsage
	}
	if q.up && q.down {
		return q, refuse("The -u and -d flags cannot be used together.") // [C: IBM: "cannot be used with"]
	}
	return q, nil
}

func (q mkfiltRequest) apply(h *engine.Host, version int) error {
	if err := requireDevice(h, version); err != nil {
		return err
	}
	t, err := table(h, version)
	if err != nil {
		return err
	}
	switch {
	case q.up:
		t.Active = slices.Clone(t.Rules)
		if t.Active == nil {
			t.Active = []engine.FilterRule{}
		}
	case q.down:
		t.Active, t.ActiveDefault = nil, ""
	}
	if q.def != "" {
		t.ActiveDefault = q.def
	}
	switch q.log {
	case "start":
		t.Logging = true
	case "stop":
		t.Logging = false
	}
	return h.Filters().SetTable(version, t)
}
