package ipsecconf

import (
	"strconv"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// presharedKey finds the conn's key in ipsec.secrets. AIX keys preshared
// keys by the peer's identity alone, so the key found is stored under the
// remote phase 1 identity, whichever selectors the entry had, and a peer
// identity gets one key however many conns use it. The returned key is
// nil when there is none to add (not needed, not found, or already in
// the document); p.commitKey marks the entry used once the conn is in.
func (c *converter) presharedKey(p *plan) *vpnxml.IKEPresharedKey {
	if p.auth != vpnxml.PresharedKey {
		return nil
	}
	v, remote := p.v, p.remoteID.ID
	if !c.haveSecrets {
		c.connWarn(v, v.sect.at, "no ipsec.secrets was given: add the preshared key for "+idString(remote)+" with ikedb")
		return nil
	}
	best, tie := bestPSK(c.secrets, endpoint{p.localID.ID, p.local.addr}, endpoint{remote, p.remote.addr})
	if best == nil {
		c.connWarn(v, v.sect.at, "no PSK entry of "+c.secretsName+" fits this conn: add the preshared key for "+idString(remote)+" with ikedb")
		return nil
	}
	if tie != nil {
		c.w.add(tie.at, v.name, "this PSK entry fits as well as the one at line "+strconv.Itoa(best.at.line)+", which is used")
	}
	p.commit = func() { best.used = true }
	if best.bad != "" {
		c.w.add(best.at, v.name, "the key of this PSK entry cannot be used: "+best.bad+"; add the preshared key for "+idString(remote)+" with ikedb")
		return nil
	}
	return c.shareKey(p, best)
}

// shareKey returns the key to add, or nil when the peer identity has a key
// in the document already (reported when it is a different one).
func (c *converter) shareKey(p *plan, s *secret) *vpnxml.IKEPresharedKey {
	remote := p.remoteID.ID
	for _, k := range c.keys {
		if !sameID(k.id, remote) {
			continue
		}
		if k.from.value != s.value || k.from.format != s.format {
			c.connWarn(p.v, p.v.sect.at, "AIX keeps one preshared key per peer identity; "+idString(remote)+
				" already has the key of "+k.from.at.file+":"+strconv.Itoa(k.from.at.line)+" (conn "+k.conn+"), which this conn will use too")
		}
		return nil
	}
	key := &vpnxml.IKEPresharedKey{Value: s.value, Format: s.format, Identity: vpnxml.KeyIdentity{ID: remote}}
	prev := p.commit
	p.commit = func() {
		prev()
		c.keys = append(c.keys, keyUse{id: remote, from: s, conn: p.v.name})
	}
	return key
}

// commitKey records the key lookup of a conn that made it into the
// document.
func (p *plan) commitKey() {
	if p.commit != nil {
		p.commit()
	}
}
