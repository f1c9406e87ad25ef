package ipsecconf

import (
	"bufio"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// parse_ipsec_alg's key length forms, and the listing of what the kernel
// then holds.
func TestParseAlgLengths(t *testing.T) {
	for _, c := range []struct {
		in       string
		min, max int
		ok       bool
		listed   string
	}{
		{"aes", 0, spdMaxBits, true, "encr_algs aes-cbc(128..256) "},
		{"aes(192)", 192, 192, true, "encr_algs aes-cbc(192) "},
		{"aes(128..256)", 128, 256, true, "encr_algs aes-cbc(128..256) "},
		{"aes(..192)", 0, 192, true, "encr_algs aes-cbc(128..192) "},
		{"aes(192..)", 192, spdMaxBits, true, "encr_algs aes-cbc(192..256) "},
		{"aes(512)", 512, 512, false, ""},
		{"aes(128)x", 0, 0, false, ""},
		{"3des", 0, spdMaxBits, true, "encr_algs 3des-cbc(192) "},
		{"12", 0, spdMaxBits, true, "encr_algs aes-cbc(128..256) "},
		{"99", 0, 0, false, ""},
		{"rot13", 0, 0, false, ""},
	} {
		req, none, ok := parseAlg(c.in, encrAlgs)
		if none || ok != c.ok {
			t.Errorf("%s: ok %v none %v", c.in, ok, none)
			continue
		}
		if !ok {
			continue
		}
		if req.MinBits != c.min || req.MaxBits != c.max {
			t.Errorf("%s: %d..%d, want %d..%d", c.in, req.MinBits, req.MaxBits, c.min, c.max)
		}
		var b strings.Builder
		w := bufio.NewWriter(&b)
		writeAlg(w, "encr_algs", encrAlgs, req)
		w.Flush()
		if b.String() != c.listed {
			t.Errorf("%s: listed %q, want %q", c.in, b.String(), c.listed)
		}
	}
	if _, none, _ := parseAlg("NONE", authAlgs); !none {
		t.Error("none is not ignored")
	}
}

// Rules are matched by priority: bypass over ESP over plain, earlier
// over later.
func TestRulePriority(t *testing.T) {
	ld := &loader{warn: func(string) {}, resolve: labResolver(nil)}
	res := ld.read([]byte("{raddr 10.0.0.3 dir out} drop {}\n{raddr 10.0.0.2} ipsec {encr_algs aes encr_auth_algs sha1}\n{rport 22 dir both} bypass {}\n"))
	if len(res.rules) != 3 {
		t.Fatalf("%d rules", len(res.rules))
	}
	drop, esp, pass := res.rules[0].Priority, res.rules[1].Priority, res.rules[2].Priority
	if !(pass > esp && esp > drop) {
		t.Errorf("priorities drop %#x esp %#x pass %#x", drop, esp, pass)
	}
	if res.rules[1].Actions[0].Kind != engine.IPsecApply || res.rules[1].Dir != engine.IPsecInbound|engine.IPsecOutbound {
		t.Errorf("ipsec rule %+v", res.rules[1])
	}
}
