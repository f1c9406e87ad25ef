package vpnxml

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ikemu/ikemu/pkg/boundedio"
)

// Lookup tells Validate what the IKE database already holds, so that a
// document may refer to definitions put earlier. A nil Lookup is an empty
// database.
type Lookup interface {
	HasIKEProtection(name string) bool
	HasIPSecProtection(name string) bool
	HasIPSecProposal(name string) bool
	HasIKETunnel(name string) bool
	HasIKEGroup(name string) bool
}

// DefaultProtectionPrefix starts the name of every IPSecProtection that an
// IKEProtection names as its generic data-management default.
const DefaultProtectionPrefix = "_defIPSprot_"

// maxGroupSize is the documented 1 KB limit of a group, which we apply to
// the text of its members' values.
const maxGroupSize = 1024

// Validate checks doc as ikedb -p must before it changes anything, and
// returns every problem found, sorted by line; none means the put may go
// ahead. It checks the value domains again (documents built in Go never went
// through Decode), that each kind's keys are unique within the document,
// that every reference resolves in the document or in db, and the rules
// that tie values together. Clashes with names already in the database are
// not errors here: whether they may be overwritten is ikedb -F's business.
func Validate(doc *Document, db Lookup) []*Error {
	c := NewChecker(db)
	c.Root(doc)
	c.Add(doc)
	return c.Errors()
}

// Checker is Validate for a document read piece by piece (DecodeEach):
// it keeps the names defined so far, the references not yet resolved and
// the groups, never the definitions, and finds the same problems in the
// same order as Validate of the whole document.
type Checker struct {
	v       validator
	forward bool // a definition refers to one further on
}

// Forward reports, once Errors has run, whether a definition refers to
// one the document defines further on: one who stores the definitions
// in the order read must store them all before using any.
func (c *Checker) Forward() bool { return c.forward }

// NewChecker starts checking a document against db.
func NewChecker(db Lookup) *Checker {
	c := &Checker{v: validator{db: db}}
	v := &c.v
	v.ikeProtections, v.ipsecProtections, v.proposals = names{}, names{}, names{}
	v.ikeTunnels, v.ipsecTunnels, v.groupNames = names{}, names{}, names{}
	v.groups = map[string]*IKEGroup{}
	v.keys = names{}
	return c
}

// Root checks the root element's attributes.
func (c *Checker) Root(doc *Document) {
	v := &c.v
	v.at(errKey{stage: stageRoot})
	checkAttrs(v, "AIX_VPN", doc, &doc.Node, rootAttrs)
}

// Add checks the definitions of part, which follow those added before.
// It keeps the groups of part, nothing else of it.
func (c *Checker) Add(part *Document) {
	v := &c.v
	v.index(part)
	checkKind(v, 0, part.IKEProtections, v.ikeProtection)
	checkKind(v, 1, part.IKEGroups, v.ikeGroup)
	checkKind(v, 2, part.IKETunnels, v.ikeTunnel)
	checkKind(v, 3, part.PresharedKeys, v.presharedKey)
	checkKind(v, 4, part.IPSecProposals, v.proposal)
	checkKind(v, 5, part.IPSecProtections, v.ipsecProtection)
	checkKind(v, 6, part.IPSecTunnels, v.ipsecTunnel)
}

// checkKind checks the definitions of one kind in document order, each
// at its place in Validate's order of problems (rank: the kind's).
func checkKind[T any](v *validator, rank int, defs []T, check func(*T)) {
	for i := range defs {
		v.at(v.next(stageCheck, rank))
		check(&defs[i])
	}
}

// Errors resolves the references left open and returns every problem,
// sorted by line, then in the order Validate of the whole document
// finds them.
func (c *Checker) Errors() []*Error {
	v := &c.v
	for _, r := range v.pending {
		v.at(r.key)
		if r.group != nil {
			v.phase2GroupNow(r.group)
			continue
		}
		if _, ok := r.m[r.name]; ok {
			c.forward = true
			continue
		}
		if v.db != nil && r.inDB(v.db, r.name) {
			continue
		}
		v.add(r.pos, r.elem, r.attr, fmt.Sprintf("no %s named %q in the file or the database", r.kind, r.name))
	}
	v.pending = nil
	if len(v.errs) == 0 {
		return nil
	}
	order := make([]int, len(v.errs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if v.errs[a].Line != v.errs[b].Line || v.errs[a].EntityLine != v.errs[b].EntityLine {
			return before(v.errs[a], v.errs[b])
		}
		return v.errKeys[a].less(v.errKeys[b])
	})
	out := make([]*Error, len(order))
	for i, k := range order {
		out[i] = v.errs[k]
	}
	return out
}

