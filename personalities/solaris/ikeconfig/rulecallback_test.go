package ikeconfig

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/pkg/engine"
)

// With Options.Rule the rules come through it, in file order and as
// Parse returns them, and File.Rules stays empty; a syntax error after
// them still fails the parse.
func TestParseRuleCallback(t *testing.T) {
	text := "p1_xform { auth_method preshared oakley_group 14 auth_alg sha256 encr_alg aes }\n" +
		"{ label \"a\" local_addr 10.0.0.1 remote_addr 10.0.0.2 }\n" +
		"{ label \"b\" local_addr 10.0.0.3 remote_addr 10.0.1.0/24 p2_pfs 2 }\n"
	want, err := Parse(bytes.NewReader([]byte(text)))
	if err != nil {
		t.Fatal(err)
	}
	var got []engine.Phase1Policy
	f, err := ParseBytes([]byte(text), Options{Rule: func(p *engine.Phase1Policy) { got = append(got, *p) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rules) != 0 {
		t.Errorf("File.Rules has %d rules with a callback", len(f.Rules))
	}
	if d := cmp.Diff(want.Rules, got, cmp.Comparer(func(a, b engine.AddrRange) bool { return a == b })); d != "" {
		t.Errorf("rules (-Parse +callback):\n%s", d)
	}
	if _, err := ParseBytes([]byte(text+"{ label"), Options{Rule: func(*engine.Phase1Policy) {}}); err == nil {
		t.Error("a truncated last rule parsed with a callback")
	}
}
