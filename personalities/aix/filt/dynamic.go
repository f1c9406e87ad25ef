package filt

import (
	"net/netip"
	"slices"

	"github.com/ikemu/ikemu/pkg/engine"
)

// dynamicRules are the rules AIX's tunnel manager keeps in the kernel's
// dynamic filter table for the host's live IKE tunnels of one version:
// for each phase 1 tunnel, IKE's UDP port 500 both ways between its
// ends; for each active phase 2 tunnel, all traffic between its ends in
// each direction, through that tunnel (IBM: "filter rules are added to
// the kernel dynamic filter table" once a phase 2 tunnel is up) [I: the
// rules' exact fields].
func dynamicRules(h *engine.Host, version int) ([]engine.FilterRule, error) {
	var p1 []*engine.Phase1SA
	err := h.SAs().ScanPhase1(func(sa *engine.Phase1SA) error {
		if familyOf(sa.Local.First) == version {
			p1 = append(p1, sa)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(p1, func(a, b *engine.Phase1SA) int { return int(a.TunnelNum) - int(b.TunnelNum) })
	var out []engine.FilterRule
	for _, sa := range p1 {
		out = append(out, tunnelRules(version, sa.Local, sa.Remote, "udp", 500, 0)...)
	}
	now := h.Now()
	err = h.SAs().ScanPhase2(func(sa *engine.Phase2SA) error {
		live := !sa.Removed && !sa.Expired(now) && (sa.Status == "" || sa.Status == engine.TunnelActive)
		if live && familyOf(sa.Local.First) == version {
			out = append(out, tunnelRules(version, sa.Local, sa.Remote, "all", 0, sa.TunnelNum)...)
		}
		return nil
	})
	return out, err
}

func familyOf(a netip.Addr) int {
	if a.Unmap().Is4() {
		return 4
	}
	return 6
}

// tunnelRules are the outbound and inbound permit rules between two
// ends: with a port, that port on both sides.
func tunnelRules(version int, local, remote engine.AddrRange, proto string, port uint16, tunnel uint32) []engine.FilterRule {
	ports := engine.PortMatch{Op: "any"}
	if port != 0 {
		ports = engine.PortMatch{Op: "eq", Port: port}
	}
	rule := func(src, dst engine.AddrRange, dir string) engine.FilterRule {
		r := engine.FilterRule{
			Action: engine.FilterPermit, Protocol: proto, SrcPort: ports, DstPort: ports,
			Scope: "both", Direction: dir, Fragment: "Y", TunnelID: tunnel, Interface: "all",
			AutoGen: true,
		}
		r.Src, r.SrcMask, r.SrcBits = rangeAddr(version, src)
		r.Dst, r.DstMask, r.DstBits = rangeAddr(version, dst)
		return r
	}
	return []engine.FilterRule{rule(local, remote, "outbound"), rule(remote, local, "inbound")}
}

// rangeAddr is a range as an address and mask: the widest prefix that
// starts at its first address and ends at or before its last [I: a range
// that is no prefix is shown by that prefix].
func rangeAddr(version int, r engine.AddrRange) (netip.Addr, netip.Addr, int) {
	first, last := r.First.Unmap(), r.Last.Unmap()
	if !last.IsValid() {
		last = first
	}
	bits := first.BitLen()
	for b := 0; b <= first.BitLen(); b++ {
		p, err := first.Prefix(b)
		if err != nil || p.Addr() != first {
			continue
		}
		if lastOf(p).Compare(last) <= 0 {
			bits = b
			break
		}
	}
	if version == 6 {
		return first, netip.IPv4Unspecified(), bits
	}
	return first, maskOf(bits), 0
}

func lastOf(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

func maskOf(bits int) netip.Addr {
	var m [4]byte
	for i := 0; i < bits; i++ {
		m[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom4(m)
}