func before(a, b *Error) bool {
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.EntityLine < b.EntityLine
}

// names maps each name defined in the document to the line where it was
// defined (of the reference, for a definition from an entity), all that
// a message about it again tells: a document of 100,000 tunnels keeps
// 300,000 of them while it is checked.
type names map[string]int

// The stages of Validate of a whole document, in the order it reports
// problems of one line: duplicate names (index), the root's attributes,
// then the definitions kind by kind.
const (
	stageIndex = iota
	stageRoot
	stageCheck
)

// errKey places a problem in the order Validate of the whole document
// finds it: its stage, the kind's rank in that stage, the definition's
// index within its kind, and the problem's rank within the definition.
type errKey struct{ stage, rank, idx, seq int }

func (a errKey) less(b errKey) bool {
	switch {
	case a.stage != b.stage:
		return a.stage < b.stage
	case a.rank != b.rank:
		return a.rank < b.rank
	case a.idx != b.idx:
		return a.idx < b.idx
	}
	return a.seq < b.seq
}

// pendingRef is a reference to a name not defined yet when it was met,
// or (group set) a phase 2 group identity whose group was not yet read.
type pendingRef struct {
	key                    errKey
	m                      names
	inDB                   func(Lookup, string) bool
	kind, name, elem, attr string
	pos                    Pos
	group                  *ID
}

type validator struct {
	db      Lookup
	errs    []*Error
	errKeys []errKey
	cur     errKey // where the problems being found are placed
	counts  [2][7]int
	pending []pendingRef
	buf     []byte // scratch for formatting values

	ikeProtections, ipsecProtections, proposals, ikeTunnels, ipsecTunnels names
	groups                                                                map[string]*IKEGroup
	groupNames                                                            names
	keys                                                                  names // preshared key identities
}

// at places the problems found next at k.
func (v *validator) at(k errKey) { v.cur = k }

// next is the key of the next definition of a kind's rank in a stage.
func (v *validator) next(stage, rank int) errKey {
	row := 0
	if stage == stageCheck {
		row = 1
	}
	k := errKey{stage: stage, rank: rank, idx: v.counts[row][rank]}
	v.counts[row][rank]++
	return k
}

func (v *validator) add(pos Pos, elem, attr, msg string) {
	v.errs = append(v.errs, errAt(pos, elem, attr, msg))
	v.errKeys = append(v.errKeys, v.cur)
	v.cur.seq++
}

// index records every definition of d by name and reports duplicates.
func (v *validator) index(d *Document) {
	for i := range d.IKEProtections {
		p := &d.IKEProtections[i]
		v.at(v.next(stageIndex, 0))
		v.define(v.ikeProtections, p.Name, &p.Node, "IKEProtection", "IKE_ProtectionName")
	}
	for i := range d.IKEGroups {
		g := &d.IKEGroups[i]
		v.at(v.next(stageIndex, 1))
		if v.define(v.groupNames, g.Name, &g.Node, "IKEGroup", "IKE_GroupName") {
			v.groups[g.Name] = g
		}
	}
	for i := range d.IKETunnels {
		t := &d.IKETunnels[i]
		v.at(v.next(stageIndex, 2))
		v.define(v.ikeTunnels, t.Name, &t.Node, "IKETunnel", "IKE_TunnelName")
	}
	for i := range d.IPSecProposals {
		p := &d.IPSecProposals[i]
		v.at(v.next(stageIndex, 3))
		v.define(v.proposals, p.Name, &p.Node, "IPSecProposal", "IPSec_ProposalName")
	}
	for i := range d.IPSecProtections {
		p := &d.IPSecProtections[i]
		v.at(v.next(stageIndex, 4))
		v.define(v.ipsecProtections, p.Name, &p.Node, "IPSecProtection", "IPSec_ProtectionName")
	}
	for i := range d.IPSecTunnels {
		t := &d.IPSecTunnels[i]
		v.at(v.next(stageIndex, 5))
		v.define(v.ipsecTunnels, t.Name, &t.Node, "IPSecTunnel", "IPSec_TunnelName")
	}
}

