package engine_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

func p1sa(ckyI, ckyR uint64, local, remote string, created time.Time, life uint32) *engine.Phase1SA {
	return &engine.Phase1SA{CookieI: ckyI, CookieR: ckyR, Created: created, Local: one(local), Remote: one(remote),
		Xform: engine.Transform{Auth: engine.AuthPreshared, Cipher: engine.CipherAES, KeyMax: 128, Hash: engine.HashSHA1, Group: 2, LifetimeSecs: life}}
}

func phase1Cookies(t *testing.T, v engine.SAs) []uint64 {
	t.Helper()
	var out []uint64
	if err := v.ScanPhase1(func(sa *engine.Phase1SA) error { out = append(out, sa.CookieI); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestScanPhase1NewestFirstSkipsExpired(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		for i, life := range []uint32{3600, 60, 0, 7200} {
			sa := p1sa(uint64(i+1), 0xff, "10.0.0.1", "10.0.0.2", labClock, life)
			if err := h.SAs().AddPhase1(sa); err != nil {
				return err
			}
		}
		if got := phase1Cookies(t, h.SAs()); !reflect.DeepEqual(got, []uint64{4, 3, 2, 1}) {
			t.Errorf("newest first: %v", got)
		}
		return nil
	})
	l.now = labClock.Add(time.Minute) // SA 2 has exactly run out
	l.host("h", func(h *engine.Host) error {
		if got := phase1Cookies(t, h.SAs()); !reflect.DeepEqual(got, []uint64{4, 3, 1}) {
			t.Errorf("after a minute: %v", got)
		}
		var all []uint64
		err := h.SAs().ScanAllPhase1(func(sa *engine.Phase1SA) error { all = append(all, sa.CookieI); return nil })
		if !reflect.DeepEqual(all, []uint64{1, 2, 3, 4}) {
			t.Errorf("ScanAllPhase1 (oldest first, expired too): %v", all)
		}
		if _, err := h.SAs().Phase1ByCookies(2, 0xff); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("expired SA found by cookies: %v", err)
		}
		return err
	})
	l.now = labClock.Add(3 * time.Hour)
	l.host("h", func(h *engine.Host) error {
		if got := phase1Cookies(t, h.SAs()); !reflect.DeepEqual(got, []uint64{3}) {
			t.Errorf("after 3 h only the unlimited SA lives: %v", got)
		}
		return nil
	})
}

func TestPhase1ByCookiesAndDelete(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		for i := uint64(1); i <= 3; i++ {
			if err := h.SAs().AddPhase1(p1sa(i, i*10, "10.0.0.1", "10.0.0.2", labClock, 3600)); err != nil {
				return err
			}
		}
		return nil
	})
	l.host("h", func(h *engine.Host) error {
		sa, err := h.SAs().Phase1ByCookies(2, 20)
		if err != nil || sa.CookieR != 20 {
			t.Fatalf("lookup 2/20: %v %v", sa, err)
		}
		if _, err := h.SAs().Phase1ByCookies(2, 30); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("wrong responder cookie found: %v", err)
		}
		if err := h.SAs().DeletePhase1ByCookies(2, 20); err != nil {
			return err
		}
		if _, err := h.SAs().Phase1ByCookies(2, 20); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("deleted SA still found: %v", err)
		}
		if err := h.SAs().DeletePhase1ByCookies(2, 20); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
		if got := phase1Cookies(t, h.SAs()); !reflect.DeepEqual(got, []uint64{3, 1}) {
			t.Errorf("left: %v", got)
		}
		return nil
	})
}

