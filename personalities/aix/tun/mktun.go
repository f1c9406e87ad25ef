package tun

import (
	"fmt"
	"io"
	"slices"

	"github.com/ikemu/ikemu/personalities/aix/devices"
	"github.com/ikemu/ikemu/personalities/aix/filt"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/proc"
)

const (
	mktunUsage = "Usage: mktun [-v 4|6] [-t tid_list]\n"
	rmtunUsage = "Usage: rmtun -v 4|6 -t tid_list|all [-d]\n"
)

// selection is the -v and -t of mktun and rmtun.
type selection struct {
	versions []int
	ids      map[uint32]bool // nil: all
	remove   bool
}

func parseSelection(args []string, opts string, needAll bool) (selection, error) {
	var s selection
	var v, t string
	g := getopt.New(getopt.POSIX, opts, args)
	for {
		c, val, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, err
		}
		switch c {
		case 'v':
			v = val
		case 't':
			t = val
		case 'd':
			s.remove = true
		}
	}
	n, err := version(v, !needAll)
	if err != nil || len(g.Args()) > 0 || (needAll && t == "") {
		return s, errUsage
	}
	s.versions = []int{4, 6}
	if n != 0 {
		s.versions = []int{n}
	}
	if t != "" {
		s.ids, err = idList(t)
	}
	return s, err
}

// pick returns the tunnels s names; one that is not defined is refused.
func (s selection) pick(list []engine.ManualTunnel, version int) ([]int, error) {
	var at []int
	for i, t := range list {
		if s.ids == nil || s.ids[t.ID] {
			at = append(at, i)
		}
	}
	for id := range s.ids {
		if !slices.ContainsFunc(list, func(t engine.ManualTunnel) bool { return t.ID == id }) {
			return nil, filt.Refuse("Tunnel %d for IPv%d does not exist.", id, version) // [I]
		}
	}
	return at, nil
}

// Mktun is mktun: it activates manual tunnels (all of a version without
// -t), putting their SAs and the filter rules into the kernel.
func Mktun(args []string, p *proc.Proc) int {
	s, err := parseSelection(args, "v:t:", false)
	if err != nil {
		return usageOr(p, "mktun", err, mktunUsage)
	}
	return s.each(p, "mktun", func(h *engine.Host, v int, list []engine.ManualTunnel, at []int) ([]string, error) {
		var lines []string
		for _, i := range at {
			if err := devices.RequireFor(h, list[i].Src); err != nil {
				return nil, err
			}
			list[i].Active = true
			// [R] the line for each tunnel activated.
			lines = append(lines, fmt.Sprintf("Tunnel %d for IPv%d has been activated successfully.", list[i].ID, v))
		}
		if err := h.ManualTunnels().Replace(v, list); err != nil {
			return nil, err
		}
		if len(at) > 0 {
			if err := filt.Activate(h, v); err != nil {
				return nil, err
			}
		}
		return lines, nil
	})
}

// each runs one tool's change on the selected tunnels of each version
// (at: their places in list) in one transaction, and prints the lines
// it returns once that commits. The change stores list itself.
func (s selection) each(p *proc.Proc, tool string, change func(h *engine.Host, v int, list []engine.ManualTunnel, at []int) ([]string, error)) int {
	var lines []string
	rc := filt.Update(p, tool, func(h *engine.Host) error {
		for _, v := range s.versions {
			list, err := h.ManualTunnels().List(v)
			if err != nil {
				return err
			}
			at, err := s.pick(list, v)
			if err != nil {
				return err
			}
			more, err := change(h, v, list, at)
			if err != nil {
				return err
			}
			lines = append(lines, more...)
		}
		return nil
	})
	if rc == 0 {
		for _, l := range lines {
			fmt.Fprintln(p.Stdout, l)
		}
	}
	return rc
}

// Rmtun is rmtun: it deactivates manual tunnels and with -d removes
// their definitions and auto-generated filter rules. "-t all" on a
// host without tunnels does nothing and succeeds, which IBM's role
// relies on when it brings IPsec down.
func Rmtun(args []string, p *proc.Proc) int {
	s, err := parseSelection(args, "v:t:d", true)
	if err != nil {
		return usageOr(p, "rmtun", err, rmtunUsage)
	}
	return s.each(p, "rmtun", func(h *engine.Host, v int, list []engine.ManualTunnel, at []int) ([]string, error) {
		var lines []string
		gone := map[uint32]bool{}
		for _, i := range at {
			t := &list[i]
			if t.Active {
				t.Active = false
				lines = append(lines, fmt.Sprintf("Tunnel %d for IPv%d has been deactivated successfully.", t.ID, v)) // [R]
			}
			if s.remove {
				gone[t.ID] = true
				if err := filt.RemoveTunnelRules(h, v, t.ID); err != nil {
					return nil, err
				}
				lines = append(lines, fmt.Sprintf("Tunnel %d for IPv%d has been removed successfully.", t.ID, v)) // [R]
			}
		}
		list = slices.DeleteFunc(list, func(t engine.ManualTunnel) bool { return gone[t.ID] })
		return lines, h.ManualTunnels().Replace(v, list)
	})
}
