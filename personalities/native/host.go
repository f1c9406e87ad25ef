package native

import (
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// HostCmd manages hosts.
type HostCmd struct {
	Add  HostAddCmd  `cmd:"" help:"Add a host with its addresses, as a freshly installed machine: its services off."`
	List HostListCmd `cmd:"" help:"List the hosts."`
	Rm   HostRmCmd   `cmd:"" help:"Remove a host, its state and its file tree."`
	Set  HostSetCmd  `cmd:"" help:"Change a host's settings."`
}

// HostAddCmd is "ikemu host add NAME --addr A...".
type HostAddCmd struct {
	Name  string   `arg:"" help:"Host name."`
	Addrs []string `name:"addr" required:"" help:"An IPv4 or IPv6 address of the host (repeatable)."`
}

// validHostName is ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$, checked by hand:
// compiling that pattern was a third of every invocation's init time.
func validHostName(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return true
}

func (c *HostAddCmd) Run(e *env) error {
	if !validHostName(c.Name) {
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
		return l.AddFreshHost(tx, info)
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
	PKCS11 string       `json:"pkcs11,omitempty"`
	Active bool         `json:"current"`
	// WireRX counts the datagrams the wire dropped for the host since
	// in.iked started (in.iked's own statistics have no such counters).
	WireRX *engine.RXDrops `json:"wire_rx_dropped,omitempty"`
}

func (c *HostListCmd) Run(e *env) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	var views []hostView
	err = l.View(func(tx *engine.Tx) error {
		hosts, err := tx.Hosts()
		for _, hi := range hosts {
			v, err := newHostView(tx, hi, l.HostRoot(hi.Name), l.HostName)
			if err != nil {
				return err
			}
			views = append(views, v)
		}
		return err
	})
	if err != nil {
		return err
	}
	if c.Output == "json" {
		return writeEnvelope(e.p.Stdout, "hosts", views)
	}
	for _, v := range views {
		v.text(e.p.Stdout)
	}
	return nil
}

func newHostView(tx *engine.Tx, hi engine.HostInfo, root, current string) (hostView, error) {
	h, err := tx.Host(hi.Name)
	if err != nil {
		return hostView{}, err
	}
	d, err := viewDaemon(h)
	if err != nil {
		return hostView{}, err
	}
	st, err := h.Daemons().Counters()
	if err != nil {
		return hostView{}, err
	}
	v := hostView{Name: hi.Name, Addrs: hi.Addrs, Iked: d,
		Root: root, PKCS11: hi.PKCS11, Active: hi.Name == current}
	if st.RX != (engine.RXDrops{}) {
		v.WireRX = &st.RX
	}
	return v, nil
}

func (v hostView) text(w io.Writer) {
	mark := " "
	if v.Active {
		mark = "*"
	}
	addrs := make([]string, len(v.Addrs))
	for i, a := range v.Addrs {
		addrs[i] = a.String()
	}
	fmt.Fprintf(w, "%s %-16s %-32s in.iked %s\n", mark, v.Name, strings.Join(addrs, ","), v.Iked.summary())
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

// HostSetCmd is "ikemu host set NAME --pkcs11 PATH".
type HostSetCmd struct {
	Name   string  `arg:"" help:"Host name."`
	PKCS11 *string `name:"pkcs11" placeholder:"PATH" help:"The host's real PKCS#11 module, used where its ike.config keeps the default libpkcs11.so (empty: none of its own)."`
}

func (c *HostSetCmd) Run(e *env) error {
	if c.PKCS11 == nil {
		return fmt.Errorf("nothing to set: give --pkcs11 PATH")
	}
	module := *c.PKCS11
	if module != "" {
		// A module is named by its file: a relative name would mean a
		// different file from another working directory.
		module = e.p.Path(module)
		fi, err := os.Stat(module)
		if err != nil {
			return fmt.Errorf("PKCS#11 module: %w", err)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("PKCS#11 module %s is not a file", module)
		}
	}
	l, err := e.lab()
	if err != nil {
		return err
	}
	return l.Update(func(tx *engine.Tx) error {
		h, err := tx.Host(c.Name)
		if err != nil {
			return err
		}
		info := h.Info
		info.PKCS11 = module
		return h.SetInfo(info)
	})
}
