package ikecrypto

import (
	"crypto/ecdh"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"
	"sync"
)

// ErrGroupUnsupported is wrapped (in a *GroupError) by LookupGroup for
// groups that are defined for IKEv1 but that this package cannot compute:
// the EC2N groups 3 and 4, and the 192/224-bit ECP groups 25 and 26, which
// crypto/ecdh does not offer. The configuration loader refuses them.
var ErrGroupUnsupported = errors.New("unsupported Diffie-Hellman group")

// ErrUnknownGroup is wrapped (in a *GroupError) by LookupGroup for numbers
// that name no IKEv1 Diffie-Hellman group at all.
var ErrUnknownGroup = errors.New("unknown Diffie-Hellman group")

// GroupError reports a group number LookupGroup refused, so a caller can
// print the number and name without parsing the message.
type GroupError struct {
	Number int
	Name   string // empty for unknown numbers
	Err    error  // ErrGroupUnsupported or ErrUnknownGroup
}

func (e *GroupError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("ikecrypto: DH group %d: %v", e.Number, e.Err)
	}
	return fmt.Sprintf("ikecrypto: DH group %d (%s): %v", e.Number, e.Name, e.Err)
}

func (e *GroupError) Unwrap() error { return e.Err }

type groupKind int

const (
	kindMODP groupKind = iota + 1
	kindECP
)

// Group is one IKE Diffie-Hellman group. Values returned by LookupGroup are
// private copies: changing the exported fields affects nobody else.
type Group struct {
	Number int    // IANA "Group Description" number
	Name   string // IANA registry description
	Bits   int    // size of the prime (MODP) or of the field (ECP)

	kind groupKind
	// MODP: prime, generator, subgroup order (nil for safe primes, whose
	// peer values RFC 2409 only range-checks) and the private exponent
	// size; expBits 0 means the full range [1, p-2].
	p, g, q *big.Int
	expBits int
	mont    *montModulus // shared by copies; immutable
	// comb returns the generator's fixed-base table, built on first use
	// and shared by copies of the group.
	comb func() *combTable
	// ECP
	curve     ecdh.Curve
	coordSize int
}

// IsECP reports whether the group is an elliptic curve group (RFC 5903).
func (g *Group) IsECP() bool { return g != nil && g.kind == kindECP }

// PublicLen is the length of a public value in a KE payload: the prime
// length for MODP, twice the coordinate length (X||Y) for ECP.
func (g *Group) PublicLen() int {
	if g == nil {
		return 0
	}
	if g.kind == kindECP {
		return 2 * g.coordSize
	}
	return (g.p.BitLen() + 7) / 8
}

// SharedLen is the length of g^xy: the prime length for MODP, one
// coordinate for ECP.
func (g *Group) SharedLen() int {
	if g == nil {
		return 0
	}
	if g.kind == kindECP {
		return g.coordSize
	}
	return (g.p.BitLen() + 7) / 8
}

// modpSpec is the source form of a MODP group, turned into a Group once.
type modpSpec struct {
	number  int
	name    string
	p, g, q string // hex, whitespace allowed; g empty means 2
	expBits int
}

// modpSpecs lists the MODP groups. The exponent sizes of 5 and 14-18 are
// RFC 3526 section 8 (strength estimate 2): a short exponent keeps the big
// groups affordable when the engine negotiates thousands of SAs. Groups 1
// and 2 are cheap enough to use the full range; 22-24 use [1, q-1] as
// RFC 5114 requires.
func modpSpecs() []modpSpec {
	return []modpSpec{
		{1, "768-bit MODP group", modp768P, "", "", 0},
		{2, "1024-bit MODP group", modp1024P, "", "", 0},
		{5, "1536-bit MODP group", modp1536P, "", "", 240},
		{14, "2048-bit MODP group", modp2048P, "", "", 320},
		{15, "3072-bit MODP group", modp3072P, "", "", 420},
		{16, "4096-bit MODP group", modp4096P, "", "", 480},
		{17, "6144-bit MODP group", modp6144P, "", "", 540},
		{18, "8192-bit MODP group", modp8192P, "", "", 620},
		{22, "1024-bit MODP Group with 160-bit Prime Order Subgroup",
			modp1024s160P, modp1024s160G, modp1024s160Q, 0},
		{23, "2048-bit MODP Group with 224-bit Prime Order Subgroup",
			modp2048s224P, modp2048s224G, modp2048s224Q, 0},
		{24, "2048-bit MODP Group with 256-bit Prime Order Subgroup",
			modp2048s256P, modp2048s256G, modp2048s256Q, 0},
	}
}

