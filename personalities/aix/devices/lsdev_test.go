package devices

import (
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

func TestExpandFormat(t *testing.T) {
	d := engine.Device{Name: "ipsec_v4", State: engine.DeviceDefined}
	for format, want := range map[string]string{
		"name status":      "ipsec_v4 Defined",
		"name:class:type":  "ipsec_v4:ipsec:4",
		"description":      "IP Version 4 Security Extension",
		"name-bogus, 42 %": "ipsec_v4-bogus, 42 %",
		"":                 "",
	} {
		if got := expand(format, d); got != want {
			t.Errorf("expand(%q) = %q, want %q", format, got, want)
		}
	}
}

// FuzzExpand: any -F format expands without a panic, and text without
// letters comes back unchanged.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{"name status", "name:status", "%s", "\xff", "__name__", "x\x00y"} {
		f.Add(s)
	}
	d := engine.Device{Name: "ipsec_v6", State: engine.DeviceAvailable}
	f.Fuzz(func(t *testing.T, format string) {
		got := expand(format, d)
		if !strings.ContainsFunc(format, func(r rune) bool { return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || r > 127 }) && got != format {
			t.Fatalf("expand(%q) = %q", format, got)
		}
	})
}
