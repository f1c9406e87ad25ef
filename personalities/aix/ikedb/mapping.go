package ikedb

import (
	"encoding/hex"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/engine"
)

// How AIX definitions become engine objects (spec 4.1):
//
//   - an IKETunnel with its IKEProtection is a phase 1 policy labelled
//     with the tunnel's name;
//   - an IPSecTunnel with its IPSecProtection and proposals is a phase 2
//     policy under the phase 1 policy of its IKE_TunnelName;
//   - an IKEPresharedKey is a preshared key from any local address to its
//     identity, which is how AIX uses it: the key of the peer, whatever
//     local address the negotiation runs from.
//
// Where a definition leaves a value out, these are the values used (our
// choices; AIX does not document its defaults): main mode, and key
// lifetimes of 480 minutes for both phases, as AIX's own example
// database sets for phase 1 and Solaris's in.iked uses for phase 2.
// Phase 2 lifetimes and PFS belong to the phase 2 policy (per proposal,
// kilobytes only with IPSec_Flags_UseLifeSize="Yes"). A Solaris rule has
// one set of them, so the phase 1 policy of an IKETunnel carries those of
// the first IPSecTunnel under it (p2Fields): the PFS group, the
// first proposal's lifetimes, and as soft lifetime the lifetime less
// IPSec_KeyOverlap. What AIX has no word for (idle time, soft kilobytes)
// stays 0, which in.iked reads as "not given".

const (
	origin = "aix"
	// defaultLifetimeSecs is the key lifetime of a transform without
	// *_KeyRefreshMinutes.
	defaultLifetimeSecs = 480 * 60
	// nonceLen is the nonce length of AIX phase 1 policies, which
	// AIX does not let one set: the engine's default.
	nonceLen = 64
)

// resolver finds the definitions a tunnel's policy is built from:
// in the document being put first (the new versions), then in the
// database, decoding each stored one once.
type resolver struct {
	db               *database
	ikeProtections   map[string]*vpnxml.IKEProtection
	groups           map[string]*vpnxml.IKEGroup
	ipsecProtections map[string]*vpnxml.IPSecProtection
	proposals        map[string]*vpnxml.IPSecProposal
}

func newResolver(db *database, doc *vpnxml.Document) *resolver {
	r := &resolver{db: db, ikeProtections: map[string]*vpnxml.IKEProtection{},
		groups: map[string]*vpnxml.IKEGroup{}, ipsecProtections: map[string]*vpnxml.IPSecProtection{},
		proposals: map[string]*vpnxml.IPSecProposal{}}
	if doc == nil {
		return r
	}
	for i := range doc.IKEProtections {
		r.ikeProtections[doc.IKEProtections[i].Name] = &doc.IKEProtections[i]
	}
	for i := range doc.IKEGroups {
		r.groups[doc.IKEGroups[i].Name] = &doc.IKEGroups[i]
	}
	for i := range doc.IPSecProtections {
		r.ipsecProtections[doc.IPSecProtections[i].Name] = &doc.IPSecProtections[i]
	}
	for i := range doc.IPSecProposals {
		r.proposals[doc.IPSecProposals[i].Name] = &doc.IPSecProposals[i]
	}
	return r
}

// resolve returns the definition name of a kind from m, loading it from
// the database the first time.
func resolve[T any](db *database, m map[string]*T, kind, name string, pick func(*vpnxml.Document) []T) (*T, error) {
	if d, ok := m[name]; ok {
		return d, nil
	}
	d, err := loadOne(db, defRef{kind, name}, pick)
	if err == nil {
		m[name] = d
	}
	return d, err
}

func (r *resolver) ikeProtection(name string) (*vpnxml.IKEProtection, error) {
	return resolve(r.db, r.ikeProtections, kindIKEProtection, name, pickIKEProtections)
}

func (r *resolver) group(name string) (*vpnxml.IKEGroup, error) {
	return resolve(r.db, r.groups, kindIKEGroup, name, pickIKEGroups)
}

func (r *resolver) ipsecProtection(name string) (*vpnxml.IPSecProtection, error) {
	return resolve(r.db, r.ipsecProtections, kindIPSecProtection, name, pickIPSecProtections)
}

func (r *resolver) proposal(name string) (*vpnxml.IPSecProposal, error) {
	return resolve(r.db, r.proposals, kindIPSecProposal, name, pickIPSecProposals)
}

