package engine

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Phase 1 and phase 2 policies are stored in a compact binary form:
// "ike cmd=list db" and every negotiation decode the whole rulebase, and
// JSON decoding was 70% of a listing of 10,000 definitions. A record is
// a version byte, then each field in declaration order (unsigned
// varints, strings and lists as a length and their items). Rows a lab
// stored as JSON before (they start with '{') still decode.

const (
	p1CodecVersion = 1
	p2CodecVersion = 1
)

var errPolicyCodec = &Error{Kind: ErrDamaged, Detail: "corrupt policy record"}

// recordWriter appends the fields of one record.
type recordWriter struct{ b []byte }

func (w *recordWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }

func (w *recordWriter) int(v int) { w.b = binary.AppendVarint(w.b, int64(v)) }

func (w *recordWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *recordWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *recordWriter) strs(l []string) {
	w.uint(uint64(len(l)))
	for _, s := range l {
		w.str(s)
	}
}

func (w *recordWriter) addr(a netip.Addr) {
	if !a.IsValid() {
		w.b = append(w.b, 0)
		return
	}
	s := a.AsSlice()
	w.b = append(w.b, byte(len(s)))
	w.b = append(w.b, s...)
}

func (w *recordWriter) ranges(rs []AddrRange) {
	w.uint(uint64(len(rs)))
	for _, r := range rs {
		w.addr(r.First)
		w.addr(r.Last)
	}
}

// recordReader walks a record, remembering the first error. It reads
// from one string copy of the record, so that the strings it returns
// share it rather than each being allocated.
type recordReader struct {
	s   string
	err error
}

func newRecordReader(raw []byte) *recordReader { return &recordReader{s: string(raw)} }

func (r *recordReader) fail() { r.err, r.s = errPolicyCodec, "" }

func (r *recordReader) uint() uint64 {
	var v uint64
	for i := 0; i < len(r.s) && i < binary.MaxVarintLen64; i++ {
		c := r.s[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				break
			}
			r.s = r.s[i+1:]
			return v
		}
	}
	r.fail()
	return 0
}

func (r *recordReader) int() int {
	u := r.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return int(v)
}

func (r *recordReader) u32() uint32 {
	v := r.uint()
	if v > 1<<32-1 {
		r.fail()
	}
	return uint32(v)
}

func (r *recordReader) bool() bool {
	if len(r.s) == 0 || r.s[0] > 1 {
		r.fail()
		return false
	}
	v := r.s[0] == 1
	r.s = r.s[1:]
	return v
}

// count reads a list length, refusing one longer than the bytes left
// (every item takes at least one byte).
func (r *recordReader) count() int {
	n := r.uint()
	if n > uint64(len(r.s)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *recordReader) str() string {
	n := r.count()
	v := r.s[:n]
	r.s = r.s[n:]
	return v
}

func (r *recordReader) strs() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	l := make([]string, n)
	for i := range l {
		l[i] = r.str()
	}
	return l
}

func (r *recordReader) addr() netip.Addr {
	if len(r.s) == 0 {
		r.fail()
		return netip.Addr{}
	}
	n := int(r.s[0])
	if len(r.s) < 1+n {
		r.fail()
		return netip.Addr{}
	}
	var a netip.Addr
	switch n {
	case 0:
	case 4:
		a = netip.AddrFrom4([4]byte([]byte(r.s[1:5])))
	case 16:
		a = netip.AddrFrom16([16]byte([]byte(r.s[1:17])))
	default:
		r.fail()
		return a
	}
	r.s = r.s[1+n:]
	return a
}

// ranges reads a list of ranges into reuse's array when it has room.
func (r *recordReader) ranges(reuse []AddrRange) []AddrRange {
	n := r.count()
	if n == 0 {
		return nil
	}
	rs := reuse[:0]
	if cap(rs) < n {
		rs = make([]AddrRange, n)
	}
	rs = rs[:n]
	for i := range rs {
		rs[i] = AddrRange{r.addr(), r.addr()}
	}
	return rs
}

