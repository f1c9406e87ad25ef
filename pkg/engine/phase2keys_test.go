package engine_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Both ends of one Quick Mode hold the same SPIs and keys, in opposite
// directions, and each direction's key is split by the transform.
func TestQuickModeKeysBothEndsAgree(t *testing.T) {
	t.Parallel()
	l := pairLab(t, "k", "k", []engine.Transform{pskAES(2)}, []engine.Transform{pskAES(2)})
	l.update(func(tx *engine.Tx) error {
		a, _ := tx.Host("a")
		b, _ := tx.Host("b")
		sa, _, err := a.EnsurePhase1(addr(addrA), addr(addrB))
		if err != nil {
			return err
		}
		spec := engine.QuickModeSpec{Local: one(addrA), Remote: one(addrB), LifetimeSecs: 600,
			Proposal: engine.P2Transform{Protocol: "ESP", Cipher: engine.CipherAES, KeyBits: 256,
				Auth: engine.HashSHA1, Encapsulate: "Transport"}}
		mine, err := a.QuickMode(sa, spec)
		if err != nil {
			return err
		}
		var theirs *engine.Phase2SA
		_ = b.SAs().ScanPhase2(func(sa *engine.Phase2SA) error { theirs = sa; return nil })
		if theirs == nil {
			t.Fatal("responder holds no phase 2 SA")
		}
		k, r := mine.Keys, theirs.Keys
		if len(k.EncIn) != 32 || len(k.AuthIn) != 20 || len(k.EncOut) != 32 || len(k.AuthOut) != 20 {
			t.Errorf("key lengths enc %d/%d auth %d/%d", len(k.EncIn), len(k.EncOut), len(k.AuthIn), len(k.AuthOut))
		}
		if mine.SPIIn != theirs.SPIOut || mine.SPIOut != theirs.SPIIn {
			t.Errorf("SPIs %x/%x vs %x/%x", mine.SPIIn, mine.SPIOut, theirs.SPIIn, theirs.SPIOut)
		}
		if !bytes.Equal(k.EncIn, r.EncOut) || !bytes.Equal(k.AuthIn, r.AuthOut) ||
			!bytes.Equal(k.EncOut, r.EncIn) || !bytes.Equal(k.AuthOut, r.AuthIn) {
			t.Error("the two ends' keys differ")
		}
		if bytes.Equal(k.EncIn, k.EncOut) {
			t.Error("both directions have one key")
		}
		return nil
	})
}

// A phase 2 row stored before keys were kept still decodes, keyless.
func TestPhase2RowWithoutKeysDecodes(t *testing.T) {
	old := []byte(`{"tunnel_num":1,"p1_tunnel_num":1,"cky_i":1,"cky_r":2,"initiator":true,` +
		`"created":"2026-01-01T00:00:00Z","lifetime_secs":600,"proposal":{"protocol":"ESP","mode":"Tunnel"},` +
		`"pfs":0,"spi_in":1,"spi_out":2}`)
	var sa engine.Phase2SA
	if err := json.Unmarshal(old, &sa); err != nil {
		t.Fatal(err)
	}
	if sa.SPIOut != 2 || sa.Keys.EncIn != nil {
		t.Errorf("decoded %+v", sa)
	}
	again, _ := json.Marshal(&sa)
	if bytes.Contains(again, []byte(`"keys"`)) {
		t.Errorf("a keyless row grew a keys field: %s", again)
	}
}