// remoteGroup returns the group a remote identity refers to, or nil.
func (r *resolver) remoteGroup(id *vpnxml.ID) (*vpnxml.IKEGroup, error) {
	if id.Type != vpnxml.GroupRef {
		return nil, nil
	}
	return r.group(id.Text)
}

// phase1Policy builds the phase 1 policy of an IKETunnel.
func (r *resolver) phase1Policy(t *vpnxml.IKETunnel) (engine.Phase1Policy, error) {
	prot, err := r.ikeProtection(t.ProtectionRef)
	if err != nil {
		return engine.Phase1Policy{}, err
	}
	group, err := r.remoteGroup(&t.Remote.ID)
	if err != nil {
		return engine.Phase1Policy{}, err
	}
	p := engine.Phase1Policy{Label: t.Name, Mode: engine.XchgMain, LocalIDType: idKind(t.Local.ID.Type),
		P1NonceLen: nonceLen, P2NonceLen: nonceLen, Origin: origin}
	if prot.XchgMode == vpnxml.Aggressive {
		p.Mode = engine.XchgAggressive
	}
	p.LocalAddrs, p.LocalIDs = p1Side(&t.Local, nil)
	p.RemoteAddrs, p.RemoteIDs = p1Side(&t.Remote, group)
	for i := range prot.Transforms {
		p.Transforms = append(p.Transforms, p1Transform(&prot.Transforms[i]))
	}
	return p, nil
}

// p1Side maps one end of an IKETunnel: an address identity is the
// address the policy applies to; a name identity is an identity selector,
// with its optional IP as the address; a group is each of its members.
func p1Side(e *vpnxml.IKEIdentity, group *vpnxml.IKEGroup) ([]engine.AddrRange, engine.Selectors) {
	var addrs []engine.AddrRange
	var ids engine.Selectors
	add := func(id *vpnxml.ID) {
		if id.Type.IsAddress() {
			addrs = append(addrs, idRange(id))
		} else {
			ids.Include = append(ids.Include, id.Text)
		}
	}
	if group == nil {
		add(&e.ID)
	} else {
		for i := range group.Members {
			add(&group.Members[i])
		}
	}
	if e.OptionalIP.IsValid() {
		addrs = append(addrs, engine.AddrRange{First: e.OptionalIP, Last: e.OptionalIP})
	}
	return addrs, ids
}

func p1Transform(x *vpnxml.IKETransform) engine.Transform {
	t := engine.Transform{Auth: engine.AuthPreshared, Hash: engine.HashSHA1, Group: int(x.DHGroup),
		KeyMax: int(x.KeyLength), LifetimeSecs: lifetime(x.KeyRefreshMinutes)}
	if x.AuthMethod == vpnxml.RSASignature {
		t.Auth = engine.AuthRSASig
	}
	switch x.Encryption {
	case vpnxml.IKEDES:
		t.Cipher = engine.CipherDES
	case vpnxml.IKE3DES:
		t.Cipher = engine.Cipher3DES
	case vpnxml.IKEAES:
		t.Cipher = engine.CipherAES
	}
	switch x.Hash {
	case vpnxml.HashMD5:
		t.Hash = engine.HashMD5
	case vpnxml.HashSHA256:
		t.Hash = engine.HashSHA256
	}
	if x.KeyRefreshKB.Set {
		t.LifetimeKB = uint32(x.KeyRefreshKB.V)
	}
	return t
}

func lifetime(minutes vpnxml.Int) uint32 {
	if !minutes.Set {
		return defaultLifetimeSecs
	}
	return uint32(minutes.V) * 60
}

// idKind is the engine's name for an identity type.
func idKind(t vpnxml.IDType) engine.IDKind {
	switch t {
	case vpnxml.IPv4Address:
		return engine.IDIPv4
	case vpnxml.IPv6Address:
		return engine.IDIPv6
	case vpnxml.IPv4Subnet:
		return engine.IDIPv4Prefix
	case vpnxml.IPv6Subnet:
		return engine.IDIPv6Prefix
	case vpnxml.IPv4AddressRange:
		return engine.IDIPv4Range
	case vpnxml.IPv6AddressRange:
		return engine.IDIPv6Range
	case vpnxml.FQDN:
		return engine.IDFQDN
	case vpnxml.UserFQDN:
		return engine.IDUserFQDN
	case vpnxml.X500DN:
		return engine.IDDN
	case vpnxml.KeyID:
		return engine.IDKeyID
	}
	return engine.IDUnset
}