func (r *recordReader) done() error {
	if r.err == nil && len(r.s) != 0 {
		r.err = errPolicyCodec
	}
	return r.err
}

func (p *Phase1Policy) marshalBinary() []byte { return p.appendBinary(make([]byte, 0, 128)) }

// appendBinary appends the record to dst. Its label comes first and its
// key manager cookie right after (phase1Row relies on that).
func (p *Phase1Policy) appendBinary(dst []byte) []byte {
	w := &recordWriter{b: dst}
	w.b = append(w.b, p1CodecVersion)
	w.str(p.Label)
	w.uint(uint64(p.KMCookie))
	w.int(int(p.Mode))
	w.int(int(p.LocalIDType))
	w.ranges(p.LocalAddrs)
	w.ranges(p.RemoteAddrs)
	for _, s := range []Selectors{p.LocalIDs, p.RemoteIDs} {
		w.strs(s.Include)
		w.strs(s.Exclude)
	}
	for _, v := range []uint32{p.P1NonceLen, p.P2NonceLen} {
		w.uint(uint64(v))
	}
	w.int(p.P2PFS)
	for _, v := range []uint32{p.P2LifetimeSecs, p.P2SoftSecs, p.P2IdleSecs, p.P2LifetimeKB, p.P2SoftKB} {
		w.uint(uint64(v))
	}
	w.uint(uint64(len(p.Transforms)))
	for _, x := range p.Transforms {
		w.int(int(x.Auth))
		w.int(int(x.Cipher))
		w.int(x.KeyMin)
		w.int(x.KeyMax)
		w.int(int(x.Hash))
		w.int(x.Group)
		w.uint(uint64(x.LifetimeSecs))
		w.uint(uint64(x.LifetimeKB))
	}
	w.str(p.Origin)
	return w.b
}

func unmarshalPhase1Policy(raw []byte) (*Phase1Policy, error) {
	p := &Phase1Policy{}
	if err := p.unmarshalBinary(raw); err != nil {
		return nil, err
	}
	return p, nil
}

// unmarshalBinary decodes raw into p, reusing the arrays of p's address
// lists and transforms where they have room (a caller decoding many
// rows into one policy allocates them once).
func (p *Phase1Policy) unmarshalBinary(raw []byte) error {
	if len(raw) > 0 && raw[0] == '{' {
		q, err := (jsonCodec[Phase1Policy]{}).decode(raw)
		if err == nil {
			*p = *q
		}
		return err
	}
	if len(raw) == 0 || raw[0] != p1CodecVersion {
		return fmt.Errorf("%w: unknown version", errPolicyCodec)
	}
	r := newRecordReader(raw[1:])
	p.Label = r.str()
	p.KMCookie = r.u32()
	p.Mode = ExchangeMode(r.int())
	p.LocalIDType = IDKind(r.int())
	p.LocalAddrs = r.ranges(p.LocalAddrs)
	p.RemoteAddrs = r.ranges(p.RemoteAddrs)
	for _, s := range []*Selectors{&p.LocalIDs, &p.RemoteIDs} {
		s.Include = r.strs()
		s.Exclude = r.strs()
	}
	p.P1NonceLen, p.P2NonceLen = r.u32(), r.u32()
	p.P2PFS = r.int()
	p.P2LifetimeSecs, p.P2SoftSecs, p.P2IdleSecs = r.u32(), r.u32(), r.u32()
	p.P2LifetimeKB, p.P2SoftKB = r.u32(), r.u32()
	if n := r.count(); n == 0 {
		p.Transforms = nil
	} else {
		if cap(p.Transforms) < n {
			p.Transforms = make([]Transform, n)
		}
		p.Transforms = p.Transforms[:n]
		for i := range p.Transforms {
			x := &p.Transforms[i]
			x.Auth, x.Cipher = AuthMethod(r.int()), Cipher(r.int())
			x.KeyMin, x.KeyMax = r.int(), r.int()
			x.Hash, x.Group = Hash(r.int()), r.int()
			x.LifetimeSecs, x.LifetimeKB = r.u32(), r.u32()
		}
	}
	p.Origin = r.str()
	return r.done()
}

