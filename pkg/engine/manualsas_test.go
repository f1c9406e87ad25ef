package engine_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

func TestManualSAsByName(t *testing.T) {
	withHost(t, tempDB(t), func(h *engine.Host) error {
		m := h.ManualSAs()
		sa := &engine.ManualSA{Protocol: "ESP", SPI: 0x1000, Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"),
			Cipher: engine.CipherAES, EncKey: make([]byte, 16), Added: h.Now()}
		if err := m.Add(sa); err != nil {
			return err
		}
		if err := m.Add(sa); !errors.Is(err, engine.ErrDuplicate) {
			t.Errorf("second add: %v", err)
		}
		other := *sa
		other.SPI = 0x2000
		if err := m.Update(&other); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("update of a missing SA: %v", err)
		}
		sa.Replay = 7
		if err := m.Update(sa); err != nil {
			return err
		}
		got, err := m.Get(sa.Key())
		if err != nil || got == nil || got.Replay != 7 {
			t.Errorf("get after update: %+v %v", got, err)
		}
		if gone, err := m.Delete(sa.Key()); !gone || err != nil {
			t.Errorf("delete: %v %v", gone, err)
		}
		if got, _ := m.Get(sa.Key()); got != nil {
			t.Errorf("deleted SA still there: %+v", got)
		}
		return nil
	})
}

func TestManualSAExpiresAtHardLifetime(t *testing.T) {
	now := time.Date(2026, 3, 4, 10, 15, 0, 0, time.UTC)
	sa := engine.ManualSA{Added: now, HardSecs: 600}
	if sa.Expired(now.Add(599*time.Second)) || !sa.Expired(now.Add(600*time.Second)) {
		t.Error("hard lifetime")
	}
	if (&engine.ManualSA{Added: now}).Expired(now.Add(1000 * time.Hour)) {
		t.Error("an SA without a lifetime expired")
	}
}
