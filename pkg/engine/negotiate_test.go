package engine_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

const (
	addrA = "10.0.0.1"
	addrB = "10.0.0.2"
)

// pairLab is two running lab hosts, a (10.0.0.1) and b (10.0.0.2), each
// with a rule for the other and, unless keyB differs, the same key.
func pairLab(t *testing.T, keyA, keyB string, ta, tb []engine.Transform) *testLab {
	t.Helper()
	l := newTestLab(t)
	setup := func(tx *engine.Tx, name, local, remote, key string, xs []engine.Transform) error {
		h, err := addHostTx(tx, name, local)
		if err != nil {
			return err
		}
		r := rule("to-"+remote, "solaris", []engine.AddrRange{one(local)}, []engine.AddrRange{one(remote)})
		r.Transforms, r.P2PFS, r.P2LifetimeSecs = xs, 2, 1800
		if err := h.Policies().ReplacePhase1("solaris", []engine.Phase1Policy{r}, engine.GlobalConfig{}); err != nil {
			return err
		}
		if key == "" {
			return nil
		}
		return h.Keys().Replace("solaris", []engine.PresharedKey{psk(local, -1, remote, -1, key, "solaris")})
	}
	l.update(func(tx *engine.Tx) error {
		if err := setup(tx, "a", addrA, addrB, keyA, ta); err != nil {
			return err
		}
		return setup(tx, "b", addrB, addrA, keyB, tb)
	})
	return l
}

