package ipsecconf

import (
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// defaultP2 is used when no phase 2 list is given; see defaultIKE.
func defaultP2(ah bool) []p2Proposal {
	if ah {
		return []p2Proposal{{integ: vpnxml.HMACSHA256, ah: true}, {integ: vpnxml.HMACSHA, ah: true}}
	}
	aes := func(n vpnxml.KeyLength) encAlg { return encAlg{ike: vpnxml.IKEAES, esp: vpnxml.ESPAES, keyLen: n} }
	return []p2Proposal{
		{enc: aes(256), integ: vpnxml.HMACSHA256}, {enc: aes(128), integ: vpnxml.HMACSHA256},
		{enc: aes(256), integ: vpnxml.HMACSHA}, {enc: aes(128), integ: vpnxml.HMACSHA},
	}
}

// phase2 builds the phase 2 proposals: AH from strongSwan's ah= or
// Libreswan's phase2=ah, else ESP, from phase2alg= or esp=.
func (c *converter) phase2(p *plan) bool {
	v := p.v
	ah, list, ok := c.phase2List(v)
	if ok {
		p.p2Set = list
		var n notes
		if p.p2, n = p2Proposals(list.value, ah); len(n) > 0 {
			c.settingWarn(list, list.String()+": "+n.String())
		}
		if len(p.p2.proposals) == 0 {
			return c.skip(v, list, "no proposal of "+list.name+"= can be used on AIX")
		}
	} else {
		p.p2.proposals = defaultP2(ah)
		c.connWarn(v, v.sect.at, "esp= is not set: the Linux default proposals are not known here; "+
			defaultP2Text(ah)+" are used")
	}
	p.p2Minutes = c.lifetime(v, "lifetime")
	p.p2KB = c.lifeBytes(v)
	return true
}

func defaultP2Text(ah bool) string {
	if ah {
		return "sha2_256 and sha1"
	}
	return "aes256 and aes128 with sha2_256 or sha1"
}

// phase2List finds the list to use and whether it is for AH.
func (c *converter) phase2List(v *connView) (ah bool, list setting, ok bool) {
	if s, ok := v.get("ah"); ok {
		if e, has := v.get("esp"); has {
			c.settingWarn(e, e.String()+": ignored, since ah= makes the conn use AH only")
		}
		return true, s, true
	}
	if s, ok := v.get("phase2"); ok {
		switch strings.ToLower(s.value) {
		case "ah":
			ah = true
		case "esp":
		default:
			c.settingWarn(s, s.String()+" is not esp or ah; esp is used")
		}
	}
	list, ok = v.get("esp")
	return ah, list, ok
}

// pfs decides the phase 2 Diffie-Hellman group. pfs=no turns it off;
// otherwise the group is the one esp= names, else pfsgroup=, else the
// first IKE group, which is the group the Linux tools reuse. Without pfs=,
// strongSwan uses PFS only when esp= names a group, while the FreeS/WAN
// family uses it always.
func (c *converter) pfs(p *plan) bool {
	v := p.v
	espGroup, named := c.espGroup(p)
	s, set := v.get("pfs")
	on := c.dialect != dialectStrongSwan || named
	switch strings.ToLower(s.value) {
	case "yes":
		on = true
	case "no":
		on = false
		if named && espGroup != 0 {
			c.settingWarn(s, s.String()+": the PFS group of the phase 2 list is not used")
		}
	default:
		if set {
			c.settingWarn(s, s.String()+" is not yes or no; ignored")
		}
	}
	switch {
	case !on || named && espGroup == 0:
		p.pfs = vpnxml.NoPFS
	case named:
		p.pfs = vpnxml.PFS(espGroup)
	default:
		p.pfs = vpnxml.PFS(c.pfsGroup(v, p.ike[0].DHGroup))
	}
	return true
}

// espGroup returns the PFS group named in the phase 2 list (0 for none),
// and whether one was named. AIX has one group per tunnel.
func (c *converter) espGroup(p *plan) (vpnxml.DHGroup, bool) {
	list, gs := p.p2Set, p.p2.groups
	if len(gs) > 1 {
		c.settingWarn(list, list.String()+": AIX uses one PFS group per tunnel; "+groupName(gs[0])+" is used")
	}
	if len(gs) == 0 && p.p2.lostGroup {
		c.settingWarn(list, list.String()+": the PFS group AIX lacks is replaced by the IKE group")
		return p.ike[0].DHGroup, true
	}
	if len(gs) == 0 {
		return 0, false
	}
	return gs[0], true
}

func groupName(g vpnxml.DHGroup) string {
	if g == 0 {
		return "none"
	}
	return "group " + strconv.Itoa(int(g))
}

// pfsGroup reads Openswan's pfsgroup=, falling back to the IKE group.
func (c *converter) pfsGroup(v *connView, ikeGroup vpnxml.DHGroup) vpnxml.DHGroup {
	s, ok := v.get("pfsgroup")
	if !ok {
		return ikeGroup
	}
	g, verdict := parseDH(strings.ToLower(s.value))
	if verdict != supportedAlg || g == 0 {
		c.settingWarn(s, s.String()+" is not a DH group AIX supports; the IKE group is used")
		return ikeGroup
	}
	return g
}

// maxTunnels bounds the phase 2 tunnels of one conn: several subnets on
// each side multiply out.
const maxTunnels = 32

// selectors pairs the local and remote selectors into phase 2 tunnels.
// When the peer's address is unknown and no remote subnet is given, there
// is no tunnel to define: AIX then answers the peer with a default
// protection (the generic data-management tunnel) instead.
func (c *converter) selectors(p *plan) bool {
	locals, ok := c.side(p, p.local)
	if !ok {
		return false
	}
	remotes, ok := c.side(p, p.remote)
	if !ok {
		return false
	}
	p.role = vpnxml.Both
	if !p.remote.addr.IsValid() {
		p.role = vpnxml.Responder
	}
	if len(remotes) == 0 {
		p.allowed = allowedTypes(locals, p.local.addr.Is6())
		c.connWarn(p.v, atOr(p.remote.set, p.v), "the peer's address is not known: converted as a responder-only tunnel "+
			"whose phase 2 uses a default protection (generic data-management tunnel)")
		return true
	}
	return c.pair(p, locals, remotes)
}

// pair makes the tunnels: every local selector with every remote one of
// the same IP version.
func (c *converter) pair(p *plan, locals, remotes []selector) bool {
	mixed := false
	for _, l := range locals {
		for _, r := range remotes {
			switch {
			case l.id.Type.IsIPv6() != r.id.Type.IsIPv6():
				mixed = true
			case len(p.tunnels) == maxTunnels:
				c.connWarn(p.v, p.v.sect.at, "only the first "+strconv.Itoa(maxTunnels)+" subnet pairs become tunnels")
				return true
			default:
				p.tunnels = append(p.tunnels, [2]selector{l, r})
			}
		}
	}
	if mixed && len(p.tunnels) > 0 {
		c.connWarn(p.v, p.v.sect.at, "subnet pairs of different IP versions are left out")
	}
	if len(p.tunnels) == 0 {
		return c.skip(p.v, setting{}, "the local and remote subnets are of different IP versions")
	}
	return true
}

// allowedTypes lists the identity types a default protection serves: the
// local selectors' types and the peer's address.
func allowedTypes(locals []selector, v6 bool) []vpnxml.AllowedType {
	var out []vpnxml.AllowedType
	for _, l := range locals {
		t := vpnxml.AllowedType("Local_" + string(l.id.Type))
		if !contains(out, t) {
			out = append(out, t)
		}
	}
	remote := vpnxml.IPv4Address
	if v6 {
		remote = vpnxml.IPv6Address
	}
	return append(out, vpnxml.AllowedType("Remote_"+string(remote)))
}

// side returns one side's selectors: its subnets (leftsubnet=, and
// Libreswan's leftsubnets=), else its host address, narrowed by
// leftprotoport=. An unknown peer address without subnets gives none.
func (c *converter) side(p *plan, e end) ([]selector, bool) {
	list, settings := c.subnetList(p, e)
	sels, ok := c.parseSubnets(p, e, list, settings)
	if !ok {
		return nil, false
	}
	if len(sels) == 0 && e.addr.IsValid() {
		sels = []selector{{id: addrID(e.addr)}}
	}
	return c.protoPort(p, e, sels)
}

// subnetList gathers the subnet texts of a side, with the line each came
// from. In transport mode the hosts themselves are protected.
func (c *converter) subnetList(p *plan, e end) ([]string, []setting) {
	var list []string
	var from []setting
	for _, k := range []string{e.prefix + "subnet", e.prefix + "subnets"} {
		s, ok := p.v.get(k)
		if !ok {
			continue
		}
		if p.encap == vpnxml.Transport {
			c.settingWarn(s, s.String()+": transport mode protects the hosts themselves; ignored")
			continue
		}
		for _, f := range strings.FieldsFunc(s.value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '{' || r == '}' }) {
			list, from = append(list, f), append(from, s)
		}
	}
	return list, from
}

