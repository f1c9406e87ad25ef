package engine

import (
	"testing"
	"time"
)

// A record written before the error counters (version 2) still reads,
// with zero errors; one written now keeps them.
func TestSACodecReadsVersion2(t *testing.T) {
	sa := &Phase1SA{CookieI: 1, CookieR: 2, Created: time.Unix(0, 5), TunnelNum: 7,
		Errors: P1Errors{RXDecrypt: 1, RXHash: 2, RXOther: 3, TX: 4}}
	raw := sa.marshalBinary()
	v2 := append([]byte{2}, raw[1:len(raw)-4]...) // the four counters are one byte each
	old, err := unmarshalSA(v2)
	if err != nil {
		t.Fatalf("version 2 record: %v", err)
	}
	if old.TunnelNum != 7 || old.Errors != (P1Errors{}) {
		t.Errorf("version 2 record read as tunnel %d, errors %+v", old.TunnelNum, old.Errors)
	}
	now, err := unmarshalSA(raw)
	if err != nil || now.Errors != sa.Errors {
		t.Errorf("version 3 record: %+v, %v", now, err)
	}
}