// define records name and reports whether it is its first definition.
func (v *validator) define(m names, name string, node *Node, elem, attr string) bool {
	if name == "" {
		return false // reported as a missing attribute
	}
	pos := node.PosOf(attr)
	if first, dup := m[name]; dup {
		v.add(pos, elem, attr, fmt.Sprintf("%q is %s", name, againMsg(first)))
		return false
	}
	m[name] = pos.Line
	return true
}

func againMsg(line int) string {
	if line > 0 {
		return fmt.Sprintf("already defined at line %d", line)
	}
	return "defined more than once"
}

// resolve reports a reference that names nothing in the document or db.
func (v *validator) resolve(m names, inDB func(Lookup, string) bool, kind, name string, node *Node, elem, attr string) {
	if name == "" {
		return
	}
	if _, ok := m[name]; ok {
		return
	}
	// It may be defined further on: Errors decides.
	v.pending = append(v.pending, pendingRef{key: v.cur, m: m, inDB: inDB, kind: kind, name: name,
		elem: elem, attr: attr, pos: node.PosOf(attr)})
	v.cur.seq++
}

// checkAttrs checks the attributes held in e the way Decode would read
// them: each present one is formatted and parsed back, which must succeed
// and give the same text; required ones must be present.
func checkAttrs[T any](v *validator, elem string, e *T, node *Node, specs []attr[T]) {
	// One scratch element serves all attributes: parse sets only the field
	// of its own attribute, and format reads only that field.
	var back T
	for _, s := range specs {
		b, ok := s.format(e, v.buf[:0])
		if !ok {
			if s.req {
				v.add(node.Pos, elem, s.name, "required attribute is missing")
			}
			continue
		}
		v.buf = b
		text := string(b)
		if msg := s.parse(&back, text); msg != "" {
			v.add(node.PosOf(s.name), elem, s.name, msg)
		} else if again, _ := s.format(&back, b[len(b):]); string(again) != text {
			v.add(node.PosOf(s.name), elem, s.name, fmt.Sprintf("value %q is not written as %q", boundedio.Quote(text), again))
		}
	}
}

// minMax reports a responder range whose minimum exceeds its maximum.
func (v *validator) minMax(elem string, node *Node, minName string, lo Int, maxName string, hi Int) {
	if lo.Set && hi.Set && lo.V > hi.V {
		v.add(node.PosOf(minName), elem, minName, fmt.Sprintf("value %d is greater than %s %d", lo.V, maxName, hi.V))
	}
}

func (v *validator) ikeProtection(p *IKEProtection) {
	const elem = "IKEProtection"
	checkAttrs(v, elem, p, &p.Node, ikeProtectionAttrs)
	if len(p.Transforms) == 0 {
		v.add(p.Pos, elem, "", "missing IKETransform")
	}
	for i := range p.Transforms {
		t := &p.Transforms[i]
		checkAttrs(v, "IKETransform", t, &t.Node, ikeTransformAttrs)
		if t.KeyLength != 0 && t.Encryption != IKEAES {
			v.add(t.PosOf("IKE_KeyLength"), "IKETransform", "IKE_KeyLength", "allowed only with IKE_Encryption AES-CBC")
		}
	}
	v.minMax(elem, &p.Node, "IKE_ResponderKeyRefreshMinKB", p.ResponderKeyRefreshMinKB,
		"IKE_ResponderKeyRefreshMaxKB", p.ResponderKeyRefreshMaxKB)
	v.minMax(elem, &p.Node, "IKE_ResponderKeyRefreshMinMinutes", p.ResponderKeyRefreshMinMinutes,
		"IKE_ResponderKeyRefreshMaxMinutes", p.ResponderKeyRefreshMaxMinutes)
	v.defaultProtection(p)
}

// defaultProtection checks the generic data-management tunnel settings:
// the default must be an IPSecProtection named _defIPSprot_..., and it is
// useless without the ID types it may serve (and those without it).
func (v *validator) defaultProtection(p *IKEProtection) {
	const elem, refAttr, typesAttr = "IKEProtection", "IKE_IPSecDefaultProtectionRef", "IKE_IPSecDefaultAllowedTypes"
	ref := p.DefaultProtectionRef
	if ref == "" {
		if len(p.DefaultAllowedTypes) > 0 {
			v.add(p.PosOf(typesAttr), elem, typesAttr, "allowed only with "+refAttr)
		}
		return
	}
	if !strings.HasPrefix(ref, DefaultProtectionPrefix) {
		v.add(p.PosOf(refAttr), elem, refAttr,
			fmt.Sprintf("%q does not begin with %s, which a default IPSecProtection's name must", ref, DefaultProtectionPrefix))
	}
	v.resolve(v.ipsecProtections, Lookup.HasIPSecProtection, "IPSecProtection", ref, &p.Node, elem, refAttr)
	if len(p.DefaultAllowedTypes) == 0 {
		v.add(p.Pos, elem, typesAttr, "required with "+refAttr)
	}
}