// idRange is the addresses an address identity covers: a subnet runs from
// its address with the host bits cleared to the same with them set.
func idRange(id *vpnxml.ID) engine.AddrRange {
	switch id.Type {
	case vpnxml.IPv4Subnet, vpnxml.IPv6Subnet:
		a, m := id.Addr.AsSlice(), id.Mask.AsSlice()
		first, last := make([]byte, len(a)), make([]byte, len(a))
		for i := range a {
			first[i] = a[i] & m[i]
			last[i] = a[i] | ^m[i]
		}
		f, _ := netip.AddrFromSlice(first)
		l, _ := netip.AddrFromSlice(last)
		return engine.AddrRange{First: f, Last: l}
	case vpnxml.IPv4AddressRange, vpnxml.IPv6AddressRange:
		return engine.AddrRange{First: id.Addr, Last: id.To}
	}
	return engine.AddrRange{First: id.Addr, Last: id.Addr}
}

// phase2Policy builds the phase 2 policy of an IPSecTunnel.
func (r *resolver) phase2Policy(t *vpnxml.IPSecTunnel) (engine.Phase2Policy, error) {
	prot, err := r.ipsecProtection(t.ProtectionRef)
	if err != nil {
		return engine.Phase2Policy{}, err
	}
	group, err := r.remoteGroup(&t.Remote.ID)
	if err != nil {
		return engine.Phase2Policy{}, err
	}
	p := engine.Phase2Policy{Name: t.Name, Phase1: t.IKETunnelName, Local: p2Selector(&t.Local, nil),
		Remote: p2Selector(&t.Remote, group), PFSGroup: prot.InitiatorDHGroup.Group(),
		AutoStart: t.AutoStart == vpnxml.Yes, Origin: origin}
	if prot.KeyOverlap.Set {
		p.KeyOverlapSecs = uint32(prot.KeyOverlap.V) * 60
	}
	useKB := prot.UseLifeSize == vpnxml.Yes
	for _, name := range prot.ProposalRefs {
		prop, err := r.proposal(name)
		if err != nil {
			return engine.Phase2Policy{}, err
		}
		p.Proposals = append(p.Proposals, p2Proposal(prop, useKB))
	}
	return p, nil
}

// p2Fields sets the phase 2 fields of an AIX phase 1 policy from
// the first phase 2 policy under it (nil: none, all zero).
func p2Fields(p *engine.Phase1Policy, q *engine.Phase2Policy) {
	p.P2PFS, p.P2LifetimeSecs, p.P2SoftSecs, p.P2IdleSecs, p.P2LifetimeKB, p.P2SoftKB = 0, 0, 0, 0, 0, 0
	if q == nil || len(q.Proposals) == 0 {
		return
	}
	x := q.Proposals[0].ESP
	if x == nil {
		x = q.Proposals[0].AH
	}
	if x == nil {
		return
	}
	p.P2PFS, p.P2LifetimeSecs, p.P2LifetimeKB = q.PFSGroup, x.LifetimeSecs, x.LifetimeKB
	if q.KeyOverlapSecs > 0 && q.KeyOverlapSecs < x.LifetimeSecs {
		p.P2SoftSecs = x.LifetimeSecs - q.KeyOverlapSecs
	}
}

// p2Selector maps one end of an IPSecTunnel. A group stands for its
// members, which are hosts.
func p2Selector(e *vpnxml.IPSecIdentity, group *vpnxml.IKEGroup) engine.Selector {
	s := engine.Selector{Port: e.Port, Protocol: int(e.Protocol)}
	if group == nil {
		s.Kind, s.Addrs = idKind(e.ID.Type), []engine.AddrRange{idRange(&e.ID)}
		return s
	}
	s.Group = group.Name
	for i := range group.Members {
		m := &group.Members[i]
		if !m.Type.IsAddress() {
			continue // a name cannot select traffic; Validate refuses such groups
		}
		if s.Kind == engine.IDUnset {
			s.Kind = idKind(m.Type)
		}
		s.Addrs = append(s.Addrs, idRange(m))
	}
	return s
}

