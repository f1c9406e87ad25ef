package solaris

import (
	"net/netip"
	"os"
	"strings"

	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
)

// Name service of an emulated host: the lab's host names, then the host's
// own etc/hosts in its tree. Nothing reaches the real resolver, so a lab
// answers the same everywhere.

// lookupName resolves a literal address or a host name. With -n only
// literals are accepted (IPv6 tried first, as ikeadm does).
func (s *session) lookupName(h *engine.Host, name string) []netip.Addr {
	if a, err := netip.ParseAddr(name); err == nil {
		return []netip.Addr{a.Unmap()}
	}
	if s.nflag {
		return nil
	}
	hosts, err := h.Tx().Hosts()
	if err == nil {
		for _, hi := range hosts {
			if hi.Name == name {
				return hi.Addrs
			}
		}
	}
	var out []netip.Addr
	s.scanHostsFile(h, func(a netip.Addr, names []string) bool {
		for _, n := range names {
			if strings.EqualFold(n, name) {
				out = append(out, a)
			}
		}
		return true
	})
	return out
}

// reverseLookup finds the name of an address: the host's etc/hosts
// first, then the lab's host names. The table is read once per command,
// since a dump may look up hundreds of thousands of addresses.
func (s *session) reverseLookup(h *engine.Host, a netip.Addr) (string, bool) {
	if s.names == nil || s.namesTx != h.Tx() {
		s.names, s.namesTx = s.reverseTable(h), h.Tx()
	}
	name, ok := s.names[a.Unmap()]
	return name, ok
}

func (s *session) reverseTable(h *engine.Host) map[netip.Addr]string {
	names := map[netip.Addr]string{}
	if hosts, err := h.Tx().Hosts(); err == nil {
		for _, hi := range hosts {
			for _, a := range hi.Addrs {
				names[a] = hi.Name
			}
		}
	}
	seen := map[netip.Addr]bool{}
	s.scanHostsFile(h, func(a netip.Addr, ns []string) bool {
		if !seen[a] {
			names[a], seen[a] = ns[0], true
		}
		return true
	})
	return names
}

func (s *session) scanHostsFile(h *engine.Host, fn func(netip.Addr, []string) bool) {
	path := s.lab.HostPath(h.Info.Name, "etc/hosts")
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	// Past either limit the lookup ends, as at the end of the file.
	sc := boundedio.Scanner(boundedio.Reader(f, path, boundedio.FileLimit))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		a, err := netip.ParseAddr(fields[0])
		if err != nil {
			continue
		}
		if !fn(a.Unmap(), fields[1:]) {
			return
		}
	}
}