func stats(t *testing.T, h *engine.Host) engine.StatsView {
	t.Helper()
	sv, err := h.Daemons().Stats()
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// acquire runs Acquire on a and returns both hosts' views after it in
// the same transaction, plus its error.
func acquire(t *testing.T, l *testLab, fn func(a, b *engine.Host, sa *engine.Phase1SA, reused bool, err error)) {
	t.Helper()
	l.update(func(tx *engine.Tx) error {
		a, err := tx.Host("a")
		if err != nil {
			return err
		}
		sa, reused, nerr := a.Acquire(addr(addrA), addr(addrB))
		b, err := tx.Host("b")
		if err != nil {
			return err
		}
		fn(a, b, sa, reused, nerr)
		return nil
	})
}

func negotiationKind(err error) engine.FailureKind {
	var ne *engine.NegotiationError
	if errors.As(err, &ne) {
		return ne.Kind
	}
	return ""
}

func TestAcquireBetweenLabHostsPSK(t *testing.T) {
	t.Parallel()
	l := pairLab(t, "secret", "secret", []engine.Transform{pskAES(2)}, []engine.Transform{pskAES(2)})
	acquire(t, l, func(a, b *engine.Host, sa *engine.Phase1SA, reused bool, err error) {
		if err != nil || reused {
			t.Fatalf("Acquire: %v reused %v", err, reused)
		}
		if !sa.Initiator || sa.Local != one(addrA) || sa.Remote != one(addrB) || sa.PolicyLabel != "to-"+addrB {
			t.Errorf("initiator SA %+v", sa)
		}
		peer, err := b.SAs().Phase1ByCookies(sa.CookieI, sa.CookieR)
		if err != nil {
			t.Fatalf("responder has no SA with the same cookies: %v", err)
		}
		if peer.Initiator || peer.Local != one(addrB) || peer.Remote != one(addrA) || peer.PolicyLabel != "to-"+addrA {
			t.Errorf("responder SA %+v", peer)
		}
		for name, pair := range map[string][2][]byte{
			"SKEYID": {sa.Keys.SKEYID, peer.Keys.SKEYID}, "SKEYID_d": {sa.Keys.SKEYIDd, peer.Keys.SKEYIDd},
			"SKEYID_a": {sa.Keys.SKEYIDa, peer.Keys.SKEYIDa}, "SKEYID_e": {sa.Keys.SKEYIDe, peer.Keys.SKEYIDe},
			"enc key": {sa.Keys.EncKey, peer.Keys.EncKey}, "IV": {sa.Keys.IV, peer.Keys.IV},
		} {
			if len(pair[0]) == 0 || !bytes.Equal(pair[0], pair[1]) {
				t.Errorf("%s differs or is empty: %x / %x", name, pair[0], pair[1])
			}
		}
		if len(sa.Keys.EncKey) != 16 {
			t.Errorf("AES-128 encryption key is %d bytes", len(sa.Keys.EncKey))
		}
		if sa.Xform.KeyMax != 128 || sa.Xform.Group != 2 || sa.Mode != engine.XchgMain {
			t.Errorf("negotiated %+v mode %d", sa.Xform, sa.Mode)
		}
		if sa.TunnelNum != 1 || peer.TunnelNum != 1 {
			t.Errorf("tunnel numbers %d %d", sa.TunnelNum, peer.TunnelNum)
		}
		if s := stats(t, a); s.InitAttempts != 1 || s.InitTotal != 1 || s.InitCurrent != 1 || s.InitRespFail != 0 {
			t.Errorf("initiator stats %+v", s)
		}
		if s := stats(t, b); s.RespAttempts != 1 || s.RespTotal != 1 || s.RespCurrent != 1 {
			t.Errorf("responder stats %+v", s)
		}
		// Quick Mode ran once: each end has one phase 2 SA, SPIs mirrored.
		p2a, p2b := onlyPhase2(t, a), onlyPhase2(t, b)
		if p2a == nil || p2b == nil {
			return
		}
		if p2a.SPIIn != p2b.SPIOut || p2a.SPIOut != p2b.SPIIn || p2a.SPIIn == p2a.SPIOut {
			t.Errorf("SPIs not mirrored: a in %x out %x, b in %x out %x", p2a.SPIIn, p2a.SPIOut, p2b.SPIIn, p2b.SPIOut)
		}
		if p2a.PFS != 2 || p2a.LifetimeSecs != 1800 || p2a.Proposal.Protocol != "ESP" || p2a.Local != one(addrA) || p2b.Local != one(addrB) {
			t.Errorf("phase 2 from the rule: %+v / %+v", p2a, p2b)
		}
		if p2a.CookieI != sa.CookieI || p2b.CookieR != sa.CookieR || p2a.P1TunnelNum != sa.TunnelNum {
			t.Errorf("phase 2 not tied to its phase 1: %+v", p2a)
		}
		now, _ := a.SAs().Phase1ByCookies(sa.CookieI, sa.CookieR)
		then, _ := b.SAs().Phase1ByCookies(sa.CookieI, sa.CookieR)
		if now.QMCreated != 1 || then.QMCreated != 1 {
			t.Errorf("QM counters %d %d", now.QMCreated, then.QMCreated)
		}
	})
	// A second ACQUIRE reuses the SA and adds a second Quick Mode.
	acquire(t, l, func(a, b *engine.Host, sa *engine.Phase1SA, reused bool, err error) {
		if err != nil || !reused {
			t.Fatalf("second Acquire: %v reused %v", err, reused)
		}
		if s := stats(t, a); s.InitAttempts != 1 {
			t.Errorf("reuse counted an attempt: %+v", s)
		}
		n := 0
		_ = b.SAs().ScanPhase2(func(*engine.Phase2SA) error { n++; return nil })
		if n != 2 {
			t.Errorf("responder has %d phase 2 SAs, want 2", n)
		}
	})
	// Once the phase 1 SA expired, a new one is negotiated.
	l.now = labClock.Add(2 * time.Hour)
	acquire(t, l, func(a, b *engine.Host, sa *engine.Phase1SA, reused bool, err error) {
		if err != nil || reused {
			t.Fatalf("after expiry: %v reused %v", err, reused)
		}
		if sa.TunnelNum != 2 {
			t.Errorf("new SA's tunnel number %d, want 2", sa.TunnelNum)
		}
	})
}

func onlyPhase2(t *testing.T, h *engine.Host) *engine.Phase2SA {
	t.Helper()
	var out []*engine.Phase2SA
	_ = h.SAs().ScanPhase2(func(sa *engine.Phase2SA) error { out = append(out, sa); return nil })
	if len(out) != 1 {
		t.Errorf("host %s has %d phase 2 SAs, want 1", h.Info.Name, len(out))
		return nil
	}
	return out[0]
}

func TestAcquireDeterministic(t *testing.T) {
	t.Parallel()
	var keys [][]byte
	for range 2 {
		l := pairLab(t, "k", "k", []engine.Transform{pskAES(2)}, []engine.Transform{pskAES(2)})
		acquire(t, l, func(_, _ *engine.Host, sa *engine.Phase1SA, _ bool, err error) {
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, sa.Keys.SKEYID)
		})
	}
	if !bytes.Equal(keys[0], keys[1]) {
		t.Error("same seed, different keys")
	}
}

func TestAcquirePSKMismatch(t *testing.T) {
	t.Parallel()
	l := pairLab(t, "secret", "other", []engine.Transform{pskAES(2)}, []engine.Transform{pskAES(2)})
	acquire(t, l, func(a, b *engine.Host, sa *engine.Phase1SA, _ bool, err error) {
		if negotiationKind(err) != engine.FailAuth || sa != nil {
			t.Fatalf("want auth failure, got %v %+v", err, sa)
		}
		if s := stats(t, a); s.InitAttempts != 1 || s.InitRespFail != 1 || s.InitTotal != 0 || s.InitCurrent != 0 {
			t.Errorf("initiator stats %+v", s)
		}
		if s := stats(t, b); s.RespAttempts != 1 || s.RespFail != 1 || s.RespTotal != 0 || s.RespCurrent != 0 {
			t.Errorf("responder stats %+v", s)
		}
		for _, h := range []*engine.Host{a, b} {
			if hold, _ := h.Holding(); hold != "loaded rules" {
				t.Errorf("host %s holds %q after a failed negotiation", h.Info.Name, hold)
			}
		}
	})
}

