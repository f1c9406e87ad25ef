package ipseckey

import (
	"strings"
	"testing"

	"github.com/ikemu/ikemu/personalities/solaris"
)

// FuzzParseCommand: any interactive line parses to a command or a
// one-line error of bounded length, never a panic.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"dump", "dump esp", "DUMP AH", "flush all", "dump esp extra", "frob",
		"dump gre", "add esp spi 0x1234 dst 10.0.0.1", `dump "esp"`, "quit", "?", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, err := parseCommand(solaris.Tokenize(line))
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || len(msg) > 400 {
				t.Fatalf("error %q", msg)
			}
			return
		}
		if c.verb == 0 || (c.satype != satypeUnspec && c.satype != satypeAH && c.satype != satypeESP) {
			t.Fatalf("%q parsed to %+v", line, c)
		}
	})
}

func TestParseCommand(t *testing.T) {
	cases := []struct {
		argv []string
		want command
		err  string
	}{
		{[]string{"dump"}, command{verb: verbDump}, ""},
		{[]string{"dump", "esp"}, command{verb: verbDump, satype: satypeESP}, ""},
		{[]string{"flush", "ah"}, command{verb: verbFlush, satype: satypeAH}, ""},
		{[]string{"dump", "gre"}, command{}, `Unknown SA type "gre"`},
		{[]string{"dump", "esp", "x"}, command{}, `unexpected "x" after the SA type`},
		{[]string{strings.Repeat("z", 200)}, command{}, `Unknown command "` + strings.Repeat("z", 80) + `"`},
	}
	for _, c := range cases {
		got, err := parseCommand(c.argv)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %s", c.argv, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %+v %v", c.argv, got, err)
		}
	}
}
