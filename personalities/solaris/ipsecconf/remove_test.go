package ipsecconf

import "testing"

// A remove line names an entry when one of the entry's lines, newline
// included, begins it without ASCII case (strncasecmp); the policy file
// ends every line of an entry with a newline, so a remove line that
// only begins with an entry's last line does not name it.
func TestHasLineFold(t *testing.T) {
	for _, c := range []struct {
		text, line string
		want       bool
	}{
		{"{raddr 10.1.1.2} drop {}\n", "{RADDR 10.1.1.2} DROP {}\n", true},
		{"{raddr 10.1.1.2} drop {}", "{raddr 10.1.1.2} drop {}\n", true},
		{"{raddr 10.1.1.2} drop {}", "{raddr 10.1.1.2} drop {} or pass {}\n", false},
		{"{raddr 10.1.1.2} drop {}\n", "{raddr 10.1.1.2} drop {}", false}, // the file's last line, no newline
		{"{raddr 10.1.1.2}\n ipsec {auth_algs md5}\n", " ipsec {AUTH_ALGS md5}\n", true},
		{"{raddr 10.1.1.2} drop {}\n\n", "\n", false},
		{"{raddr k\u212a} drop {}\n", "{raddr kk} drop {}\n", false}, // the Kelvin sign folds to k in Unicode only
	} {
		if got := hasLineFold(c.text, c.line); got != c.want {
			t.Errorf("hasLineFold(%q, %q) = %v, want %v", c.text, c.line, got, c.want)
		}
	}
}

// Blank, comment and "#INDEX" lines of a remove file name nothing.
func TestRemoveLines(t *testing.T) {
	got := removeLines([]byte("#index 1 \n  # note\n\n\t\n{raddr 10.1.1.2} drop {}\nlast"))
	if len(got) != 2 || got[0] != "{raddr 10.1.1.2} drop {}\n" || got[1] != "last" {
		t.Errorf("removeLines = %q", got)
	}
}
