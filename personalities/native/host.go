package native

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// HostCmd manages hosts.
type HostCmd struct {
	Add  HostAddCmd  `cmd:"" help:"Add a host with its addresses; its daemons start running."`
	List HostListCmd `cmd:"" help:"List the hosts."`
	Rm   HostRmCmd   `cmd:"" help:"Remove a host, its state and its file tree."`
}

// HostAddCmd is "ikemu host add NAME --addr A...".
type HostAddCmd struct {
	Name  string   `arg:"" help:"Host name."`
	Addrs []string `name:"addr" required:"" help:"An IPv4 or IPv6 address of the host (repeatable)."`
}

var hostNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

func (c *HostAddCmd) Run(e *env) error {
	if !hostNameRE.MatchString(c.Name) {
		return fmt.Errorf("bad host name %q: use letters, digits, '.', '_' and '-'", c.Name)
	}
	info := engine.HostInfo{Name: c.Name}
	for _, a := range c.Addrs {
		addr, err := netip.ParseAddr(a)
		if err != nil || addr.Zone() != "" {
			return fmt.Errorf("bad address %q", a)
		}
		info.Addrs = append(info.Addrs, addr.Unmap())
	}
	l, err := e.lab()
	if err != nil {
		return err
	}
	return l.Update(func(tx *engine.Tx) error {
		if _, err := tx.Host(c.Name); err == nil {
			return fmt.Errorf("host %q already exists", c.Name)
		}
		return l.AddHost(tx, info)
	})
}

// HostListCmd is "ikemu host list".
type HostListCmd struct {
	outputFlag
}

type hostView struct {
	Name   string       `json:"name"`
	Addrs  []netip.Addr `json:"addrs"`
	Iked   daemonView   `json:"in.iked"`
	Root   string       `json:"root"`
	Active bool         `json:"current"`
}

func (c *HostListCmd) Run(e *env) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	var views []hostView
	err = l.Update(func(tx *engine.Tx) error {
		hosts, err := tx.Hosts()
		for _, hi := range hosts {
			h, err := tx.Host(hi.Name)
			if err != nil {
				return err
			}
			d, err := h.Daemon()
			if err != nil {
				return err
			}
			views = append(views, hostView{Name: hi.Name, Addrs: hi.Addrs, Iked: viewDaemon(d),
				Root: l.HostRoot(hi.Name), Active: hi.Name == l.HostName})
		}
		return err
	})
	if err != nil {
		return err
	}
	if c.Output == "json" {
		return writeJSON(e.p.Stdout, views)
	}
	for _, v := range views {
		mark := " "
		if v.Active {
			mark = "*"
		}
		addrs := make([]string, len(v.Addrs))
		for i, a := range v.Addrs {
			addrs[i] = a.String()
		}
		fmt.Fprintf(e.p.Stdout, "%s %-16s %-32s in.iked %s\n", mark, v.Name, strings.Join(addrs, ","), v.Iked.summary())
	}
	return nil
}

// HostRmCmd is "ikemu host rm NAME".
type HostRmCmd struct {
	Name string `arg:"" help:"Host name."`
}

func (c *HostRmCmd) Run(e *env) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	if err := l.Update(func(tx *engine.Tx) error { return tx.RemoveHost(c.Name) }); err != nil {
		return err
	}
	return l.RemoveTree(c.Name)
}