func TestAcquireMissingKeys(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, keyA, keyB string }{{"initiator", "", "k"}, {"responder", "k", ""}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l := pairLab(t, c.keyA, c.keyB, []engine.Transform{pskAES(2)}, []engine.Transform{pskAES(2)})
			acquire(t, l, func(a, b *engine.Host, _ *engine.Phase1SA, _ bool, err error) {
				if negotiationKind(err) != engine.FailAuth {
					t.Errorf("want auth failure, got %v", err)
				}
				if s := stats(t, b); s.RespFail != 1 {
					t.Errorf("responder stats %+v", s)
				}
			})
		})
	}
}

func TestAcquireProposalMismatch(t *testing.T) {
	t.Parallel()
	other := pskAES(2)
	other.Hash = engine.HashMD5
	l := pairLab(t, "k", "k", []engine.Transform{pskAES(2)}, []engine.Transform{other})
	acquire(t, l, func(a, b *engine.Host, _ *engine.Phase1SA, _ bool, err error) {
		if negotiationKind(err) != engine.FailNoProposal {
			t.Fatalf("want no-proposal, got %v", err)
		}
		if s := stats(t, a); s.InitRespFail != 1 {
			t.Errorf("initiator stats %+v", s)
		}
		if s := stats(t, b); s.RespFail != 1 || s.RespAttempts != 1 {
			t.Errorf("responder stats %+v", s)
		}
	})
}

func TestAcquireModeMismatch(t *testing.T) {
	t.Parallel()
	l := pairLab(t, "k", "k", []engine.Transform{pskAES(2)}, []engine.Transform{pskAES(2)})
	l.host("b", func(h *engine.Host) error {
		p, err := h.Policies().Phase1ByLabel("to-" + addrA)
		if err != nil {
			return err
		}
		p.Mode = engine.XchgAggressive
		return h.Policies().RewritePhase1(p)
	})
	acquire(t, l, func(_, _ *engine.Host, _ *engine.Phase1SA, _ bool, err error) {
		if negotiationKind(err) != engine.FailNoProposal {
			t.Errorf("want no-proposal for main vs aggressive, got %v", err)
		}
	})
}

func TestAcquireNoRule(t *testing.T) {
	t.Parallel()
	t.Run("initiator", func(t *testing.T) {
		t.Parallel()
		l := pairLab(t, "k", "k", []engine.Transform{pskAES(2)}, []engine.Transform{pskAES(2)})
		l.update(func(tx *engine.Tx) error {
			a, _ := tx.Host("a")
			_, _, err := a.Acquire(addr(addrA), addr("10.0.0.99"))
			if negotiationKind(err) != engine.FailNoPolicy {
				t.Errorf("want no-policy, got %v", err)
			}
			if s := stats(t, a); s.InitAttempts != 0 || s.InitRespFail != 0 {
				t.Errorf("a dropped ACQUIRE counts nothing: %+v", s)
			}
			return nil
		})
	})
	t.Run("responder", func(t *testing.T) {
		t.Parallel()
		l := pairLab(t, "k", "k", []engine.Transform{pskAES(2)}, []engine.Transform{pskAES(2)})
		l.host("b", func(h *engine.Host) error { return h.Policies().DeletePhase1("to-" + addrA) })
		acquire(t, l, func(a, b *engine.Host, _ *engine.Phase1SA, _ bool, err error) {
			if negotiationKind(err) != engine.FailNoProposal {
				t.Errorf("want no-proposal, got %v", err)
			}
			if s := stats(t, b); s.RespFail != 1 {
				t.Errorf("responder stats %+v", s)
			}
		})
	})
}

func TestAcquireResponderDaemonStopped(t *testing.T) {
	t.Parallel()
	l := pairLab(t, "k", "k", []engine.Transform{pskAES(2)}, []engine.Transform{pskAES(2)})
	l.host("b", func(h *engine.Host) error { return h.Daemons().SetIKE(engine.Daemon{}) })
	acquire(t, l, func(a, b *engine.Host, _ *engine.Phase1SA, _ bool, err error) {
		if negotiationKind(err) != engine.FailNoResponse {
			t.Errorf("want no-response, got %v", err)
		}
		if s := stats(t, a); s.InitNoResp != 1 || s.InitRespFail != 0 {
			t.Errorf("initiator stats %+v", s)
		}
		if s := stats(t, b); s.RespAttempts != 0 {
			t.Errorf("a stopped daemon counted %+v", s)
		}
	})
}