func TestNewestPhase1PairIndex(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.SAs()
		if sa, err := v.NewestPhase1(addr("10.0.0.1"), addr("10.0.0.2")); sa != nil || err != nil {
			t.Errorf("empty host: %v %v", sa, err)
		}
		for _, sa := range []*engine.Phase1SA{
			p1sa(1, 1, "10.0.0.1", "10.0.0.2", labClock, 3600),
			p1sa(2, 2, "10.0.0.1", "10.0.0.3", labClock, 3600),
			p1sa(3, 3, "10.0.0.1", "10.0.0.2", labClock, 60),
		} {
			if err := v.AddPhase1(sa); err != nil {
				return err
			}
		}
		if sa, _ := v.NewestPhase1(addr("10.0.0.1"), addr("10.0.0.2")); sa == nil || sa.CookieI != 3 {
			t.Errorf("newest of the pair: %+v", sa)
		}
		if sa, _ := v.NewestPhase1(addr("10.0.0.2"), addr("10.0.0.1")); sa != nil {
			t.Errorf("pair is directional, got %+v", sa)
		}
		if err := v.DeletePhase1ByCookies(3, 3); err != nil {
			return err
		}
		if sa, _ := v.NewestPhase1(addr("10.0.0.1"), addr("10.0.0.3")); sa == nil || sa.CookieI != 2 {
			t.Errorf("other pair lost: %+v", sa)
		}
		return nil
	})
	l.now = labClock.Add(2 * time.Hour)
	l.host("h", func(h *engine.Host) error {
		if sa, _ := h.SAs().NewestPhase1(addr("10.0.0.1"), addr("10.0.0.3")); sa != nil {
			t.Errorf("expired SA returned as newest: %+v", sa)
		}
		return nil
	})
}

func TestDeletePhase1LimitAndFlush(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.SAs()
		for i := uint64(1); i <= 5; i++ {
			life := uint32(3600)
			if i == 5 {
				life = 30
			}
			if err := v.AddPhase1(p1sa(i, i, "10.0.0.1", "10.0.0.2", labClock, life)); err != nil {
				return err
			}
		}
		return nil
	})
	l.now = labClock.Add(time.Minute)
	l.host("h", func(h *engine.Host) error {
		v := h.SAs()
		all := func(*engine.Phase1SA) bool { return true }
		n, err := v.DeletePhase1(all, 2)
		if err != nil || n != 2 {
			t.Errorf("limit 2 deleted %d %v", n, err)
		}
		// The expired SA 5 is skipped; the newest live ones (4, 3) went.
		if got := phase1Cookies(t, v); !reflect.DeepEqual(got, []uint64{2, 1}) {
			t.Errorf("after limited delete: %v", got)
		}
		for _, c := range []uint64{3, 4} {
			if _, err := v.Phase1ByCookies(c, c); !errors.Is(err, engine.ErrNotFound) {
				t.Errorf("cookie index kept %d: %v", c, err)
			}
		}
		n, err = v.DeletePhase1All(func(sa *engine.Phase1SA) bool { return sa.CookieI == 5 })
		if err != nil || n != 1 {
			t.Errorf("DeletePhase1All of the expired SA: %d %v", n, err)
		}
		if err := v.FlushPhase1(); err != nil {
			return err
		}
		if got := phase1Cookies(t, v); len(got) != 0 {
			t.Errorf("after flush: %v", got)
		}
		if sa, _ := v.NewestPhase1(addr("10.0.0.1"), addr("10.0.0.2")); sa != nil {
			t.Errorf("pair index survived the flush: %+v", sa)
		}
		if err := v.AddPhase1(p1sa(9, 9, "10.0.0.1", "10.0.0.2", l.now, 3600)); err != nil {
			return err
		}
		if sa, err := v.Phase1ByCookies(9, 9); err != nil || sa == nil {
			t.Errorf("add after flush: %v", err)
		}
		return nil
	})
}

func TestUpdatePhase1RewritesLiveOnly(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		for i := uint64(1); i <= 3; i++ {
			if err := h.SAs().AddPhase1(p1sa(i, i, "10.0.0.1", "10.0.0.2", labClock, uint32(i)*60)); err != nil {
				return err
			}
		}
		return nil
	})
	l.now = labClock.Add(90 * time.Second) // SA 1 expired
	l.host("h", func(h *engine.Host) error {
		seen := 0
		err := h.SAs().UpdatePhase1(func(sa *engine.Phase1SA) bool {
			seen++
			sa.QMCreated = 7
			return sa.CookieI == 3
		})
		if seen != 2 {
			t.Errorf("fn saw %d SAs, want the 2 live ones", seen)
		}
		return err
	})
	l.host("h", func(h *engine.Host) error {
		return h.SAs().ScanAllPhase1(func(sa *engine.Phase1SA) error {
			want := uint32(0)
			if sa.CookieI == 3 {
				want = 7
			}
			if sa.QMCreated != want {
				t.Errorf("SA %d QMCreated %d, want %d", sa.CookieI, sa.QMCreated, want)
			}
			return nil
		})
	})
}