func (v *validator) ikeGroup(g *IKEGroup) {
	const elem = "IKEGroup"
	checkAttrs(v, elem, g, &g.Node, ikeGroupAttrs)
	if len(g.Members) == 0 {
		v.add(g.Pos, elem, "", "missing member identity")
	}
	seen := map[string]bool{}
	size := 0
	for i := range g.Members {
		m := &g.Members[i]
		if !v.id(elem, &g.Node, m, groupMemberIDs) {
			continue
		}
		key := idString(m)
		if seen[key] {
			v.add(m.Pos, elem, "", fmt.Sprintf("member %s is listed more than once", key))
		}
		seen[key] = true
		value, _ := idAttrs(m.Type)[0].format(m, nil) // members have a single attribute
		size += len(value)
	}
	if size > maxGroupSize {
		v.add(g.Pos, elem, "", fmt.Sprintf("the members take %d bytes; a group holds at most %d", size, maxGroupSize))
	}
}

// id checks an identity element found in ctx, and reports whether its type
// is allowed there (so that its value means something).
func (v *validator) id(ctx string, wrapper *Node, id *ID, allowed []IDType) bool {
	if id.Type == "" {
		v.add(wrapper.Pos, ctx, "", "missing identity element")
		return false
	}
	if !hasType(allowed, id.Type) {
		if idAttrs(id.Type) == nil {
			v.add(id.Pos, ctx, "", "unknown element "+string(id.Type))
		} else {
			v.add(id.Pos, ctx, "", "element "+string(id.Type)+" is not allowed here")
		}
		return false
	}
	elem := string(id.Type)
	checkAttrs(v, elem, id, &id.Node, idAttrs(id.Type))
	v.unusedFields(id)
	if (id.Type == IPv4AddressRange || id.Type == IPv6AddressRange) && id.Addr.IsValid() && id.To.Less(id.Addr) {
		v.add(id.PosOf("To"), elem, "To", fmt.Sprintf("value %q is lower than From %q", id.To, id.Addr))
	}
	if id.Type == GroupRef {
		v.resolve(v.groupNames, Lookup.HasIKEGroup, "IKEGroup", id.Text, &id.Node, elem, "IKE_GroupName")
	}
	return true
}

func hasType(list []IDType, t IDType) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

// unusedFields reports values held in fields that the element's type does
// not write, which a put would silently drop.
func (v *validator) unusedFields(id *ID) {
	addr, mask, to, text := idFields(id.Type)
	if !addr && id.Addr.IsValid() || !mask && id.Mask.IsValid() || !to && id.To.IsValid() || !text && id.Text != "" {
		v.add(id.Pos, string(id.Type), "", "holds a value for an attribute this element does not have")
	}
}

// idFields tells which ID fields an identity type uses (see ID).
func idFields(t IDType) (addr, mask, to, text bool) {
	switch {
	case t == IPv4Subnet || t == IPv6Subnet:
		return true, true, false, false
	case t == IPv4AddressRange || t == IPv6AddressRange:
		return true, false, true, false
	case t.IsAddress():
		return true, false, false, false
	}
	return false, false, false, true
}

// idString renders an identity for messages and as a key: its type and
// attribute values.
func idString(id *ID) string {
	var b []byte
	b = append(b, id.Type...)
	for _, s := range idAttrs(id.Type) {
		b = append(b, ' ')
		b, _ = s.format(id, b)
	}
	return string(b)
}

func (v *validator) ikeTunnel(t *IKETunnel) {
	const elem = "IKETunnel"
	checkAttrs(v, elem, t, &t.Node, ikeTunnelAttrs)
	v.resolve(v.ikeProtections, Lookup.HasIKEProtection, "IKEProtection", t.ProtectionRef, &t.Node, elem, "IKE_ProtectionRef")
	v.ikeIdentity("IKELocalIdentity", &t.Local, phase1IDs)
	v.ikeIdentity("IKERemoteIdentity", &t.Remote, phase1RemoteIDs)
	v.sameFamily(&t.Local.ID, &t.Remote.ID, "IKERemoteIdentity")
}

