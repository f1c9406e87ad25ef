package src

import (
	"errors"
	"testing"
)

func TestParseArgs(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		allowAll bool
		want     request
		err      string // "" = none, "usage" = errUsage
	}{
		{[]string{"-g", "ike"}, false, request{group: "ike"}, ""},
		{[]string{"-gike"}, false, request{group: "ike"}, ""},
		{[]string{"-s", "tmd"}, false, request{subsystem: "tmd"}, ""},
		{[]string{"-a"}, true, request{all: true}, ""},
		{[]string{"-a"}, false, request{}, "startsrc: illegal option -- a"},
		{[]string{"-g"}, false, request{}, "startsrc: option requires an argument -- g"},
		{[]string{"-g", "ike", "x"}, false, request{}, `startsrc: illegal option or argument "x"`},
		{[]string{"--", "-g"}, false, request{}, `startsrc: illegal option or argument "-g"`},
		{[]string{"-g", "ike", "-s", "tmd"}, false, request{}, "usage"},
		{nil, true, request{}, "usage"},
	} {
		r, err := parseArgs("startsrc", tc.args, tc.allowAll)
		switch {
		case tc.err == "usage":
			if !errors.Is(err, errUsage) {
				t.Errorf("%q: %v, want the usage", tc.args, err)
			}
		case tc.err != "":
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: %v, want %q", tc.args, err, tc.err)
			}
		case err != nil || r != tc.want:
			t.Errorf("%q: %+v, %v; want %+v", tc.args, r, err, tc.want)
		}
	}
}
