package engine_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// rawDaemon is host a's daemon record as the lab file holds it.
func rawDaemon(t *testing.T, l *testLab) []byte {
	t.Helper()
	var raw []byte
	err := l.db.View(func(st *store.Tx) error {
		h, err := st.Host("a")
		if err != nil {
			return err
		}
		v, err := h.Get("daemon")
		raw = bytes.Clone(v)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestTokenPINNeverInDaemonRecord(t *testing.T) {
	t.Parallel()
	l, creds, _ := certsLab(t, engine.GlobalConfig{})
	l.certs(creds, func(h *engine.Host) error { return h.Certs().TokenLogin("tok", "1234") })
	if raw := rawDaemon(t, l); bytes.Contains(raw, []byte("1234")) || bytes.Contains(raw, []byte(`"pin"`)) {
		t.Errorf("daemon record holds the PIN: %s", raw)
	}
	if len(creds.pins) != 1 {
		t.Fatalf("PIN store after login: %v", creds.pins)
	}
	for s, pin := range creds.pins {
		if s.Token != "tok" || s.Run.Host != "a" || s.Run.PID != 101 || pin != "1234" {
			t.Errorf("stored %+v = %q", s, pin)
		}
	}
	l.certs(creds, func(h *engine.Host) error { return h.Certs().TokenLogout("tok") })
	if len(creds.pins) != 0 {
		t.Errorf("PIN store after logout: %v", creds.pins)
	}
}

func TestTokenPINForgottenWithItsRun(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		end  func(h *engine.Host) error
	}{
		{"stop", func(h *engine.Host) error { return h.Daemons().SetIKE(engine.Daemon{}) }},
		{"restart", func(h *engine.Host) error {
			// A new run that (wrongly) claims the old run's session finds
			// no PIN for it: the key is locked.
			d, err := h.Daemons().IKE()
			if err != nil {
				return err
			}
			d.PID++
			return h.Daemons().SetIKE(d)
		}},
		{"remove host", func(h *engine.Host) error { return h.Tx().RemoveHost("a") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, creds, _ := certsLab(t, engine.GlobalConfig{})
			l.certs(creds, func(h *engine.Host) error { return h.Certs().TokenLogin("tok", "1234") })
			// A PIN a failed transaction stored without its session goes too.
			creds.pins[engine.PINSlot{Run: engine.DaemonRun{Host: "a", PID: 101}, Token: "orphan"}] = "9999"
			l.certs(creds, tc.end)
			if len(creds.pins) != 0 {
				t.Errorf("PIN store after %s: %v", tc.name, creds.pins)
			}
		})
	}
}

func TestTokenSessionWithoutPINIsLocked(t *testing.T) {
	t.Parallel()
	l, creds, _ := certsLab(t, engine.GlobalConfig{})
	l.certs(creds, func(h *engine.Host) error { return h.Certs().TokenLogin("tok", "1234") })
	clear(creds.pins) // as a reboot empties memory
	l.certs(creds, func(h *engine.Host) error {
		if got := cacheLines(t, h); got[2].linkage != engine.CertKeyLocked {
			t.Errorf("token key without its PIN: %+v", got[2])
		}
		return nil
	})
}

func TestTokenLoginWithoutPINStoreFails(t *testing.T) {
	t.Parallel()
	l, creds, _ := certsLab(t, engine.GlobalConfig{})
	creds.noPINStore = true
	err := l.db.Update(func(st *store.Tx) error {
		tx := engine.NewTx(st, l.now, nil)
		tx.SetCredentials(creds)
		h, err := tx.Host("a")
		if err != nil {
			return err
		}
		return h.Certs().TokenLogin("tok", "1234")
	})
	if err == nil || !strings.Contains(err.Error(), "keep token PIN: no memory-backed storage") {
		t.Fatalf("login without a PIN store: %v", err)
	}
	if raw := rawDaemon(t, l); bytes.Contains(raw, []byte("tok")) {
		t.Errorf("session recorded: %s", raw)
	}
}

// An older ikemu kept each PIN in the daemon record. Reading such a record
// drops the session; the first writable transaction rewrites it.
func TestLegacyPINDroppedFromDaemonRecord(t *testing.T) {
	t.Parallel()
	l, creds, _ := certsLab(t, engine.GlobalConfig{})
	legacy := json.RawMessage(`{"running":true,"pid":101,"priv":0,"debug":0,` +
		`"tokens":[{"label":"tok","pin":"s3cret-legacy","keys":[{"id":"Aw=="}]},{"label":"new"}]}`)
	err := l.db.Update(func(st *store.Tx) error {
		h, err := st.Host("a")
		if err != nil {
			return err
		}
		return h.Put("daemon", legacy)
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(h *engine.Host) {
		d, err := h.Daemons().IKE()
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Tokens) != 1 || d.Tokens[0].Label != "new" {
			t.Errorf("sessions %+v", d.Tokens)
		}
	}
	err = l.db.View(func(st *store.Tx) error {
		h, err := engine.NewTx(st, l.now, nil).Host("a")
		if err != nil {
			return err
		}
		check(h)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(rawDaemon(t, l), []byte("s3cret-legacy")) {
		t.Fatal("a read-only transaction wrote")
	}
	l.certs(creds, func(h *engine.Host) error { check(h); return nil })
	if raw := rawDaemon(t, l); bytes.Contains(raw, []byte("s3cret")) || bytes.Contains(raw, []byte(`"pin"`)) {
		t.Errorf("record after a writable read: %s", raw)
	}
}