func (w *recordWriter) selector(s Selector) {
	w.int(int(s.Kind))
	w.ranges(s.Addrs)
	w.str(s.Group)
	w.int(s.Port)
	w.int(s.Protocol)
}

func (r *recordReader) selector(reuse []AddrRange) Selector {
	return Selector{Kind: IDKind(r.int()), Addrs: r.ranges(reuse), Group: r.str(), Port: r.int(), Protocol: r.int()}
}

func (w *recordWriter) ipsecTransform(x *IPsecTransform) {
	w.bool(x != nil)
	if x == nil {
		return
	}
	w.int(int(x.Cipher))
	w.int(x.KeyBits)
	w.int(int(x.Auth))
	w.bool(x.Transport)
	w.uint(uint64(x.LifetimeSecs))
	w.uint(uint64(x.LifetimeKB))
}

// ipsecTransform reads an optional transform into reuse when it is
// not nil.
func (r *recordReader) ipsecTransform(reuse *IPsecTransform) *IPsecTransform {
	if !r.bool() {
		return nil
	}
	x := reuse
	if x == nil {
		x = new(IPsecTransform)
	}
	*x = IPsecTransform{Cipher: Cipher(r.int()), KeyBits: r.int(), Auth: Hash(r.int()),
		Transport: r.bool(), LifetimeSecs: r.u32(), LifetimeKB: r.u32()}
	return x
}

func (p *Phase2Policy) marshalBinary() []byte {
	w := &recordWriter{b: make([]byte, 0, 128)}
	w.b = append(w.b, p2CodecVersion)
	w.str(p.Name)
	w.str(p.Phase1)
	w.selector(p.Local)
	w.selector(p.Remote)
	w.uint(uint64(len(p.Proposals)))
	for _, pr := range p.Proposals {
		w.ipsecTransform(pr.ESP)
		w.ipsecTransform(pr.AH)
	}
	w.int(p.PFSGroup)
	w.uint(uint64(p.KeyOverlapSecs))
	w.bool(p.AutoStart)
	w.str(p.Origin)
	return w.b
}

func unmarshalPhase2Policy(raw []byte) (*Phase2Policy, error) {
	p := &Phase2Policy{}
	if err := p.unmarshalBinary(raw); err != nil {
		return nil, err
	}
	return p, nil
}

// unmarshalBinary decodes raw into p, reusing p's arrays and transforms
// where they have room, as Phase1Policy's.
func (p *Phase2Policy) unmarshalBinary(raw []byte) error {
	if len(raw) > 0 && raw[0] == '{' {
		q, err := (jsonCodec[Phase2Policy]{}).decode(raw)
		if err == nil {
			*p = *q
		}
		return err
	}
	if len(raw) == 0 || raw[0] != p2CodecVersion {
		return fmt.Errorf("%w: unknown version", errPolicyCodec)
	}
	r := newRecordReader(raw[1:])
	p.Name = r.str()
	p.Phase1 = r.str()
	p.Local = r.selector(p.Local.Addrs)
	p.Remote = r.selector(p.Remote.Addrs)
	old := p.Proposals
	p.Proposals = nil
	if n := r.count(); n > 0 {
		p.Proposals = old[:0]
		if cap(old) < n {
			p.Proposals = make([]Proposal, n)
		}
		p.Proposals = p.Proposals[:n]
		for i := range p.Proposals {
			pr := &p.Proposals[i]
			*pr = Proposal{ESP: r.ipsecTransform(pr.ESP), AH: r.ipsecTransform(pr.AH)}
		}
	}
	p.PFSGroup = r.int()
	p.KeyOverlapSecs = r.u32()
	p.AutoStart = r.bool()
	p.Origin = r.str()
	return r.done()
}