func (v *validator) ikeIdentity(elem string, e *IKEIdentity, allowed []IDType) {
	checkAttrs(v, elem, e, &e.Node, ikeIdentityAttrs)
	v.id(elem, &e.Node, &e.ID, allowed)
	if e.OptionalIP.IsValid() && (e.ID.Type.IsAddress() || e.ID.Type == GroupRef) {
		v.add(e.PosOf("OptionalIP"), elem, "OptionalIP", "allowed only with FQDN, User_FQDN, X500DN or KeyID identities")
	}
}

// sameFamily reports a tunnel whose two ends are addresses of different IP
// versions, which no packet can match.
func (v *validator) sameFamily(local, remote *ID, remoteElem string) {
	if local.Type.IsAddress() && remote.Type.IsAddress() && local.Type.IsIPv6() != remote.Type.IsIPv6() {
		v.add(remote.Pos, remoteElem, "", fmt.Sprintf("an %s remote identity cannot pair with an %s local identity",
			family(remote.Type.IsIPv6()), family(local.Type.IsIPv6())))
	}
}

// presharedKey checks a key; keys are keyed by the peer identity.
func (v *validator) presharedKey(k *IKEPresharedKey) {
	checkAttrs(v, "IKEPresharedKey", k, &k.Node, presharedKeyAttrs)
	v.keyValue(k)
	id := &k.Identity.ID
	if !v.id("PresharedKeyIdentity", &k.Identity.Node, id, phase1IDs) {
		return
	}
	key := idString(id)
	if first, dup := v.keys[key]; dup {
		v.add(id.Pos, "PresharedKeyIdentity", "", fmt.Sprintf("a key for %s is %s", key, againMsg(first)))
		return
	}
	v.keys[key] = id.Pos.Line
}

// keyValue checks the key against its Format. Messages never show the key.
func (v *validator) keyValue(k *IKEPresharedKey) {
	if k.Value == "" {
		return
	}
	pos := k.PosOf("Value")
	if k.Format == Hex {
		if len(k.Value)%2 != 0 || strings.Trim(k.Value, "0123456789abcdefABCDEF") != "" {
			v.add(pos, "IKEPresharedKey", "Value", "with Format Hex the key must be an even number of hexadecimal digits")
		}
		return
	}
	for i := 0; i < len(k.Value); i++ {
		if k.Value[i] < 0x20 || k.Value[i] > 0x7e {
			v.add(pos, "IKEPresharedKey", "Value", "with Format ASCII the key must be printable ASCII characters")
			return
		}
	}
}

func (v *validator) proposal(p *IPSecProposal) {
	checkAttrs(v, "IPSecProposal", p, &p.Node, ipsecProposalAttrs)
	if p.ESP == nil && p.AH == nil {
		v.add(p.Pos, "IPSecProposal", "", msgNoProtocol)
	}
	if p.ESP != nil {
		v.esp(p.ESP)
	}
	if p.AH != nil {
		checkAttrs(v, "IPSecAHProtocol", p.AH, &p.AH.Node, ahAttrs)
	}
}

func (v *validator) esp(e *ESPProtocol) {
	const elem = "IPSecESPProtocol"
	checkAttrs(v, elem, e, &e.Node, espAttrs)
	aes := e.Encryption == ESPAES || e.Encryption == ESPAESGCM || e.Encryption == ESPAESGMAC
	if e.KeyLength != 0 && !aes {
		v.add(e.PosOf("ESP_KeyLength"), elem, "ESP_KeyLength", "allowed only with ESP_AES, ESP_AES_GCM or ESP_AES_GMAC")
	}
	switch {
	case e.Encryption == ESPNull && e.Authentication == "":
		v.add(e.Pos, elem, "ESP_Authentication", "required with ESP_Encryption ESP_NULL, or ESP protects nothing")
	case (e.Encryption == ESPAESGCM || e.Encryption == ESPAESGMAC) && e.Authentication != "":
		v.add(e.PosOf("ESP_Authentication"), elem, "ESP_Authentication",
			fmt.Sprintf("not allowed with ESP_Encryption %s, which provides its own integrity", e.Encryption))
	}
}