func TestPhase1SARoundTrip(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	in := &engine.Phase1SA{CookieI: 0x1122334455667788, CookieR: 0x99aabbccddeeff00, Initiator: true,
		Mode: engine.XchgAggressive, Created: labClock, PFS: 5,
		Xform: engine.Transform{Auth: engine.AuthRSASig, Cipher: engine.CipherAES, KeyMax: 256, Hash: engine.HashSHA256, Group: 14, LifetimeSecs: 28800, LifetimeKB: 1000},
		Local: span("fe80::1", "fe80::9"), Remote: one("2001:db8::2"), LocalPort: 500, RemotePort: 4500,
		PolicyLabel: "rule one", TunnelNum: 42, QMCreated: 3, QMDeleted: 1, Errors: engine.P1Errors{RXDecrypt: 1, RXHash: 2, RXOther: 300, TX: 4},
		Keys: engine.Phase1Keys{PSK: []byte("k"), SKEYID: []byte{1}, SKEYIDd: []byte{2}, SKEYIDa: []byte{3}, SKEYIDe: []byte{4}, EncKey: []byte{5, 6}, IV: []byte{7}}}
	l.host("h", func(h *engine.Host) error { return h.SAs().AddPhase1(in) })
	l.host("h", func(h *engine.Host) error {
		out, err := h.SAs().Phase1ByCookies(in.CookieI, in.CookieR)
		if err != nil {
			return err
		}
		if !out.Created.Equal(in.Created) {
			t.Errorf("created %v, want %v", out.Created, in.Created)
		}
		out.Created = in.Created
		if !reflect.DeepEqual(out, in) {
			t.Errorf("round trip:\n got %+v\nwant %+v", out, in)
		}
		return nil
	})
}

func TestPhase2SAsScanUpdateDelete(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		for i := uint32(1); i <= 4; i++ {
			sa := &engine.Phase2SA{TunnelNum: i, Created: labClock, LifetimeSecs: 600, Local: one("10.0.0.1"), Remote: one("10.0.0.2"),
				Proposal: engine.P2Transform{Protocol: "ESP", Cipher: engine.CipherAES, KeyBits: 128, Auth: engine.HashSHA1, Encapsulate: "Tunnel"}, SPIIn: 0x1000 + i, SPIOut: 0x2000 + i}
			if err := h.SAs().AddPhase2(sa); err != nil {
				return err
			}
		}
		return nil
	})
	l.host("h", func(h *engine.Host) error {
		v := h.SAs()
		if err := v.UpdatePhase2(func(sa *engine.Phase2SA) bool {
			if sa.TunnelNum%2 == 0 {
				sa.Status = engine.TunnelExpired
				return true
			}
			return false
		}); err != nil {
			return err
		}
		n, err := v.DeletePhase2(func(sa *engine.Phase2SA) bool { return sa.Status == engine.TunnelExpired })
		if err != nil || n != 2 {
			t.Errorf("deleted %d %v, want 2", n, err)
		}
		var nums []uint32
		err = v.ScanPhase2(func(sa *engine.Phase2SA) error {
			nums = append(nums, sa.TunnelNum)
			if sa.SPIIn != 0x1000+sa.TunnelNum || sa.Proposal.Encapsulate != "Tunnel" {
				t.Errorf("SA %d decoded as %+v", sa.TunnelNum, sa)
			}
			return nil
		})
		if !reflect.DeepEqual(nums, []uint32{1, 3}) {
			t.Errorf("left in order: %v", nums)
		}
		return err
	})
}

func TestPhase2SAExpiry(t *testing.T) {
	t.Parallel()
	sa := &engine.Phase2SA{Created: labClock, LifetimeSecs: 60}
	if sa.Expired(labClock.Add(59*time.Second)) || !sa.Expired(labClock.Add(60*time.Second)) {
		t.Error("phase 2 SA expires exactly at its lifetime")
	}
	if (&engine.Phase2SA{Created: labClock}).Expired(labClock.Add(1000 * time.Hour)) {
		t.Error("lifetime 0 never expires")
	}
}

