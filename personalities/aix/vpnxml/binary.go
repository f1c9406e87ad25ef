package vpnxml

import (
	"encoding/binary"
	"errors"
	"net/netip"
)

// The binary form of a document's definitions is how ikedb -p keeps
// what its checking reading parsed, so that the writing does not parse
// the XML again: a few bytes a field, read back with one allocation a
// string. It keeps the definitions and their values, not where they
// were read (Node): the writing reports no document problem, the check
// before it found them all. It is a private form of one process, never
// kept: no version, and a reader only of what AppendBinary wrote.

// AppendBinary appends the binary form of doc's definitions to b.
func AppendBinary(b []byte, doc *Document) []byte {
	e := &binEncoder{b}
	e.str(doc.Version)
	writeList(e, doc.IKEProtections, e.ikeProtection)
	e.uint(len(doc.IKEGroups))
	for i := range doc.IKEGroups {
		g := &doc.IKEGroups[i]
		e.str(g.Name)
		writeList(e, g.Members, e.id)
	}
	writeList(e, doc.IKETunnels, e.ikeTunnel)
	e.uint(len(doc.PresharedKeys))
	for i := range doc.PresharedKeys {
		k := &doc.PresharedKeys[i]
		e.str(k.Value)
		e.str(string(k.Format))
		e.id(&k.Identity.ID)
	}
	writeList(e, doc.IPSecProposals, e.ipsecProposal)
	writeList(e, doc.IPSecProtections, e.ipsecProtection)
	writeList(e, doc.IPSecTunnels, e.ipsecTunnel)
	return e.b
}

type binEncoder struct{ b []byte }

// writeList writes the count of items, then each; readList reads it.
func writeList[T any](e *binEncoder, items []T, write func(*T)) {
	e.uint(len(items))
	for i := range items {
		write(&items[i])
	}
}

func (e *binEncoder) uint(n int) { e.b = binary.AppendUvarint(e.b, uint64(n)) }
func (e *binEncoder) int(n int)  { e.b = binary.AppendVarint(e.b, int64(n)) }

func (e *binEncoder) str(s string) {
	e.uint(len(s))
	e.b = append(e.b, s...)
}

