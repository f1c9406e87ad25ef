package engine

import (
	"errors"
	"testing"
)

// A record that does not decode is reported as damaged, whatever the
// codec that refused it.
func TestDamagedRecords(t *testing.T) {
	if _, err := unmarshalSA([]byte{99}); !errors.Is(err, ErrDamaged) {
		t.Errorf("SA of an unknown version: %v", err)
	}
	if _, err := unmarshalSA([]byte{saCodecVersion, 1}); !errors.Is(err, ErrDamaged) {
		t.Errorf("truncated SA: %v", err)
	}
	if _, err := (jsonCodec[Phase2Policy]{}).decode([]byte("{")); !errors.Is(err, ErrDamaged) {
		t.Errorf("row of broken JSON: %v", err)
	}
	if _, err := (vendorCodec{}).decode([]byte{0x80}); !errors.Is(err, ErrDamaged) {
		t.Errorf("vendor row with a broken length: %v", err)
	}
}
