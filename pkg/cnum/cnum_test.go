package cnum_test

import (
	"testing"

	"github.com/ikemu/ikemu/pkg/cnum"
)

func TestHexDigit(t *testing.T) {
	for _, tc := range []struct {
		c    byte
		want int
	}{
		{'0', 0}, {'9', 9}, {'a', 10}, {'f', 15}, {'A', 10}, {'F', 15},
		{'/', -1}, {':', -1}, {'@', -1}, {'G', -1}, {'`', -1}, {'g', -1},
		{' ', -1}, {0, -1}, {0xff, -1},
	} {
		if got := cnum.HexDigit(tc.c); got != tc.want {
			t.Errorf("HexDigit(%q) = %d, want %d", tc.c, got, tc.want)
		}
	}
}
