package solaris

import "testing"

func TestParseIkedOptions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want ikedOptions
		err  string
	}{
		{[]string{"-cd", "-fFILE"}, ikedOptions{check: true, debug: true, config: "FILE"}, ""},
		{[]string{"-c", "-f", "-d"}, ikedOptions{check: true, config: "-d"}, ""},
		{[]string{"-x"}, ikedOptions{}, "illegal option -- x"},
		{[]string{"--x"}, ikedOptions{}, "illegal option -- x"},
		{[]string{"-f"}, ikedOptions{}, "option requires an argument -- f"},
		{[]string{"-p", "7"}, ikedOptions{}, `bad privilege level "7"`},
		{[]string{"-c", "--", "x"}, ikedOptions{}, `unexpected argument "x"`},
		{[]string{"-"}, ikedOptions{}, `unexpected argument "-"`},
	} {
		o, err := parseIkedOptions(tc.args)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || o != tc.want {
			t.Errorf("%q: %+v, %v; want %+v", tc.args, o, err, tc.want)
		}
	}
}