// parseSubnets reads the subnet texts. One that cannot be used stops the
// conn: leaving it out would change what the tunnel carries.
func (c *converter) parseSubnets(p *plan, e end, list []string, from []setting) ([]selector, bool) {
	var out []selector
	for i, text := range list {
		sel, msg := parseSubnet(text)
		if msg != "" {
			s := from[i]
			return nil, c.skip(p.v, s, s.String()+": "+printable(text)+": "+msg)
		}
		if sel.dynamic {
			if !e.addr.IsValid() {
				continue
			}
			sel.id = addrID(e.addr)
		}
		out = append(out, sel)
	}
	return out, true
}

// protoPort applies leftprotoport= to the selectors that do not carry a
// protocol of their own.
func (c *converter) protoPort(p *plan, e end, sels []selector) ([]selector, bool) {
	s, ok := p.v.get(e.prefix + "protoport")
	if !ok {
		return sels, true
	}
	proto, port, msg := parseProtoPort(s.value)
	if msg != "" {
		return nil, c.skip(p.v, s, s.String()+": "+msg)
	}
	for i := range sels {
		if !sels[i].ppSet {
			sels[i].proto, sels[i].port = proto, port
		}
	}
	return sels, true
}

// flags maps auto=: start starts both phases with IP Security; route and
// ondemand start them when traffic asks; add and ignore leave them to
// ike cmd=activate.
func (c *converter) flags(p *plan) bool {
	p.autoStart, p.onDemand = vpnxml.No, vpnxml.No
	s, ok := p.v.get("auto")
	switch strings.ToLower(s.value) {
	case "start":
		p.autoStart = vpnxml.Yes
	case "route", "ondemand":
		p.onDemand = vpnxml.Yes
	case "add", "ignore", "":
	default:
		c.settingWarn(s, s.String()+" is not a valid value; the tunnel is not started automatically")
	}
	if ok && p.role == vpnxml.Responder && (p.autoStart == vpnxml.Yes || p.onDemand == vpnxml.Yes) {
		c.connWarn(p.v, s.at, s.String()+": the peer's address is not known, so AIX cannot start this tunnel; it waits for the peer")
		p.autoStart, p.onDemand = vpnxml.No, vpnxml.No
	}
	return true
}