func TestAcquireUnsupportedGroup(t *testing.T) {
	t.Parallel()
	x := pskAES(99)
	l := pairLab(t, "k", "k", []engine.Transform{x}, []engine.Transform{x})
	acquire(t, l, func(_, _ *engine.Host, _ *engine.Phase1SA, _ bool, err error) {
		if negotiationKind(err) != engine.FailNotSupported {
			t.Errorf("want not-supported, got %v", err)
		}
	})
}

func TestAcquireOutsidePeers(t *testing.T) {
	t.Parallel()
	const outside = "192.0.2.7"
	cases := []struct {
		behavior engine.PeerBehavior
		want     engine.FailureKind
		noResp   uint32
		respFail uint32
	}{
		{engine.PeerAccept, "", 0, 0},
		{engine.PeerNoResponse, engine.FailNoResponse, 1, 0},
		{engine.PeerRejectProposal, engine.FailNoProposal, 0, 1},
		{engine.PeerAuthFail, engine.FailAuth, 0, 1},
	}
	for _, c := range cases {
		t.Run(string(c.behavior), func(t *testing.T) {
			t.Parallel()
			l := newTestLab(t)
			l.addHost("a", addrA)
			l.update(func(tx *engine.Tx) error {
				if c.behavior != engine.PeerAccept {
					if err := tx.SetPeer(addr(outside), c.behavior); err != nil {
						return err
					}
				}
				a, _ := tx.Host("a")
				r := rule("out", "aix", []engine.AddrRange{one(addrA)}, []engine.AddrRange{one(outside)})
				if err := a.Policies().ReplacePhase1("aix", []engine.Phase1Policy{r}, engine.GlobalConfig{}); err != nil {
					return err
				}
				if err := a.Keys().Replace("aix", []engine.PresharedKey{psk(addrA, -1, outside, -1, "k", "aix")}); err != nil {
					return err
				}
				sa, _, err := a.Acquire(addr(addrA), addr(outside))
				if negotiationKind(err) != c.want || (c.want == "" && err != nil) {
					t.Fatalf("got %v, want %q", err, c.want)
				}
				s := stats(t, a)
				if s.InitAttempts != 1 || s.InitNoResp != c.noResp || s.InitRespFail != c.respFail {
					t.Errorf("stats %+v", s)
				}
				if c.want == "" {
					if sa == nil || s.InitTotal != 1 || s.InitCurrent != 1 {
						t.Errorf("accepting peer: SA %+v stats %+v", sa, s)
					}
					// Quick Mode with an outside peer leaves only our end.
					onlyPhase2(t, a)
				}
				return nil
			})
		})
	}
}

func TestQuickModeExplicitSpec(t *testing.T) {
	t.Parallel()
	l := pairLab(t, "k", "k", []engine.Transform{pskAES(2)}, []engine.Transform{pskAES(2)})
	l.update(func(tx *engine.Tx) error {
		a, _ := tx.Host("a")
		b, _ := tx.Host("b")
		sa, reused, err := a.EnsurePhase1(addr(addrA), addr(addrB))
		if err != nil || reused {
			t.Fatalf("EnsurePhase1 %v %v", err, reused)
		}
		if again, reused, _ := a.EnsurePhase1(addr("::ffff:"+addrA), addr(addrB)); !reused || again.CookieI != sa.CookieI {
			t.Errorf("v4-mapped addresses did not find the SA: %v", reused)
		}
		spec := engine.QuickModeSpec{Local: span("10.1.0.0", "10.1.0.255"), Remote: span("10.2.0.0", "10.2.0.255"),
			Proposal: engine.P2Transform{Protocol: "AH", Auth: engine.HashSHA256, Encapsulate: "Tunnel"},
			PFS:      14, LifetimeSecs: 600, LifetimeKB: 1000, Policy: "mine", PeerPolicy: "theirs"}
		for i := range 2 {
			p2, err := a.QuickMode(sa, spec)
			if err != nil {
				return err
			}
			if p2.TunnelNum != uint32(i+1) || p2.PolicyName != "mine" || p2.Local != spec.Local {
				t.Errorf("QM %d: %+v", i, p2)
			}
		}
		var theirs []*engine.Phase2SA
		_ = b.SAs().ScanPhase2(func(sa *engine.Phase2SA) error { theirs = append(theirs, sa); return nil })
		if len(theirs) != 2 || theirs[1].TunnelNum != 2 || theirs[0].PolicyName != "theirs" || theirs[0].Local != spec.Remote || theirs[0].Initiator {
			t.Errorf("responder's phase 2 SAs %+v", theirs)
		}
		if sa.QMCreated != 2 {
			t.Errorf("caller's SA QMCreated %d", sa.QMCreated)
		}
		return nil
	})
}
