package engine

import (
	"net/netip"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// outlineCases are policies whose outlines take each branch: addresses,
// identities, groups, neither, IPv6, several of each.
func outlineCases(t testing.TB) ([]Phase1Policy, []Phase2Policy) {
	a := netip.MustParseAddr
	r4 := AddrRange{a("10.0.0.1"), a("10.0.0.9")}
	r6 := AddrRange{a("2001:db8::1"), a("2001:db8::1")}
	var n int
	var full1 Phase1Policy
	fillAll(t, reflect.ValueOf(&full1).Elem(), &n)
	var full2 Phase2Policy
	fillAll(t, reflect.ValueOf(&full2).Elem(), &n)
	p1 := []Phase1Policy{
		full1,
		{Label: "addrs", LocalAddrs: []AddrRange{r4, r6}, RemoteAddrs: []AddrRange{r6}},
		{Label: "ids", LocalIDs: Selectors{Include: []string{"a@b", "c@d"}, Exclude: []string{"x"}},
			RemoteIDs: Selectors{Exclude: []string{"only excluded"}}},
		{Label: "invalid address", LocalAddrs: []AddrRange{{}}, RemoteIDs: Selectors{Include: []string{"é"}}},
		{Label: ""},
	}
	p2 := []Phase2Policy{
		full2,
		{Name: "group", Phase1: "p1", Local: Selector{Group: "g", Addrs: []AddrRange{r4}}, Remote: Selector{Addrs: []AddrRange{r6, r4}}},
		{Name: "none", Local: Selector{Port: 500, Protocol: 17}},
	}
	return p1, p2
}

// An outline shows what the policy decoded whole shows.
func TestOutlineOfRecordIsOutlineOfPolicy(t *testing.T) {
	p1, p2 := outlineCases(t)
	for _, p := range p1 {
		var got Phase1Outline
		if err := readPhase1Outline(&got, p.marshalBinary()); err != nil {
			t.Errorf("%q: %v", p.Label, err)
		}
		if d := cmp.Diff(p.Outline(), got, addrCmp); d != "" {
			t.Errorf("%q (-want +got):\n%s", p.Label, d)
		}
	}
	for _, p := range p2 {
		var got Phase2Outline
		if err := readPhase2Outline(&got, p.marshalBinary()); err != nil {
			t.Errorf("%q: %v", p.Name, err)
		}
		if d := cmp.Diff(p.Outline(), got, addrCmp); d != "" {
			t.Errorf("%q (-want +got):\n%s", p.Name, d)
		}
	}
}

// Every truncation inside the fields an outline reads is damage.
func TestOutlineTruncated(t *testing.T) {
	p := Phase1Policy{Label: "l", LocalAddrs: []AddrRange{{netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")}},
		RemoteIDs: Selectors{Include: []string{"id"}, Exclude: []string{"x"}}}
	raw := p.marshalBinary()
	var o Phase1Outline
	for i := range 1 + 2 + 1 + 1 + 1 + 11 + 1 + 1 + 1 + 4 { // through the remote identities
		if err := readPhase1Outline(&o, raw[:i]); err == nil {
			t.Errorf("phase 1 record cut at %d read as %+v", i, o)
		}
	}
	q := Phase2Policy{Name: "n", Phase1: "p", Local: Selector{Addrs: []AddrRange{{netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")}}},
		Remote: Selector{Group: "g", Port: 1, Protocol: 2}}
	raw = q.marshalBinary()
	var o2 Phase2Outline
	for i := range 1 + 2 + 2 + 1 + 1 + 10 + 1 + 1 + 1 + 1 + 1 + 2 + 1 + 1 { // through the remote protocol
		if err := readPhase2Outline(&o2, raw[:i]); err == nil {
			t.Errorf("phase 2 record cut at %d read as %+v", i, o2)
		}
	}
}

// An outline never panics, and wherever the whole record decodes, its
// outline is the policy's.
func FuzzOutline(f *testing.F) {
	p1, p2 := outlineCases(f)
	for _, p := range p1 {
		f.Add(true, p.marshalBinary())
	}
	for _, p := range p2 {
		f.Add(false, p.marshalBinary())
	}
	f.Fuzz(func(t *testing.T, phase1 bool, raw []byte) {
		if phase1 {
			var o Phase1Outline
			err := readPhase1Outline(&o, raw)
			if p, perr := unmarshalPhase1Policy(raw); perr == nil {
				if d := cmp.Diff(p.Outline(), o, addrCmp); err != nil || d != "" {
					t.Errorf("outline %v (-want +got):\n%s", err, d)
				}
			}
			return
		}
		var o Phase2Outline
		err := readPhase2Outline(&o, raw)
		if p, perr := unmarshalPhase2Policy(raw); perr == nil {
			if d := cmp.Diff(p.Outline(), o, addrCmp); err != nil || d != "" {
				t.Errorf("outline %v (-want +got):\n%s", err, d)
			}
		}
	})
}
