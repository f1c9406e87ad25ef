package dnsname_test

import (
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/dnsname"
)

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"gw", true},
		{"gw.example.com", true},
		{"my_host-1.example", true},
		{"", false},
		{".example", false},
		{"example.", false},
		{"a..b", false},
		{"bad name", false},
		{"ex@mple", false},
		{strings.Repeat("a", 63), true},
		{strings.Repeat("a", 64), false},
		{strings.Repeat("a.", 126) + "a", true},
		{strings.Repeat("a.", 126) + "ab", false},
	} {
		if got := dnsname.Valid(tc.in); got != tc.want {
			t.Errorf("Valid(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
