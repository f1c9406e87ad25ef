package engine_test

import (
	"net/netip"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

func TestSelectPhase2(t *testing.T) {
	a, b := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	ra, rb := engine.AddrRange{First: a, Last: a}, engine.AddrRange{First: b, Last: b}
	aes := engine.Proposal{ESP: &engine.IPsecTransform{Cipher: engine.CipherAES, KeyBits: 128, Auth: engine.HashSHA1, Transport: true}}
	des3 := engine.Proposal{ESP: &engine.IPsecTransform{Cipher: engine.Cipher3DES, Auth: engine.HashMD5}}
	offer := engine.Phase2Offer{Local: ra, Remote: rb, Proposals: []engine.Proposal{des3, aes}}
	mirrored := func(props ...engine.Proposal) *engine.Phase2Policy {
		return &engine.Phase2Policy{Name: "m", Local: engine.Selector{Addrs: []engine.AddrRange{rb}},
			Remote: engine.Selector{Addrs: []engine.AddrRange{ra}}, Proposals: props}
	}
	other := &engine.Phase2Policy{Name: "o", Local: engine.Selector{Addrs: []engine.AddrRange{ra}},
		Remote: engine.Selector{Addrs: []engine.AddrRange{rb}}, Proposals: []engine.Proposal{aes}}
	withPFS := mirrored(aes)
	withPFS.PFSGroup = 14
	for _, c := range []struct {
		name     string
		policies []*engine.Phase2Policy
		want     *engine.Proposal
		chosen   string
	}{
		{"no policies: the initiator's first", nil, &des3, ""},
		{"mirrored: first offered it lists", []*engine.Phase2Policy{other, mirrored(aes, des3)}, &des3, "m"},
		{"mirrored lists only the second", []*engine.Phase2Policy{mirrored(aes)}, &aes, "m"},
		{"none mirrored", []*engine.Phase2Policy{other}, nil, ""},
		{"mirrored, no common proposal", []*engine.Phase2Policy{mirrored()}, nil, "m"},
		{"PFS differs", []*engine.Phase2Policy{withPFS}, nil, "m"},
	} {
		prop, chosen, ok := engine.SelectPhase2(offer, c.policies)
		if ok != (c.want != nil) {
			t.Errorf("%s: ok %v", c.name, ok)
			continue
		}
		if ok && prop.ESP != c.want.ESP {
			t.Errorf("%s: chose %+v, want %+v", c.name, prop.ESP, c.want.ESP)
		}
		name := ""
		if chosen != nil {
			name = chosen.Name
		}
		if name != c.chosen {
			t.Errorf("%s: decided by %q, want %q", c.name, name, c.chosen)
		}
	}
}