// ecpGroups lists the groups crypto/ecdh can compute (RFC 5903).
func ecpGroups() []*Group {
	return []*Group{
		{Number: 19, Name: "256-bit random ECP group", Bits: 256,
			kind: kindECP, curve: ecdh.P256(), coordSize: 32},
		{Number: 20, Name: "384-bit random ECP group", Bits: 384,
			kind: kindECP, curve: ecdh.P384(), coordSize: 48},
		{Number: 21, Name: "521-bit random ECP group", Bits: 521,
			kind: kindECP, curve: ecdh.P521(), coordSize: 66},
	}
}

// unsupportedGroups names the IKEv1 groups we know of but cannot compute.
func unsupportedGroups() map[int]string {
	return map[int]string{
		3:  "EC2N group on GP[2^155]",
		4:  "EC2N group on GP[2^185]",
		25: "192-bit random ECP group",
		26: "224-bit random ECP group",
	}
}

// parseHex reads an RFC-formatted hex constant.
func parseHex(s string) (*big.Int, error) {
	v, ok := new(big.Int).SetString(strings.Join(strings.Fields(s), ""), 16)
	if !ok {
		return nil, fmt.Errorf("ikecrypto: bad hex constant %.16q", s)
	}
	return v, nil
}

func (s modpSpec) group() (*Group, error) {
	p, err := parseHex(s.p)
	if err != nil {
		return nil, err
	}
	g := &Group{Number: s.number, Name: s.name, Bits: p.BitLen(),
		kind: kindMODP, p: p, g: big.NewInt(2), expBits: s.expBits,
		mont: newMontModulus(p)}
	if s.g != "" {
		if g.g, err = parseHex(s.g); err != nil {
			return nil, err
		}
		if g.q, err = parseHex(s.q); err != nil {
			return nil, err
		}
	}
	base, bits := g.g, g.exponentLimit(true).BitLen()
	g.comb = sync.OnceValue(func() *combTable { return newCombTable(g.mont, base, bits) })
	return g, nil
}

// buildGroups parses the constant tables. It runs once (groupTable); an
// error here would be a typo in the tables, which the tests rule out, but
// it is reported rather than panicking.
func buildGroups() (map[int]*Group, error) {
	m := make(map[int]*Group)
	for _, s := range modpSpecs() {
		g, err := s.group()
		if err != nil {
			return nil, err
		}
		m[g.Number] = g
	}
	for _, g := range ecpGroups() {
		m[g.Number] = g
	}
	return m, nil
}

// groupTable is computed on first use and never modified afterwards.
var groupTable = sync.OnceValues(buildGroups)

// LookupGroup returns the group with the given IANA number. Unsupported
// and unknown numbers yield a *GroupError wrapping ErrGroupUnsupported or
// ErrUnknownGroup.
func LookupGroup(n int) (*Group, error) {
	tbl, err := groupTable()
	if err != nil {
		return nil, err
	}
	if g, ok := tbl[n]; ok {
		c := *g
		return &c, nil
	}
	if name, ok := unsupportedGroups()[n]; ok {
		return nil, &GroupError{Number: n, Name: name, Err: ErrGroupUnsupported}
	}
	return nil, &GroupError{Number: n, Err: ErrUnknownGroup}
}

// KnownGroups returns every IKEv1 group number this package names,
// those it computes and those it refuses as unsupported, ascending. The
// vendor personalities' name tables are tested against it, so that adding
// a group here is one edit plus its names in each vendor's words.
func KnownGroups() []int {
	known := SupportedGroups()
	for n := range unsupportedGroups() {
		known = append(known, n)
	}
	slices.Sort(known)
	return known
}

// SupportedGroups returns the numbers LookupGroup accepts, ascending, for
// help texts and configuration checks.
func SupportedGroups() []int {
	tbl, err := groupTable()
	if err != nil {
		return nil
	}
	return slices.Sorted(maps.Keys(tbl))
}