func TestRevivedSAsOnClockMoveBack(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.SAs()
		// 1: created at 10:00, lives an hour; 2: created at 11:00.
		if err := v.AddPhase1(p1sa(1, 1, "10.0.0.1", "10.0.0.2", labClock, 3600)); err != nil {
			return err
		}
		if err := v.AddPhase1(p1sa(2, 2, "10.0.0.1", "10.0.0.2", labClock.Add(time.Hour), 3600)); err != nil {
			return err
		}
		return v.AddPhase2(&engine.Phase2SA{TunnelNum: 1, Created: labClock.Add(time.Hour), LifetimeSecs: 600})
	})
	l.now = labClock.Add(90 * time.Minute) // 1 expired, 2 live
	l.host("h", func(h *engine.Host) error {
		back := labClock.Add(30 * time.Minute)
		r, err := h.SAs().CountRevived(back)
		if err != nil {
			return err
		}
		if r != (engine.RevivedSAs{Phase1: 2, Phase2: 1}) || r.Total() != 3 {
			t.Errorf("CountRevived: %+v", r)
		}
		if r, _ := h.SAs().CountRevived(l.now.Add(time.Hour)); r.Total() != 0 {
			t.Errorf("moving forward revives %+v", r)
		}
		d, err := h.SAs().DeleteRevived(back)
		if err != nil || d != r {
			t.Errorf("DeleteRevived %+v %v, want %+v", d, err, r)
		}
		if got := phase1Cookies(t, h.SAs()); len(got) != 0 {
			t.Errorf("left: %v", got)
		}
		return nil
	})
}

// Once the newest SA of a pair is deleted or has expired, an older SA of
// the pair that is still live is the one an ACQUIRE reuses.
func TestNewestPhase1FallsBackToOlderLiveSA(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.SAs()
		if err := v.AddPhase1(p1sa(1, 1, "10.0.0.1", "10.0.0.2", labClock, 28800)); err != nil {
			return err
		}
		if err := v.AddPhase1(p1sa(2, 2, "10.0.0.1", "10.0.0.2", labClock, 60)); err != nil {
			return err
		}
		if err := v.AddPhase1(p1sa(3, 3, "10.0.0.1", "10.0.0.2", labClock, 3600)); err != nil {
			return err
		}
		if err := v.DeletePhase1ByCookies(3, 3); err != nil {
			return err
		}
		return nil
	})
	l.now = labClock.Add(time.Hour) // SA 2 expired; SA 1 lives
	l.host("h", func(h *engine.Host) error {
		if sa, _ := h.SAs().NewestPhase1(addr("10.0.0.1"), addr("10.0.0.2")); sa == nil || sa.CookieI != 1 {
			t.Errorf("newest live SA of the pair: %+v, want SA 1", sa)
		}
		return nil
	})
}

// A lab written before the pair index kept every SA has only a single
// pair entry naming the newest SA; NewestPhase1 still finds that SA.
func TestNewestPhase1OlderLabPairEntry(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.update(func(tx *engine.Tx) error {
		h, err := tx.Host("h")
		if err != nil {
			return err
		}
		if err := h.SAs().AddPhase1(p1sa(7, 7, "10.0.0.1", "10.0.0.2", labClock, 3600)); err != nil {
			return err
		}
		hb, err := tx.Store().Host("h")
		if err != nil {
			return err
		}
		tb := hb.Table("p1sa")
		const key = "pair 10.0.0.1 10.0.0.2"
		if err := tb.DeleteSeqIndex(key, 1); err != nil {
			return err
		}
		err = tb.ScanSeqIndexReverse(key, func(s store.Seq) (bool, error) {
			t.Errorf("pair index still names row %d", s)
			return true, nil
		})
		if err != nil {
			return err
		}
		return tb.SetIndex(key, 1)
	})
	l.host("h", func(h *engine.Host) error {
		if sa, err := h.SAs().NewestPhase1(addr("10.0.0.1"), addr("10.0.0.2")); err != nil || sa == nil || sa.CookieI != 7 {
			t.Errorf("NewestPhase1 through the older entry: %+v %v", sa, err)
		}
		if err := h.SAs().DeletePhase1ByCookies(7, 7); err != nil {
			return err
		}
		if sa, _ := h.SAs().NewestPhase1(addr("10.0.0.1"), addr("10.0.0.2")); sa != nil {
			t.Errorf("deleted SA found: %+v", sa)
		}
		return nil
	})
}

