package ipsecconf

import (
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// plan is what the steps of a conn's conversion decide, before names are
// given and the definitions built.
type plan struct {
	v         *connView
	local     end
	remote    end
	encap     vpnxml.EncapMode
	auth      vpnxml.AuthMethod
	localID   vpnxml.IKEIdentity
	remoteID  vpnxml.IKEIdentity
	xchg      vpnxml.XchgMode
	ikeOver   vpnxml.Int
	ike       []vpnxml.IKETransform
	p2        p2List
	p2Set     setting // the phase 2 list; zero when the defaults are used
	p2Minutes vpnxml.Int
	p2KB      vpnxml.Int
	pfs       vpnxml.PFS
	tunnels   [][2]selector
	allowed   []vpnxml.AllowedType // peer address unknown: types the default protection serves
	role      vpnxml.Role
	autoStart vpnxml.YesNo
	onDemand  vpnxml.YesNo
	commit    func() // records the PSK entry used, once the conn is in
}

// end is one side of a conn: left or right.
type end struct {
	prefix string     // "left" or "right"
	host   host       // what left= (right=) says
	set    setting    // the left= (right=) line; zero when absent
	addr   netip.Addr // the address used; invalid when the peer's is not known
}

// ikeVersion keeps IKEv1 conns: the AIX database of ikedb holds IKEv1
// tunnels. strongSwan's keyexchange= and Libreswan's ikev2= decide; with
// neither, the default of the dialect does.
func (c *converter) ikeVersion(p *plan) bool {
	v := p.v
	kx, hasKX := v.get("keyexchange")
	v2, hasV2 := v.get("ikev2")
	switch {
	case hasKX:
		return c.versionValue(v, kx, "ikev1", "ikev2 ike")
	case hasV2:
		return c.versionValue(v, v2, "no never permit", "yes insist propose")
	case c.dialect == dialectStrongSwan:
		c.connWarn(v, v.sect.at, "keyexchange= is not set, so strongSwan speaks IKEv2, which the AIX IKE database does not hold; "+
			"conn skipped (set keyexchange=ikev1 if this conn used IKEv1)")
		return false
	}
	c.connWarn(v, v.sect.at, "neither keyexchange= nor ikev2= is set: taken as IKEv1, the default of FreeS/WAN, Openswan "+
		"and older Libreswan (newer Libreswan defaults to IKEv2)")
	return true
}

// versionValue checks a version setting: v1 and v2 list the values (blank
// separated) that mean IKEv1 and IKEv2.
func (c *converter) versionValue(v *connView, s setting, v1, v2 string) bool {
	val := strings.ToLower(s.value)
	switch {
	case hasWord(v1, val):
		return true
	case hasWord(v2, val):
		return c.skip(v, s, s.String()+": the AIX IKE database holds IKEv1 tunnels only")
	}
	return c.skip(v, s, s.String()+" is not a valid value")
}

func hasWord(list, w string) bool {
	for _, x := range strings.Fields(list) {
		if x == w {
			return true
		}
	}
	return false
}

// connType maps type=: tunnel and transport are ESP/AH modes; the
// pass/drop kinds are filter rules, not tunnels.
func (c *converter) connType(p *plan) bool {
	s, ok := p.v.get("type")
	switch strings.ToLower(s.value) {
	case "tunnel":
		p.encap = vpnxml.Tunnel
	case "transport":
		p.encap = vpnxml.Transport
	case "passthrough", "pass", "drop", "reject", "bypass":
		return c.skip(p.v, s, s.String()+": a bypass or drop policy is an AIX filter rule (genfilt), not an IKE tunnel")
	default:
		if ok {
			return c.skip(p.v, s, s.String()+" is not a valid value")
		}
		p.encap = vpnxml.Tunnel
	}
	return true
}

// sides decides which side is this host and finds both addresses.
func (c *converter) sides(p *plan) bool {
	left, right := c.end(p.v, "left"), c.end(p.v, "right")
	for _, e := range []end{left, right} {
		if e.host.kind == hostBadAddr {
			// Which side is local cannot be told from a broken address.
			return c.skip(p.v, e.set, e.set.String()+": not a valid IP address")
		}
	}
	switch {
	case c.isLocal(left.host):
	case c.isLocal(right.host):
		left, right = right, left
	case left.host.kind == hostDefaultRoute:
	case right.host.kind == hostDefaultRoute:
		left, right = right, left
	case left.host.kind != hostAny:
		c.connWarn(p.v, p.v.sect.at, "neither left= nor right= is an address of this host; left is taken as the local side")
	}
	p.local, p.remote = left, right
	return c.remoteAddr(p) && c.localAddr(p)
}

func (c *converter) end(v *connView, prefix string) end {
	s, ok := v.get(prefix)
	e := end{prefix: prefix, host: parseHost(s.value), set: s}
	if ok && e.host.list {
		c.settingWarn(s, s.String()+": only the first address of the list is used")
	}
	return e
}

func (c *converter) isLocal(h host) bool {
	if h.kind != hostAddr {
		return false
	}
	for _, a := range c.opts.LocalAddrs {
		if a.Unmap() == h.addr {
			return true
		}
	}
	return false
}

// remoteAddr takes the peer's address. A peer without a fixed one (%any,
// or a name this package cannot resolve) is kept for now: it can still be
// converted as a responder-only tunnel if it has an identity.
func (c *converter) remoteAddr(p *plan) bool {
	r := &p.remote
	switch r.host.kind {
	case hostAddr:
		r.addr = r.host.addr
	case hostAny:
	case hostName:
		c.settingWarn(r.set, r.set.String()+": host names are not resolved here; the peer's address is taken as unknown")
	case hostDefaultRoute:
		return c.skip(p.v, r.set, r.set.String()+" names this host on the peer's side")
	default:
		return c.skip(p.v, r.set, r.set.String()+": opportunistic encryption and groups have no AIX equivalent")
	}
	return true
}

// localAddr takes this host's address: the one given, or for %any,
// %defaultroute and names one of Options.LocalAddrs, of the peer's family.
func (c *converter) localAddr(p *plan) bool {
	l := &p.local
	what := l.set.String()
	if l.set.at.file == "" {
		what = l.prefix + "= is not set"
	}
	switch l.host.kind {
	case hostAddr:
		l.addr = l.host.addr
		if p.remote.addr.IsValid() && l.addr.Is4() != p.remote.addr.Is4() {
			return c.skip(p.v, l.set, "left= and right= are of different IP versions")
		}
		return true
	case hostOther:
		return c.skip(p.v, l.set, what+": opportunistic encryption and groups have no AIX equivalent")
	}
	l.addr = c.pickLocal(p.remote.addr)
	if !l.addr.IsValid() {
		return c.skip(p.v, l.set, what+": no address of this host is known to stand for it")
	}
	msg := what + ": this host's address " + l.addr.String() + " is used"
	if l.host.kind == hostName {
		msg = what + ": host names are not resolved here; this host's address " + l.addr.String() + " is used"
	}
	c.connWarn(p.v, atOr(l.set, p.v), msg)
	return true
}

// atOr is where a setting is, or the conn's header when it is absent.
func atOr(s setting, v *connView) pos {
	if s.at.file == "" {
		return v.sect.at
	}
	return s.at
}

// pickLocal chooses the local address of the peer's family (IPv4 when the
// peer's address is unknown).
func (c *converter) pickLocal(peer netip.Addr) netip.Addr {
	want4 := !peer.IsValid() || peer.Is4()
	for _, a := range c.opts.LocalAddrs {
		if a = a.Unmap(); a.IsValid() && a.Zone() == "" && a.Is4() == want4 {
			return a
		}
	}
	return netip.Addr{}
}

// authMethod maps authby= or strongSwan's leftauth=/rightauth= (which
// are more specific, so they win) to an AIX authentication method:
// preshared keys or RSA signatures.
func (c *converter) authMethod(p *plan) bool {
	v := p.v
	for _, k := range []string{"leftauth2", "rightauth2"} {
		if s, ok := v.get(k); ok {
			return c.skip(v, s, s.String()+": a second authentication round (XAUTH) is not supported by AIX")
		}
	}
	la, hasL := v.get(p.local.prefix + "auth")
	ra, hasR := v.get(p.remote.prefix + "auth")
	by, hasBy := v.get("authby")
	switch {
	case hasBy && (hasL || hasR):
		c.settingWarn(by, by.String()+": ignored, since leftauth= and rightauth= decide")
	case hasBy:
		return c.authBy(p, by)
	}
	switch {
	case hasL && hasR && authWord(la.value) != authWord(ra.value):
		return c.skip(v, ra, "leftauth= and rightauth= differ; AIX authenticates both ends the same way")
	case hasL:
		return c.authValue(p, la, la.value)
	case hasR:
		return c.authValue(p, ra, ra.value)
	}
	p.auth = vpnxml.RSASignature
	c.connWarn(v, v.sect.at, "authby= is not set: RSA signatures (the Linux default) are used; "+
		"certificates and keys must be installed separately with the AIX certificate tools")
	return true
}

// authBy handles authby=, which may list several methods: the first one
// AIX supports is used.
func (c *converter) authBy(p *plan, s setting) bool {
	words := strings.Split(s.value, ",")
	if len(words) > 1 {
		c.settingWarn(s, s.String()+": AIX uses one method per tunnel; "+strings.TrimSpace(words[0])+" is used")
	}
	return c.authValue(p, s, strings.TrimSpace(words[0]))
}

// authWord normalises the names of authentication methods of both
// families to "psk", "rsa", or the name itself.
func authWord(w string) string {
	switch w = strings.ToLower(strings.TrimSpace(w)); {
	case w == "secret" || w == "psk":
		return "psk"
	case w == "rsasig" || w == "rsa" || w == "pubkey" || strings.HasPrefix(w, "rsa-"):
		return "rsa"
	}
	return w
}

func (c *converter) authValue(p *plan, s setting, w string) bool {
	switch a := authWord(w); {
	case a == "psk":
		p.auth = vpnxml.PresharedKey
	case a == "rsa":
		p.auth = vpnxml.RSASignature
		c.settingWarn(s, s.String()+": RSA signatures are used; certificates and keys are not converted "+
			"and must be installed separately with the AIX certificate tools")
	case strings.HasPrefix(a, "ecdsa"):
		return c.skip(p.v, s, s.String()+": AIX IKEv1 signs with RSA only")
	case strings.HasPrefix(a, "xauth") || strings.HasPrefix(a, "hybrid") || strings.HasPrefix(a, "eap"):
		return c.skip(p.v, s, s.String()+": XAUTH and EAP are not supported by AIX IKEv1")
	case a == "never" || a == "null":
		return c.skip(p.v, s, s.String()+": a conn that never authenticates has no AIX equivalent")
	default:
		return c.skip(p.v, s, s.String()+" is not a known authentication method")
	}
	return true
}

// identities sets the phase 1 identities: leftid=/rightid= when given,
// else the addresses. A name identity carries the address as OptionalIP.
func (c *converter) identities(p *plan) bool {
	var ok bool
	if p.localID, ok = c.identity(p, p.local, true); !ok {
		return false
	}
	p.remoteID, ok = c.identity(p, p.remote, false)
	return ok
}

func (c *converter) identity(p *plan, e end, local bool) (vpnxml.IKEIdentity, bool) {
	s, given := p.v.get(e.prefix + "id")
	val := strings.ToLower(s.value)
	if !given || val == "%any" || val == "%fromcert" || val == "%myid" {
		return c.addressIdentity(p, e, s, given)
	}
	id, msg := parseID(s.value)
	if msg != "" {
		return vpnxml.IKEIdentity{}, c.skip(p.v, s, s.String()+": "+msg)
	}
	ident := vpnxml.IKEIdentity{ID: id}
	if !id.Type.IsAddress() && e.addr.IsValid() {
		ident.OptionalIP = e.addr
	}
	return ident, true
}

// addressIdentity falls back to the side's address as identity.
func (c *converter) addressIdentity(p *plan, e end, s setting, given bool) (vpnxml.IKEIdentity, bool) {
	if !e.addr.IsValid() {
		why := "the peer has neither a fixed address nor an identity (" + e.prefix + "id=), so AIX cannot define a tunnel for it"
		return vpnxml.IKEIdentity{}, c.skip(p.v, atOrSetting(s, e.set), why)
	}
	if given {
		c.settingWarn(s, s.String()+": AIX needs a fixed identity here; the address "+e.addr.String()+" is used")
	}
	return vpnxml.IKEIdentity{ID: addrID(e.addr)}, true
}

// atOrSetting returns s, or fallback when s is absent.
func atOrSetting(s, fallback setting) setting {
	if s.at.file == "" {
		return fallback
	}
	return s
}

// defaultIKE is used when ike= is absent. The Linux tools' defaults vary
// with their versions and are not knowable from the file; this list is
// what current releases of both families would most likely agree on with
// an AIX peer.
func defaultIKE() []ikeTransform {
	aes := func(n vpnxml.KeyLength) encAlg { return encAlg{ike: vpnxml.IKEAES, esp: vpnxml.ESPAES, keyLen: n} }
	return []ikeTransform{
		{aes(256), vpnxml.HashSHA256, 14}, {aes(128), vpnxml.HashSHA256, 14},
		{aes(256), vpnxml.HashSHA, 14}, {aes(128), vpnxml.HashSHA, 14},
	}
}

// phase1 builds the IKE transforms, lifetime, mode and overlap.
func (c *converter) phase1(p *plan) bool {
	v := p.v
	ts := defaultIKE()
	s, ok := v.get("ike")
	if ok {
		var n notes
		if ts, n = ikeTransforms(s.value); len(n) > 0 {
			c.settingWarn(s, s.String()+": "+n.String())
		}
		if len(ts) == 0 {
			return c.skip(v, s, "no proposal of ike= can be used on AIX")
		}
	} else {
		c.connWarn(v, v.sect.at, "ike= is not set: the Linux default proposals are not known here; "+
			"aes256 and aes128 with sha2_256 or sha1 and modp2048 are used")
	}
	minutes := c.lifetime(v, "ikelifetime")
	for _, t := range ts {
		p.ike = append(p.ike, vpnxml.IKETransform{Encryption: t.enc.ike, KeyLength: t.enc.keyLen, Hash: t.hash,
			DHGroup: t.group, AuthMethod: p.auth, KeyRefreshMinutes: minutes})
	}
	p.xchg = c.exchangeMode(v)
	p.ikeOver = c.overlap(v)
	return true
}

// exchangeMode maps aggressive= (Openswan: aggrmode=).
func (c *converter) exchangeMode(v *connView) vpnxml.XchgMode {
	s, ok := v.get("aggressive")
	switch strings.ToLower(s.value) {
	case "yes":
		return vpnxml.Aggressive
	case "no":
	default:
		if ok {
			c.settingWarn(s, s.String()+" is not yes or no; main mode is used")
		}
	}
	return vpnxml.Main
}
