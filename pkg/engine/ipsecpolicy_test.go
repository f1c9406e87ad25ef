package engine_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Each kernel policy of a rule (direction by address family) takes the
// next index of its policy head (a tunnel counts its own) and the rule
// keeps the last; indexes are never reused;
// DeletePolicy and Flush keep to their policy head, a flushed rule
// staying by its saved text until FlushTruncate; Match takes the highest
// priority.
func TestIPsecPolicyTable(t *testing.T) {
	l := newTestLab(t)
	l.addHost("sol", "10.0.0.1")
	peer := netip.MustParsePrefix("10.0.0.2/32")
	esp := engine.IPsecAction{Kind: engine.IPsecApply, ESP: true, ESPEncr: engine.IPsecAlgReq{ID: 12}}
	both := engine.IPsecInbound | engine.IPsecOutbound
	l.host("sol", func(h *engine.Host) error {
		return h.IPsecPolicy().Add([]engine.IPsecRule{
			{Priority: 10, Dir: both, Remote: peer, Actions: []engine.IPsecAction{esp}},
			{Priority: 20, Dir: both, RemotePort: 22, Actions: []engine.IPsecAction{{Kind: engine.IPsecPass}}},
			{Priority: 30, Dir: engine.IPsecOutbound, Tunnel: "ip.tun0", Actions: []engine.IPsecAction{esp}},
		})
	})
	ssh := engine.Traffic{Local: netip.MustParseAddr("10.0.0.1"), Remote: peer.Addr(), Protocol: 6, RemotePort: 22}
	web := ssh
	web.RemotePort = 80
	l.host("sol", func(h *engine.Host) error {
		for tr, want := range map[engine.Traffic]uint64{ssh: 6, web: 2} {
			r, err := h.IPsecPolicy().Match(tr, engine.IPsecOutbound)
			if err != nil || r == nil || r.Index != want {
				t.Errorf("%+v matched %+v (%v), want index %d", tr, r, err, want)
			}
		}
		if err := h.IPsecPolicy().DeletePolicy("", 8); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("delete of a tunnel's rule from the global head: %v", err)
		}
		if err := h.IPsecPolicy().DeletePolicy("", 1); err != nil { // the outbound policy of the first rule
			t.Error(err)
		}
		if err := h.IPsecPolicy().DeletePolicy("", 1); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("second delete of index 1: %v", err)
		}
		if r, err := h.IPsecPolicy().Match(web, engine.IPsecOutbound); r != nil || err != nil {
			t.Errorf("outbound web still matched %+v (%v) after its policy went", r, err)
		}
		if r, err := h.IPsecPolicy().Match(web, engine.IPsecInbound); err != nil || r == nil || r.Index != 2 {
			t.Errorf("inbound web matched %+v (%v), want the first rule's policy 2", r, err)
		}
		if err := h.IPsecPolicy().Flush("", false); err != nil {
			t.Error(err)
		}
		if n := kernelPolicies(t, h); n != 2 {
			t.Errorf("%d kernel policies left, want the tunnel rule's two", n)
		}
		if n := h.IPsecPolicy().Len(); n != 3 {
			t.Errorf("%d rules left, want the global two by their saved text and the tunnel's", n)
		}
		if err := h.IPsecPolicy().FlushTruncate("ip.tun9", false); err != nil {
			t.Error(err)
		}
		if n := h.IPsecPolicy().Len(); n != 1 {
			t.Errorf("%d rules left after the texts went, want the tunnel's", n)
		}
		return h.IPsecPolicy().Add([]engine.IPsecRule{{Dir: both, Actions: []engine.IPsecAction{esp}}})
	})
	l.host("sol", func(h *engine.Host) error {
		var got []uint64
		err := h.IPsecPolicy().Scan(func(r *engine.IPsecRule) error {
			got = append(got, r.Index)
			return nil
		})
		if len(got) != 2 || got[0] != 2 || got[1] != 10 {
			t.Errorf("indexes %v, want [2 10]", got)
		}
		return err
	})
}

// kernelPolicies counts the host's kernel policies in force.
func kernelPolicies(t *testing.T, h *engine.Host) int {
	t.Helper()
	n := 0
	if err := h.IPsecPolicy().Scan(func(r *engine.IPsecRule) error {
		n += len(r.KernelPolicies())
		return nil
	}); err != nil {
		t.Error(err)
	}
	return n
}

// A rule stays while either its saved text or one of its kernel policies
// does: DeletePolicy removes one policy, Unsave the text.
func TestIPsecPolicyDeleteOne(t *testing.T) {
	l := newTestLab(t)
	l.addHost("sol", "10.0.0.1")
	both := engine.IPsecInbound | engine.IPsecOutbound
	l.host("sol", func(h *engine.Host) error {
		return h.IPsecPolicy().Add([]engine.IPsecRule{{Dir: both, Remote: netip.MustParsePrefix("10.0.0.2/32"),
			Actions: []engine.IPsecAction{{Kind: engine.IPsecDrop}}}})
	})
	l.host("sol", func(h *engine.Host) error {
		if ok, err := h.IPsecPolicy().Unsave(2); !ok || err != nil {
			t.Errorf("unsave 2: %v %v", ok, err)
		}
		if ok, _ := h.IPsecPolicy().Unsave(2); ok {
			t.Error("unsave 2 twice")
		}
		if err := h.IPsecPolicy().DeletePolicy("", 2); err != nil {
			t.Error(err)
		}
		if n := h.IPsecPolicy().Len(); n != 1 {
			t.Errorf("%d rules, want the one with policy 1 left", n)
		}
		return h.IPsecPolicy().DeletePolicy("", 1)
	})
	l.host("sol", func(h *engine.Host) error {
		if n := h.IPsecPolicy().Len(); n != 0 {
			t.Errorf("%d rules left with no text and no policy", n)
		}
		return nil
	})
}