func (e *binEncoder) opt(v Int) {
	if !v.Set {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.int(v.V)
}

func (e *binEncoder) addr(a netip.Addr) {
	// MarshalBinary of an Addr cannot fail; its length tells the family.
	m, _ := a.MarshalBinary()
	e.str(string(m))
}

func (e *binEncoder) id(id *ID) {
	e.str(string(id.Type))
	e.addr(id.Addr)
	e.addr(id.Mask)
	e.addr(id.To)
	e.str(id.Text)
}

func (e *binEncoder) ikeProtection(p *IKEProtection) {
	e.str(p.Name)
	e.str(string(p.Role))
	e.str(string(p.XchgMode))
	e.opt(p.KeyOverlap)
	e.str(string(p.UseCRL))
	e.opt(p.ResponderKeyRefreshMaxKB)
	e.opt(p.ResponderKeyRefreshMinKB)
	e.opt(p.ResponderKeyRefreshMaxMinutes)
	e.opt(p.ResponderKeyRefreshMinMinutes)
	e.str(p.DefaultProtectionRef)
	e.uint(len(p.DefaultAllowedTypes))
	for _, t := range p.DefaultAllowedTypes {
		e.str(string(t))
	}
	e.uint(len(p.Transforms))
	for i := range p.Transforms {
		t := &p.Transforms[i]
		e.str(string(t.Encryption))
		e.int(int(t.KeyLength))
		e.str(string(t.Hash))
		e.int(int(t.DHGroup))
		e.str(string(t.AuthMethod))
		e.opt(t.KeyRefreshMinutes)
		e.opt(t.KeyRefreshKB)
	}
}

func (e *binEncoder) ikeTunnel(t *IKETunnel) {
	e.str(t.Name)
	e.str(t.ProtectionRef)
	e.str(string(t.AutoStart))
	e.str(string(t.MakeRuleWithOptionalIP))
	for _, id := range []*IKEIdentity{&t.Local, &t.Remote} {
		e.addr(id.OptionalIP)
		e.id(&id.ID)
	}
}

func (e *binEncoder) ipsecProposal(p *IPSecProposal) {
	e.str(p.Name)
	if p.ESP == nil {
		e.b = append(e.b, 0)
	} else {
		e.b = append(e.b, 1)
		e.str(string(p.ESP.Encryption))
		e.int(int(p.ESP.KeyLength))
		e.str(string(p.ESP.Authentication))
		e.str(string(p.ESP.EncapsulationMode))
		e.opt(p.ESP.KeyRefreshMinutes)
		e.opt(p.ESP.KeyRefreshKB)
	}
	if p.AH == nil {
		e.b = append(e.b, 0)
	} else {
		e.b = append(e.b, 1)
		e.str(string(p.AH.Authentication))
		e.str(string(p.AH.EncapsulationMode))
		e.opt(p.AH.KeyRefreshMinutes)
		e.opt(p.AH.KeyRefreshKB)
	}
}

func (e *binEncoder) ipsecProtection(p *IPSecProtection) {
	e.str(p.Name)
	e.uint(len(p.ProposalRefs))
	for _, r := range p.ProposalRefs {
		e.str(r)
	}
	e.str(string(p.Role))
	e.opt(p.KeyOverlap)
	e.int(int(p.InitiatorDHGroup))
	e.int(int(p.ResponderDHGroup))
	e.str(string(p.UseLifeSize))
	e.opt(p.ResponderKeyRefreshMaxKB)
	e.opt(p.ResponderKeyRefreshMinKB)
	e.opt(p.ResponderKeyRefreshMaxMinutes)
	e.opt(p.ResponderKeyRefreshMinMinutes)
}

func (e *binEncoder) ipsecTunnel(t *IPSecTunnel) {
	e.str(t.Name)
	e.str(t.IKETunnelName)
	e.str(t.ProtectionRef)
	e.str(string(t.AutoStart))
	e.str(string(t.OnDemand))
	for _, id := range []*IPSecIdentity{&t.Local, &t.Remote} {
		e.int(id.Port)
		e.int(int(id.Protocol))
		e.id(&id.ID)
	}
}

// BinaryReader reads back what AppendBinary wrote. It shares the
// strings of enumerated values and references between the definitions
// it reads, up to a bound.
type BinaryReader struct {
	shared map[string]string
}

// maxShared bounds the strings a BinaryReader shares: a document of
// unique references keeps its own copies.
const maxShared = 1024

var errBinary = errors.New("damaged binary form of a definition")

// Read decodes one binary form made by AppendBinary.
func (r *BinaryReader) Read(b []byte) (*Document, error) {
	if r.shared == nil {
		r.shared = map[string]string{}
	}
	d := &binDecoder{b: b, shared: r.shared}
	doc := d.document()
	if d.bad || len(d.b) != 0 {
		return nil, errBinary
	}
	return doc, nil
}

type binDecoder struct {
	b      []byte
	bad    bool
	shared map[string]string
}

func (d *binDecoder) uint() int {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > uint64(len(d.b)) { // no count exceeds the bytes left
		d.bad, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *binDecoder) int() int {
	v, n := binary.Varint(d.b)
	if n <= 0 || v != int64(int(v)) {
		d.bad, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *binDecoder) flag() bool {
	if len(d.b) == 0 || d.b[0] > 1 {
		d.bad, d.b = true, nil
		return false
	}
	f := d.b[0] == 1
	d.b = d.b[1:]
	return f
}

func (d *binDecoder) bytes() []byte {
	n := d.uint()
	if n > len(d.b) {
		d.bad, d.b = true, nil
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

func (d *binDecoder) str() string { return string(d.bytes()) }

// common is str for a value many definitions repeat.
func (d *binDecoder) common() string {
	b := d.bytes()
	if s, ok := d.shared[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(d.shared) < maxShared {
		d.shared[s] = s
	}
	return s
}

func (d *binDecoder) opt() Int {
	if !d.flag() {
		return Int{}
	}
	return IntOf(d.int())
}

func (d *binDecoder) addr() netip.Addr {
	var a netip.Addr
	if err := a.UnmarshalBinary(d.bytes()); err != nil {
		d.bad, d.b = true, nil
	}
	return a
}

// count reads a number of items, each at least one byte long.
func (d *binDecoder) count() int { return d.uint() }

// readList reads a count and that many items, nil for none.
func readList[T any](d *binDecoder, read func(*T)) []T {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		read(&out[i])
	}
	return out
}

func (d *binDecoder) document() *Document {
	doc := &Document{Version: d.common()}
	doc.IKEProtections = readList(d, d.ikeProtection)
	if n := d.count(); n > 0 {
		doc.IKEGroups = make([]IKEGroup, n)
		for i := range doc.IKEGroups {
			g := &doc.IKEGroups[i]
			g.Name = d.str()
			g.Members = readList(d, d.id)
		}
	}
	doc.IKETunnels = readList(d, d.ikeTunnel)
	if n := d.count(); n > 0 {
		doc.PresharedKeys = make([]IKEPresharedKey, n)
		for i := range doc.PresharedKeys {
			k := &doc.PresharedKeys[i]
			k.Value = d.str()
			k.Format = KeyFormat(d.common())
			d.id(&k.Identity.ID)
		}
	}
	doc.IPSecProposals = readList(d, d.ipsecProposal)
	doc.IPSecProtections = readList(d, d.ipsecProtection)
	doc.IPSecTunnels = readList(d, d.ipsecTunnel)
	return doc
}

func (d *binDecoder) id(id *ID) {
	id.Type = IDType(d.common())
	id.Addr = d.addr()
	id.Mask = d.addr()
	id.To = d.addr()
	id.Text = d.str()
}

func (d *binDecoder) ikeProtection(p *IKEProtection) {
	p.Name = d.str()
	p.Role = Role(d.common())
	p.XchgMode = XchgMode(d.common())
	p.KeyOverlap = d.opt()
	p.UseCRL = YesNo(d.common())
	p.ResponderKeyRefreshMaxKB = d.opt()
	p.ResponderKeyRefreshMinKB = d.opt()
	p.ResponderKeyRefreshMaxMinutes = d.opt()
	p.ResponderKeyRefreshMinMinutes = d.opt()
	p.DefaultProtectionRef = d.common()
	if n := d.count(); n > 0 {
		p.DefaultAllowedTypes = make([]AllowedType, n)
		for i := range p.DefaultAllowedTypes {
			p.DefaultAllowedTypes[i] = AllowedType(d.common())
		}
	}
	if n := d.count(); n > 0 {
		p.Transforms = make([]IKETransform, n)
		for i := range p.Transforms {
			t := &p.Transforms[i]
			t.Encryption = IKEEncryption(d.common())
			t.KeyLength = KeyLength(d.int())
			t.Hash = IKEHash(d.common())
			t.DHGroup = DHGroup(d.int())
			t.AuthMethod = AuthMethod(d.common())
			t.KeyRefreshMinutes = d.opt()
			t.KeyRefreshKB = d.opt()
		}
	}
}

func (d *binDecoder) ikeTunnel(t *IKETunnel) {
	t.Name = d.str()
	t.ProtectionRef = d.common()
	t.AutoStart = YesNo(d.common())
	t.MakeRuleWithOptionalIP = YesNo(d.common())
	for _, id := range []*IKEIdentity{&t.Local, &t.Remote} {
		id.OptionalIP = d.addr()
		d.id(&id.ID)
	}
}

func (d *binDecoder) ipsecProposal(p *IPSecProposal) {
	p.Name = d.str()
	if d.flag() {
		p.ESP = &ESPProtocol{
			Encryption:        ESPEncryption(d.common()),
			KeyLength:         KeyLength(d.int()),
			Authentication:    Integrity(d.common()),
			EncapsulationMode: EncapMode(d.common()),
			KeyRefreshMinutes: d.opt(),
			KeyRefreshKB:      d.opt(),
		}
	}
	if d.flag() {
		p.AH = &AHProtocol{
			Authentication:    Integrity(d.common()),
			EncapsulationMode: EncapMode(d.common()),
			KeyRefreshMinutes: d.opt(),
			KeyRefreshKB:      d.opt(),
		}
	}
}

func (d *binDecoder) ipsecProtection(p *IPSecProtection) {
	p.Name = d.str()
	if n := d.count(); n > 0 {
		p.ProposalRefs = make([]string, n)
		for i := range p.ProposalRefs {
			p.ProposalRefs[i] = d.common()
		}
	}
	p.Role = Role(d.common())
	p.KeyOverlap = d.opt()
	p.InitiatorDHGroup = PFS(d.int())
	p.ResponderDHGroup = PFS(d.int())
	p.UseLifeSize = YesNo(d.common())
	p.ResponderKeyRefreshMaxKB = d.opt()
	p.ResponderKeyRefreshMinKB = d.opt()
	p.ResponderKeyRefreshMaxMinutes = d.opt()
	p.ResponderKeyRefreshMinMinutes = d.opt()
}

func (d *binDecoder) ipsecTunnel(t *IPSecTunnel) {
	t.Name = d.str()
	t.IKETunnelName = d.str()
	t.ProtectionRef = d.common()
	t.AutoStart = YesNo(d.common())
	t.OnDemand = YesNo(d.common())
	for _, id := range []*IPSecIdentity{&t.Local, &t.Remote} {
		id.Port = d.int()
		id.Protocol = Protocol(d.int())
		d.id(&id.ID)
	}
}
