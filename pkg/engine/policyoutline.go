package engine

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// A listing of every definition (ike cmd=list db) shows a few fields of
// each: decoding whole records, transforms and proposals included, was
// most of its cost. An outline reads the record's first fields only, in
// place: the store's checksum has vouched for the bytes, and a prefix
// that does not parse is still damage.

// Phase1Outline is what a listing of every definition shows of a phase
// 1 policy. Its byte slices are views into the store, valid only during
// the callback that gets it.
type Phase1Outline struct {
	Label []byte
	// Number is its tunnel number, when Numbered.
	Number   int
	Numbered bool
	// Matched says its number came from a one-to-one match of the
	// policies with the numbers (rowNumbers): when every policy's did,
	// no two share a label (an older lab could store one twice).
	Matched bool
	// Local and Remote: the first address range, else the first
	// identity (Name).
	Local, Remote OutlineSide
}

// Phase2Outline is what a listing of every definition shows of a phase
// 2 policy, as Phase1Outline.
type Phase2Outline struct {
	Name, Phase1 []byte
	Number       int
	Numbered     bool
	// Local and Remote: the group (Name), else the first address range.
	Local, Remote OutlineSide
}

// OutlineSide is one side of an outline: an address range (HasRange),
// or a name, or neither.
type OutlineSide struct {
	Range    AddrRange
	HasRange bool
	Name     []byte
}

// Outline is p's outline (numbered by the caller).
func (p *Phase1Policy) Outline() Phase1Outline {
	return Phase1Outline{Label: []byte(p.Label), Local: p1Side(p.LocalAddrs, p.LocalIDs.Include),
		Remote: p1Side(p.RemoteAddrs, p.RemoteIDs.Include)}
}

func p1Side(addrs []AddrRange, ids []string) OutlineSide {
	if len(addrs) > 0 {
		return OutlineSide{Range: addrs[0], HasRange: true}
	}
	if len(ids) > 0 {
		return OutlineSide{Name: []byte(ids[0])}
	}
	return OutlineSide{}
}

// Outline is p's outline (numbered by the caller).
func (p *Phase2Policy) Outline() Phase2Outline {
	return Phase2Outline{Name: []byte(p.Name), Phase1: []byte(p.Phase1),
		Local: p2Side(p.Local), Remote: p2Side(p.Remote)}
}

func p2Side(s Selector) OutlineSide {
	if s.Group != "" {
		return OutlineSide{Name: []byte(s.Group)}
	}
	if len(s.Addrs) > 0 {
		return OutlineSide{Range: s.Addrs[0], HasRange: true}
	}
	return OutlineSide{}
}

// readPhase1Outline reads o's fields from the start of a record
// (appendBinary's layout); a JSON row of an older lab is decoded whole.
func readPhase1Outline(o *Phase1Outline, raw []byte) error {
	if len(raw) > 0 && raw[0] == '{' {
		p, err := unmarshalPhase1Policy(raw)
		if err == nil {
			*o = p.Outline()
		}
		return err
	}
	if len(raw) == 0 || raw[0] != p1CodecVersion {
		return fmt.Errorf("%w: unknown version", errPolicyCodec)
	}
	r := viewReader{b: raw[1:]}
	o.Label = r.bytes()
	r.u32() // key manager cookie
	r.uint()
	r.uint() // mode, local identity type
	local, remote := r.firstRange(), r.firstRange()
	localID := r.firstBytes()
	r.firstBytes() // excluded
	remoteID := r.firstBytes()
	o.Local, o.Remote = local.orName(localID), remote.orName(remoteID)
	return r.err
}

// readPhase2Outline is readPhase1Outline of a phase 2 record.
func readPhase2Outline(o *Phase2Outline, raw []byte) error {
	if len(raw) > 0 && raw[0] == '{' {
		p, err := unmarshalPhase2Policy(raw)
		if err == nil {
			*o = p.Outline()
		}
		return err
	}
	if len(raw) == 0 || raw[0] != p2CodecVersion {
		return fmt.Errorf("%w: unknown version", errPolicyCodec)
	}
	r := viewReader{b: raw[1:]}
	o.Name = r.bytes()
	o.Phase1 = r.bytes()
	o.Local = r.selectorSide()
	o.Remote = r.selectorSide()
	return r.err
}

// orName is s, or the name when s has no range.
func (s OutlineSide) orName(name []byte) OutlineSide {
	if s.HasRange {
		return s
	}
	return OutlineSide{Name: name}
}

// viewReader reads fields of a record as recordReader does, returning
// views into it and skipping what an outline does not show. It keeps
// an offset rather than reslicing, which keeps its common paths short
// enough to inline.
type viewReader struct {
	b   []byte
	i   int
	err error
}

func (r *viewReader) fail() { r.err, r.i = errPolicyCodec, len(r.b) }

// uint reads a varint: one byte long without a call (most are).
func (r *viewReader) uint() uint64 {
	if r.i < len(r.b) && r.b[r.i] < 0x80 {
		r.i++
		return uint64(r.b[r.i-1])
	}
	return r.longUint()
}

func (r *viewReader) longUint() uint64 {
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.fail()
		return 0
	}
	r.i += n
	return v
}

func (r *viewReader) u32() {
	if r.uint() > 1<<32-1 {
		r.fail()
	}
}

// count reads a list length, as recordReader's.
func (r *viewReader) count() int {
	n := r.uint()
	if n > uint64(len(r.b)-r.i) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *viewReader) bytes() []byte {
	n := r.count()
	v := r.b[r.i : r.i+n : r.i+n]
	r.i += n
	return v
}

// firstBytes reads a list of strings, returning the first (nil: none).
func (r *viewReader) firstBytes() []byte {
	var first []byte
	for i := range r.count() {
		if b := r.bytes(); i == 0 {
			first = b
		}
	}
	return first
}

func (r *viewReader) addr() netip.Addr {
	if r.i < len(r.b) && r.b[r.i] == 4 && r.i+5 <= len(r.b) {
		r.i += 5
		return netip.AddrFrom4([4]byte(r.b[r.i-4 : r.i]))
	}
	return r.otherAddr()
}

// otherAddr reads an address that is not IPv4: IPv6, or none.
func (r *viewReader) otherAddr() netip.Addr {
	switch {
	case r.i < len(r.b) && r.b[r.i] == 0:
		r.i++
		return netip.Addr{}
	case r.i < len(r.b) && r.b[r.i] == 16 && r.i+17 <= len(r.b):
		r.i += 17
		return netip.AddrFrom16([16]byte(r.b[r.i-16 : r.i]))
	}
	r.fail()
	return netip.Addr{}
}

// firstRange reads a list of ranges, returning the first.
func (r *viewReader) firstRange() OutlineSide {
	n := r.count()
	if n == 0 {
		return OutlineSide{}
	}
	s := OutlineSide{Range: AddrRange{r.addr(), r.addr()}, HasRange: r.err == nil}
	for range n - 1 {
		r.addr()
		r.addr()
	}
	return s
}

// selectorSide reads a selector (recordWriter.selector's layout): its
// group, else its first range.
func (r *viewReader) selectorSide() OutlineSide {
	r.uint() // kind
	s := r.firstRange()
	if group := r.bytes(); len(group) > 0 {
		s = OutlineSide{Name: group}
	}
	r.uint()
	r.uint() // port, protocol
	return s
}