// p2Proposal maps an IPSecProposal. Kilobyte lifetimes count only
// when the protection's IPSec_Flags_UseLifeSize says so.
func p2Proposal(p *vpnxml.IPSecProposal, useKB bool) engine.Proposal {
	var out engine.Proposal
	if e := p.ESP; e != nil {
		out.ESP = &engine.IPsecTransform{Cipher: espCipher(e.Encryption), KeyBits: int(e.KeyLength),
			Auth: integrity(e.Authentication), Transport: e.EncapsulationMode == vpnxml.Transport,
			LifetimeSecs: lifetime(e.KeyRefreshMinutes), LifetimeKB: lifetimeKB(e.KeyRefreshKB, useKB)}
	}
	if a := p.AH; a != nil {
		out.AH = &engine.IPsecTransform{Auth: integrity(a.Authentication),
			Transport:    a.EncapsulationMode == vpnxml.Transport,
			LifetimeSecs: lifetime(a.KeyRefreshMinutes), LifetimeKB: lifetimeKB(a.KeyRefreshKB, useKB)}
	}
	return out
}

func lifetimeKB(kb vpnxml.Int, use bool) uint32 {
	if !use || !kb.Set {
		return 0
	}
	return uint32(kb.V)
}

func espCipher(e vpnxml.ESPEncryption) engine.Cipher {
	switch e {
	case vpnxml.ESPDES:
		return engine.CipherDES
	case vpnxml.ESP3DES:
		return engine.Cipher3DES
	case vpnxml.ESPAES:
		return engine.CipherAES
	case vpnxml.ESPAESGCM:
		return engine.CipherAESGCM
	case vpnxml.ESPAESGMAC:
		return engine.CipherAESGMAC
	}
	return engine.CipherNone
}

func integrity(i vpnxml.Integrity) engine.Hash {
	switch i {
	case vpnxml.HMACMD5:
		return engine.HashMD5
	case vpnxml.HMACSHA:
		return engine.HashSHA1
	case vpnxml.HMACSHA256:
		return engine.HashSHA256
	case vpnxml.AESXCBC:
		return engine.HashAESXCBC
	}
	return engine.HashNone
}

// presharedKey maps an IKEPresharedKey: the key for its identity from any
// local address of the identity's family. The key is good for either
// exchange mode.
func presharedKey(k *vpnxml.IKEPresharedKey) (engine.PresharedKey, error) {
	key := []byte(k.Value)
	if k.Format == vpnxml.Hex {
		var err error
		if key, err = hex.DecodeString(k.Value); err != nil {
			// Validate has checked the digits; never show the key.
			return engine.PresharedKey{}, fmt.Errorf("preshared key for %s: bad hexadecimal value", idKey(&k.Identity.ID))
		}
	}
	id := &k.Identity.ID
	out := engine.PresharedKey{Mode: engine.XchgMainAndAggr, LocalIDType: engine.IDIPv4,
		LocalAddr: netip.IPv4Unspecified(), LocalPlen: 0, RemoteIDType: idKind(id.Type), RemotePlen: -1,
		Key: key, KeyBits: 8 * len(key), Origin: origin}
	if id.Type == vpnxml.IPv6Address {
		out.LocalIDType, out.LocalAddr = engine.IDIPv6, netip.IPv6Unspecified()
	}
	if id.Type.IsAddress() {
		out.RemoteAddr = id.Addr
	} else {
		out.RemoteID = id.Text
	}
	return out, nil
}

// engineKeyID is the identity key (idKey) of an engine
// preshared key's remote side, to find the engine keys an AIX key made.
func engineKeyID(k *engine.PresharedKey) string {
	switch k.RemoteIDType {
	case engine.IDIPv4:
		return string(vpnxml.IPv4Address) + " " + k.RemoteAddr.String()
	case engine.IDIPv6:
		return string(vpnxml.IPv6Address) + " " + k.RemoteAddr.String()
	case engine.IDFQDN:
		return string(vpnxml.FQDN) + " " + k.RemoteID
	case engine.IDUserFQDN:
		return string(vpnxml.UserFQDN) + " " + k.RemoteID
	case engine.IDDN:
		return string(vpnxml.X500DN) + " " + k.RemoteID
	case engine.IDKeyID:
		return string(vpnxml.KeyID) + " " + k.RemoteID
	}
	return ""
}