// OldestLivePhase2 walks one traffic's SAs through the index: the oldest
// live one, expired and deleted ones skipped, other traffic never seen.
func TestOldestLivePhase2ByTraffic(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	a, b, c := one("10.0.0.1"), one("10.0.0.2"), one("10.0.0.3")
	l.host("h", func(h *engine.Host) error {
		for _, sa := range []*engine.Phase2SA{
			{TunnelNum: 1, Created: labClock.Add(-time.Hour), LifetimeSecs: 60, Local: a, Remote: b}, // expired
			{TunnelNum: 2, Created: labClock, LifetimeSecs: 600, Local: a, Remote: c},
			{TunnelNum: 3, Created: labClock, LifetimeSecs: 600, Local: a, Remote: b},
			{TunnelNum: 4, Created: labClock, LifetimeSecs: 600, Local: a, Remote: b},
		} {
			if err := h.SAs().AddPhase2(sa); err != nil {
				return err
			}
		}
		return nil
	})
	l.host("h", func(h *engine.Host) error {
		v := h.SAs()
		if sa, err := v.OldestLivePhase2(a, b); err != nil || sa == nil || sa.TunnelNum != 3 {
			t.Errorf("a<->b: %+v %v, want tunnel 3", sa, err)
		}
		if _, err := v.DeletePhase2(func(sa *engine.Phase2SA) bool { return sa.TunnelNum == 3 }); err != nil {
			return err
		}
		if sa, _ := v.OldestLivePhase2(a, b); sa == nil || sa.TunnelNum != 4 {
			t.Errorf("after deleting 3: %+v, want tunnel 4", sa)
		}
		if sa, _ := v.OldestLivePhase2(b, a); sa != nil {
			t.Errorf("b<->a is other traffic: %+v", sa)
		}
		if sa, _ := v.OldestLivePhase2(a, c); sa == nil || sa.TunnelNum != 2 {
			t.Errorf("a<->c: %+v", sa)
		}
		return nil
	})
}

// Drops the wire recorded land on the live SA they name and in the
// statistics; a gone SA's share is only in the statistics.
func TestRecordWireDrops(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	sa := &engine.Phase1SA{CookieI: 1, CookieR: 2, Created: labClock, Local: one("10.0.0.1"), Remote: one("10.0.0.2"),
		Xform: engine.Transform{LifetimeSecs: 3600}}
	l.host("h", func(h *engine.Host) error { return h.SAs().AddPhase1(sa) })
	l.host("h", func(h *engine.Host) error {
		var d engine.WireDrops
		d.RX = engine.RXDrops{Malformed: 1, Replays: 2, Refused: 3}
		d.CountOnSA(1, 2, engine.P1Errors{RXDecrypt: 1})
		d.CountOnSA(1, 2, engine.P1Errors{RXHash: 1, RXOther: 2})
		d.CountOnSA(7, 8, engine.P1Errors{RXOther: 1})
		if err := h.RecordWireDrops(d); err != nil {
			return err
		}
		return h.RecordWireDrops(engine.WireDrops{RX: engine.RXDrops{UnknownCookie: 4}})
	})
	l.host("h", func(h *engine.Host) error {
		got, err := h.SAs().Phase1ByCookies(1, 2)
		if err != nil {
			return err
		}
		if want := (engine.P1Errors{RXDecrypt: 1, RXHash: 1, RXOther: 2}); got.Errors != want || got.Errors.RX() != 4 {
			t.Errorf("SA errors %+v, want %+v", got.Errors, want)
		}
		st, err := h.Daemons().Counters()
		if err != nil {
			return err
		}
		if want := (engine.RXDrops{Malformed: 1, UnknownCookie: 4, Replays: 2, Refused: 3}); st.RX != want {
			t.Errorf("stats RX %+v, want %+v", st.RX, want)
		}
		return nil
	})
}
