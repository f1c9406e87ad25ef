package engine_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// carryLab is two hosts, a at 10.0.0.1 and b at 10.0.0.2, each with one
// IPsec rule toward the other.
func carryLab(t *testing.T, aRule, bRule engine.IPsecRule) *testLab {
	l := newTestLab(t)
	l.addHost("a", "10.0.0.1")
	l.addHost("b", "10.0.0.2")
	aRule.Remote, bRule.Remote = netip.MustParsePrefix("10.0.0.2/32"), netip.MustParsePrefix("10.0.0.1/32")
	l.host("a", func(h *engine.Host) error { return h.IPsecPolicy().Add([]engine.IPsecRule{aRule}) })
	l.host("b", func(h *engine.Host) error { return h.IPsecPolicy().Add([]engine.IPsecRule{bRule}) })
	return l
}

func espRule(encr, auth int, unique bool) engine.IPsecRule {
	return engine.IPsecRule{Dir: engine.IPsecInbound | engine.IPsecOutbound, Actions: []engine.IPsecAction{{
		Kind: engine.IPsecApply, ESP: true, Unique: unique,
		ESPEncr: engine.IPsecAlgReq{ID: encr}, ESPAuth: engine.IPsecAlgReq{ID: auth}}}}
}

func manualESP(spi uint32, cipher engine.Cipher, key byte, added time.Time) *engine.ManualSA {
	enc := make([]byte, 16)
	enc[0] = key
	return &engine.ManualSA{Protocol: "ESP", SPI: spi, Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"),
		Cipher: cipher, EncKey: enc, Auth: engine.HashSHA1, AuthKey: make([]byte, 20), Added: added}
}

func addManual(l *testLab, host string, sas ...*engine.ManualSA) {
	l.host(host, func(h *engine.Host) error {
		for _, sa := range sas {
			c := *sa
			if err := h.ManualSAs().Add(&c); err != nil {
				return err
			}
		}
		return nil
	})
}

func carry(l *testLab) (res engine.AcquireResult) {
	l.host("a", func(h *engine.Host) error {
		var err error
		res, err = h.CarryTraffic(engine.Traffic{Local: addr("10.0.0.1"), Remote: addr("10.0.0.2")})
		return err
	})
	return res
}

const (
	sadbAES  = 12
	sadb3DES = 3
	sadbSHA1 = 3
)

// The newest mature SA the rule accepts carries the flow; one past its
// soft lifetime only when no mature one is left; an SA with another
// cipher never.
func TestCarryPicksNewestMatureAcceptedSA(t *testing.T) {
	l := carryLab(t, espRule(sadbAES, sadbSHA1, false), espRule(sadbAES, sadbSHA1, false))
	dying := manualESP(0x100, engine.CipherAES, 1, labClock.Add(-10*time.Second)) // the newest
	dying.SoftSecs = 5
	old := manualESP(0x200, engine.CipherAES, 2, labClock.Add(-time.Minute))
	newer := manualESP(0x300, engine.CipherAES, 3, labClock.Add(-20*time.Second))
	other := manualESP(0x400, engine.Cipher3DES, 4, labClock)
	addManual(l, "a", dying, old, newer, other)
	addManual(l, "b", dying, old, newer, other)
	res := carry(l)
	if len(res.Carriers) != 1 || res.Carriers[0].SPI != 0x300 || res.Peer != engine.PeerAccepts {
		t.Fatalf("carried by %+v (peer %v), want SPI 0x300 accepted", res.Carriers, res.Peer)
	}
	l.host("a", func(h *engine.Host) error {
		if _, err := h.ManualSAs().Delete(newer.Key()); err != nil {
			return err
		}
		_, err := h.ManualSAs().Delete(old.Key())
		return err
	})
	if res := carry(l); len(res.Carriers) != 1 || res.Carriers[0].SPI != 0x100 {
		t.Errorf("with only a dying AES SA left: %+v", res.Carriers)
	}
}

// A peer whose SA of the SPI has other keys, or whose policy wants
// another cipher, drops what the SA carries.
func TestCarryPeerRefusals(t *testing.T) {
	l := carryLab(t, espRule(sadbAES, sadbSHA1, false), espRule(sadbAES, sadbSHA1, false))
	addManual(l, "a", manualESP(0x100, engine.CipherAES, 1, labClock))
	addManual(l, "b", manualESP(0x100, engine.CipherAES, 9, labClock))
	if res := carry(l); res.Peer != engine.PeerKeyMismatch {
		t.Errorf("other keys at the peer: %v", res.Peer)
	}

	l = carryLab(t, espRule(sadbAES, sadbSHA1, false), espRule(sadb3DES, sadbSHA1, false))
	addManual(l, "a", manualESP(0x100, engine.CipherAES, 1, labClock))
	addManual(l, "b", manualESP(0x100, engine.CipherAES, 1, labClock))
	if res := carry(l); res.Peer != engine.PeerPolicyDrops {
		t.Errorf("peer policy wants 3DES: %v", res.Peer)
	}
}

// An "sa unique" entry's flows negotiate their own SA: no manual SA
// carries them.
func TestCarryUniqueTakesNoSA(t *testing.T) {
	l := carryLab(t, espRule(sadbAES, sadbSHA1, true), espRule(sadbAES, sadbSHA1, false))
	addManual(l, "a", manualESP(0x100, engine.CipherAES, 1, labClock))
	if res := carry(l); len(res.Carriers) != 0 || res.Verdict != engine.VerdictProtect {
		t.Errorf("unique flow carried by %+v", res.Carriers)
	}
}

// Deleting the outbound kernel policy of the rule leaves the flow to no
// entry: bypassed, nothing marked used.
func TestCarryAfterOutboundPolicyDeleted(t *testing.T) {
	l := carryLab(t, espRule(sadbAES, sadbSHA1, false), espRule(sadbAES, sadbSHA1, false))
	addManual(l, "a", manualESP(0x100, engine.CipherAES, 1, labClock))
	l.host("a", func(h *engine.Host) error { return h.IPsecPolicy().DeletePolicy("", 1) })
	if res := carry(l); res.Verdict != engine.VerdictBypass || len(res.Carriers) != 0 {
		t.Errorf("after -d 1: %+v", res)
	}
	l.host("a", func(h *engine.Host) error {
		sa, err := h.ManualSAs().Get(engine.ManualSAKey{Protocol: "ESP", SPI: 0x100, Dst: addr("10.0.0.2")})
		if err == nil && !sa.Used.IsZero() {
			t.Error("bypassed flow marked the SA used")
		}
		return err
	})
}

// The kernel's outbound bucket keeps SAs with a source address before
// those without one: a newer SA without a source comes second.
func TestCarryPrefersSAWithSource(t *testing.T) {
	l := carryLab(t, espRule(sadbAES, sadbSHA1, false), espRule(sadbAES, sadbSHA1, false))
	anySrc := manualESP(0x200, engine.CipherAES, 2, labClock)
	anySrc.Src = netip.Addr{}
	addManual(l, "a", manualESP(0x100, engine.CipherAES, 1, labClock.Add(-time.Hour)), anySrc)
	if res := carry(l); len(res.Carriers) != 1 || res.Carriers[0].SPI != 0x100 {
		t.Errorf("carried by %+v, want the SA with a source, 0x100", res.Carriers)
	}
}