func (v *validator) ipsecProtection(p *IPSecProtection) {
	const elem = "IPSecProtection"
	checkAttrs(v, elem, p, &p.Node, ipsecProtectionAttrs)
	for _, ref := range p.ProposalRefs {
		v.resolve(v.proposals, Lookup.HasIPSecProposal, "IPSecProposal", ref, &p.Node, elem, "IPSec_ProposalRefs")
	}
	v.minMax(elem, &p.Node, "IPSec_ResponderKeyRefreshMinKB", p.ResponderKeyRefreshMinKB,
		"IPSec_ResponderKeyRefreshMaxKB", p.ResponderKeyRefreshMaxKB)
	v.minMax(elem, &p.Node, "IPSec_ResponderKeyRefreshMinMinutes", p.ResponderKeyRefreshMinMinutes,
		"IPSec_ResponderKeyRefreshMaxMinutes", p.ResponderKeyRefreshMaxMinutes)
}

func (v *validator) ipsecTunnel(t *IPSecTunnel) {
	const elem = "IPSecTunnel"
	checkAttrs(v, elem, t, &t.Node, ipsecTunnelAttrs)
	v.resolve(v.ikeTunnels, Lookup.HasIKETunnel, "IKETunnel", t.IKETunnelName, &t.Node, elem, "IKE_TunnelName")
	v.resolve(v.ipsecProtections, Lookup.HasIPSecProtection, "IPSecProtection", t.ProtectionRef, &t.Node, elem, "IPSec_ProtectionRef")
	v.ipsecIdentity("IPSecLocalIdentity", &t.Local, phase2IDs)
	v.ipsecIdentity("IPSecRemoteIdentity", &t.Remote, phase2RemoteIDs)
	v.sameFamily(&t.Local.ID, &t.Remote.ID, "IPSecRemoteIdentity")
}

func (v *validator) ipsecIdentity(elem string, e *IPSecIdentity, allowed []IDType) {
	checkAttrs(v, elem, e, &e.Node, ipsecIdentityAttrs)
	if v.id(elem, &e.Node, &e.ID, allowed) && e.ID.Type == GroupRef {
		v.phase2Group(&e.ID)
	}
	if e.Port != 0 && e.Protocol != TCP && e.Protocol != UDP {
		v.add(e.PosOf("Port"), elem, "Port", "allowed only with Protocol tcp or udp")
	}
}

// phase2Group checks that a group used as a phase 2 remote identity holds
// only addresses, when the group is in the document (a group in the
// database was checked when it was used before, or will be at activation).
func (v *validator) phase2Group(ref *ID) {
	if v.groups[ref.Text] == nil {
		if _, defined := v.groupNames[ref.Text]; !defined {
			// The group may come further on: Errors decides.
			id := &ID{Text: ref.Text}
			id.Pos = ref.Pos
			v.pending = append(v.pending, pendingRef{key: v.cur, group: id})
			v.cur.seq++
		}
		return
	}
	v.phase2GroupNow(ref)
}

func (v *validator) phase2GroupNow(ref *ID) {
	g := v.groups[ref.Text]
	if g == nil {
		return
	}
	for i := range g.Members {
		if m := &g.Members[i]; !m.Type.IsAddress() {
			v.add(ref.Pos, "IKEGroupRef", "IKE_GroupName",
				fmt.Sprintf("group %q cannot be a phase 2 identity: its member %s is not an IP address", g.Name, idString(m)))
			return
		}
	}
}

// SwapIdentities swaps the local and remote identities of every tunnel, as
// ikedb -s does to import a file generated on the peer. It changes nothing
// and returns the offending tunnels when any remote identity is a group,
// which cannot become a local identity.
func SwapIdentities(doc *Document) []*Error {
	var errs []*Error
	for i := range doc.IKETunnels {
		if r := &doc.IKETunnels[i].Remote.ID; r.Type == GroupRef {
			errs = append(errs, errAt(r.Pos, "IKERemoteIdentity", "", swapMsg(r.Text)))
		}
	}
	for i := range doc.IPSecTunnels {
		if r := &doc.IPSecTunnels[i].Remote.ID; r.Type == GroupRef {
			errs = append(errs, errAt(r.Pos, "IPSecRemoteIdentity", "", swapMsg(r.Text)))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for i := range doc.IKETunnels {
		t := &doc.IKETunnels[i]
		t.Local, t.Remote = t.Remote, t.Local
	}
	for i := range doc.IPSecTunnels {
		t := &doc.IPSecTunnels[i]
		t.Local, t.Remote = t.Remote, t.Local
	}
	return nil
}

func swapMsg(group string) string {
	return fmt.Sprintf("cannot swap local and remote identities: the remote identity is group %q", group)
}
