package ikeconfig

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/pkg/engine"
)

// FuzzParse checks that Parse never panics, fails only with *Error, and
// that every rule it accepts survives WriteRule and a second Parse
// unchanged except for what the file format does not carry (the AES key
// range and the global nonce lengths). The seed corpus is in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte(manPageExample))
	f.Add([]byte(roundTripFile))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(bytes.NewReader(data))
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error %v is not *Error", err)
			}
			return
		}
		for i := range file.Rules {
			checkRoundTrip(t, &file.Rules[i])
		}
	})
}

func checkRoundTrip(t *testing.T, p *engine.Phase1Policy) {
	var b bytes.Buffer
	if err := WriteRule(&b, p); err != nil {
		t.Fatalf("WriteRule(%+v): %v", p, err)
	}
	out := b.String()
	back, err := Parse(&b)
	if err != nil {
		t.Fatalf("reparse: %v\nwritten:\n%s", err, out)
	}
	if len(back.Rules) != 1 {
		t.Fatalf("reparse gave %d rules\nwritten:\n%s", len(back.Rules), out)
	}
	want, got := unwritten(*p), unwritten(back.Rules[0])
	if diff := cmp.Diff(want, got, cmpOpts()); diff != "" {
		t.Fatalf("round trip changed the rule (-before +after):\n%s\nwritten:\n%s", diff, out)
	}
}

// unwritten resets what WriteRule does not write to what a reader assumes.
func unwritten(p engine.Phase1Policy) engine.Phase1Policy {
	p.P1NonceLen, p.P2NonceLen = defNonceLen, defNonceLen
	xf := make([]engine.Transform, len(p.Transforms))
	for i, x := range p.Transforms {
		if x.Cipher == engine.CipherAES {
			x.KeyMin, x.KeyMax = aesMinBits, aesMaxBits
		}
		xf[i] = x
	}
	p.Transforms = xf
	return p
}
