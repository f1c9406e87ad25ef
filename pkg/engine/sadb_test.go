package engine_test

import (
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// events are the host's SADB events after number n.
func events(t *testing.T, h *engine.Host, n uint64) []*engine.SADBEvent {
	t.Helper()
	var out []*engine.SADBEvent
	if err := h.SADB().Since(n, func(_ uint64, e *engine.SADBEvent) error {
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func manualSA(spi uint32, now time.Time) *engine.ManualSA {
	return &engine.ManualSA{Protocol: "ESP", SPI: spi, Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"),
		Cipher: engine.CipherAES, EncKey: []byte("0123456789abcdef"), Auth: engine.HashSHA1,
		AuthKey: []byte("0123456789abcdefghij"), Added: now, SoftSecs: 300, HardSecs: 600}
}

func TestSADBEventsOfManualSAsCarryNoKeys(t *testing.T) {
	l := newTestLab(t)
	l.addHost("a", "10.0.0.1")
	l.host("a", func(h *engine.Host) error {
		h.Tx().SetSADBSender(engine.SADBSender{PID: 42, Seq: 7})
		sa := manualSA(0x1000, h.Now())
		if err := h.ManualSAs().Add(sa); err != nil {
			return err
		}
		if err := h.ManualSAs().Update(sa); err != nil {
			return err
		}
		if _, err := h.ManualSAs().Delete(sa.Key()); err != nil {
			return err
		}
		return h.SADB().Flush("AH")
	})
	l.host("a", func(h *engine.Host) error {
		got := events(t, h, 0)
		kinds := []engine.SADBKind{engine.SADBAdd, engine.SADBUpdate, engine.SADBDelete, engine.SADBFlush}
		if len(got) != len(kinds) {
			t.Fatalf("%d events, want %d", len(got), len(kinds))
		}
		for i, e := range got {
			if e.Kind != kinds[i] || e.PID != 42 || e.Seq != 7 || !e.At.Equal(labClock) {
				t.Errorf("event %d: %+v", i, e)
			}
			if e.Manual != nil && (e.Manual.AuthKey != nil || e.Manual.EncKey != nil) {
				t.Errorf("event %d keeps keys", i)
			}
		}
		if got[3].Protocol != "AH" {
			t.Errorf("flush of %q", got[3].Protocol)
		}
		return nil
	})
}

func TestSADBEventsAreBounded(t *testing.T) {
	l := newTestLab(t)
	l.addHost("a", "10.0.0.1")
	const n = 5000
	l.host("a", func(h *engine.Host) error {
		for i := range n {
			if err := h.ManualSAs().Add(manualSA(uint32(0x1000+i), h.Now())); err != nil {
				return err
			}
		}
		return nil
	})
	l.host("a", func(h *engine.Host) error {
		last, err := h.SADB().Last()
		if err != nil || last != n {
			t.Fatalf("last event %d (%v), want %d", last, err, n)
		}
		// The newest 4,096 are kept, and at most 512 more between trims.
		got := events(t, h, 0)
		if len(got) < 4096 || len(got) > 4096+512 || got[0].Manual.SPI != uint32(0x1000+n-len(got)) {
			t.Errorf("%d events kept, first spi %#x", len(got), got[0].Manual.SPI)
		}
		if len(events(t, h, n-3)) != 3 {
			t.Error("events after a number")
		}
		return nil
	})
}

func TestSADBExpiriesOnTheLabClock(t *testing.T) {
	l := newTestLab(t)
	l.addHost("a", "10.0.0.1")
	l.host("a", func(h *engine.Host) error { return h.ManualSAs().Add(manualSA(0x1000, h.Now())) })
	l.host("a", func(h *engine.Host) error {
		var got []*engine.SADBEvent
		next, err := h.SADB().Expiries(labClock, labClock.Add(6*time.Minute), func(e *engine.SADBEvent) error {
			got = append(got, e)
			return nil
		})
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0].Hard || !got[0].At.Equal(labClock.Add(5*time.Minute)) {
			t.Errorf("soft expiry: %+v", got)
		}
		if !next.Equal(labClock.Add(10 * time.Minute)) {
			t.Errorf("next deadline %v", next)
		}
		return nil
	})
	// A deletion after both lifetimes ran out records them first.
	l.now = labClock.Add(11 * time.Minute)
	l.host("a", func(h *engine.Host) error {
		_, err := h.ManualSAs().Delete(manualSA(0x1000, labClock).Key())
		return err
	})
	l.host("a", func(h *engine.Host) error {
		got := events(t, h, 1)
		if len(got) != 2 || got[0].Kind != engine.SADBExpire || got[0].Hard || !got[1].Hard {
			t.Fatalf("recorded expiries: %+v", got)
		}
		if swept, err := h.SADB().Swept(); err != nil || !swept.Equal(l.now) {
			t.Errorf("swept to %v (%v)", swept, err)
		}
		return nil
	})
}
