package ipsecconf

import (
	"strconv"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// maxBase keeps a conn's name short enough for the longest name derived
// from it (the _defIPSprot_ prefix, a _p2_N suffix and a -N to make it
// unique) to stay within AIX's 64 characters.
const maxBase = 40

// namer hands out names unique within each kind of definition.
type namer struct {
	used map[string]map[string]bool
}

// unique returns want, or want-2, want-3, ... when want is taken.
func (n *namer) unique(kind, want string) string {
	if n.used == nil {
		n.used = map[string]map[string]bool{}
	}
	m := n.used[kind]
	if m == nil {
		m = map[string]bool{}
		n.used[kind] = m
	}
	name := want
	for i := 2; m[name]; i++ {
		name = want + "-" + strconv.Itoa(i)
	}
	m[name] = true
	return name
}

// sanitizeName keeps the characters AIX allows in names (letters, digits,
// '_', '-', '.'), replacing the others with '_'.
func sanitizeName(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-' || ch == '.') {
			b[i] = '_'
		}
	}
	if len(b) > maxBase {
		b = b[:maxBase]
	}
	if len(b) == 0 {
		return "conn"
	}
	return string(b)
}

// baseName names the conn's phase 1 tunnel; every other name is derived
// from it.
func (c *converter) baseName(v *connView) string {
	base := c.names.unique("IKETunnel", sanitizeName(v.name))
	if base != v.name {
		c.connWarn(v, v.sect.at, "the name is not a valid or unique AIX name; converted as "+base)
	}
	return base
}

// emit builds the conn's definitions and adds them to the document,
// provided they validate on their own.
func (c *converter) emit(p *plan) {
	base := c.baseName(p.v)
	frag := &vpnxml.Document{}
	ikeProt := c.ikeProtection(p, base)
	frag.IKETunnels = []vpnxml.IKETunnel{{Name: base, ProtectionRef: ikeProt.Name, AutoStart: p.autoStart,
		Local: p.localID, Remote: p.remoteID}}
	frag.IPSecProposals = c.proposals(p, base)
	prot := c.ipsecProtection(p, base, frag.IPSecProposals)
	if len(p.tunnels) == 0 {
		ikeProt.DefaultProtectionRef, ikeProt.DefaultAllowedTypes = prot.Name, p.allowed
	}
	frag.IKEProtections = []vpnxml.IKEProtection{ikeProt}
	frag.IPSecProtections = []vpnxml.IPSecProtection{prot}
	frag.IPSecTunnels = c.tunnels(p, base, prot.Name)
	key := c.presharedKey(p)
	if key != nil {
		frag.PresharedKeys = []vpnxml.IKEPresharedKey{*key}
	}
	if errs := vpnxml.Validate(frag, nil); len(errs) > 0 {
		c.connWarn(p.v, p.v.sect.at, "cannot be written as AIX definitions ("+errs[0].Error()+"); conn skipped")
		return
	}
	c.add(frag, p, key)
}

func (c *converter) ikeProtection(p *plan, base string) vpnxml.IKEProtection {
	return vpnxml.IKEProtection{Name: c.names.unique("IKEProtection", base+"_p1"), Role: p.role,
		XchgMode: p.xchg, KeyOverlap: p.ikeOver, Transforms: p.ike}
}

// proposals makes one IPSecProposal per phase 2 combination.
func (c *converter) proposals(p *plan, base string) []vpnxml.IPSecProposal {
	var out []vpnxml.IPSecProposal
	for i, pr := range p.p2.proposals {
		prop := vpnxml.IPSecProposal{Name: c.names.unique("IPSecProposal", base+"_p2_"+strconv.Itoa(i+1))}
		if pr.ah {
			prop.AH = &vpnxml.AHProtocol{Authentication: pr.integ, EncapsulationMode: p.encap,
				KeyRefreshMinutes: p.p2Minutes, KeyRefreshKB: p.p2KB}
		} else {
			prop.ESP = &vpnxml.ESPProtocol{Encryption: pr.enc.esp, KeyLength: espKeyLength(pr.enc),
				Authentication: pr.integ, EncapsulationMode: p.encap, KeyRefreshMinutes: p.p2Minutes, KeyRefreshKB: p.p2KB}
		}
		out = append(out, prop)
	}
	return out
}

// espKeyLength is the key length for ciphers that take one.
func espKeyLength(e encAlg) vpnxml.KeyLength {
	switch e.esp {
	case vpnxml.ESPAES, vpnxml.ESPAESGCM, vpnxml.ESPAESGMAC:
		return e.keyLen
	}
	return 0
}

// ipsecProtection makes the phase 2 policy. Without tunnels (the peer's
// address is unknown) it is the default protection of the phase 1
// policy, which AIX wants named _defIPSprot_...
func (c *converter) ipsecProtection(p *plan, base string, props []vpnxml.IPSecProposal) vpnxml.IPSecProtection {
	name := base + "_p2"
	if len(p.tunnels) == 0 {
		name = vpnxml.DefaultProtectionPrefix + base
	}
	prot := vpnxml.IPSecProtection{Name: c.names.unique("IPSecProtection", name), Role: p.role,
		KeyOverlap: p.ikeOver, InitiatorDHGroup: p.pfs, ResponderDHGroup: p.pfs}
	for _, pr := range props {
		prot.ProposalRefs = append(prot.ProposalRefs, pr.Name)
	}
	if p.p2KB.Set {
		prot.UseLifeSize = vpnxml.Yes
	}
	return prot
}

// tunnels makes one IPSecTunnel per selector pair; a single one is named
// like the conn, several get _1, _2, ...
func (c *converter) tunnels(p *plan, base, prot string) []vpnxml.IPSecTunnel {
	var out []vpnxml.IPSecTunnel
	for i, pair := range p.tunnels {
		name := base
		if len(p.tunnels) > 1 {
			name = base + "_" + strconv.Itoa(i+1)
		}
		out = append(out, vpnxml.IPSecTunnel{Name: c.names.unique("IPSecTunnel", name), IKETunnelName: base,
			ProtectionRef: prot, AutoStart: p.autoStart, OnDemand: p.onDemand,
			Local: ipsecID(pair[0]), Remote: ipsecID(pair[1])})
	}
	return out
}

func ipsecID(s selector) vpnxml.IPSecIdentity {
	return vpnxml.IPSecIdentity{Port: s.port, Protocol: s.proto, ID: s.id}
}

// add puts a validated conn into the document.
func (c *converter) add(frag *vpnxml.Document, p *plan, key *vpnxml.IKEPresharedKey) {
	d := c.doc
	d.IKEProtections = append(d.IKEProtections, frag.IKEProtections...)
	d.IKETunnels = append(d.IKETunnels, frag.IKETunnels...)
	d.IPSecProposals = append(d.IPSecProposals, frag.IPSecProposals...)
	d.IPSecProtections = append(d.IPSecProtections, frag.IPSecProtections...)
	d.IPSecTunnels = append(d.IPSecTunnels, frag.IPSecTunnels...)
	if key != nil {
		d.PresharedKeys = append(d.PresharedKeys, *key)
	}
	p.commitKey()
}
