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
		"dump gre", "add esp spi 0x1234 dst 10.0.0.1", "add esp spi 1 src 10.0.0.2 dst 10.0.0.1 encr_alg aes encrkey 00112233445566778899aabbccddeeff/128 auth_alg sha1 authkey 00112233445566778899aabbccddeeff00112233",
		"update ah spi 1 dst ::1 auth_alg md5 authkey 1234", "delete esp spi 0x99 dst 10.0.0.1", "add esp spi 1 dst 10.0.0.1 idst 10.9.0.0/16 encr_alg 3des encrkey 01", `dump "esp"`, "quit", "?", ""} {
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
		{[]string{"get", "esp", "spi", "0x10", "dst", "10.0.0.1"}, command{verb: verbGet, satype: satypeESP}, ""},
		{[]string{"add", "ah", "spi", "1", "dst", "10.0.0.1", "auth_alg", "sha1"}, command{}, "authentication algorithm without an authkey"},
		{[]string{"add", "esp", "spi", "1", "dst", "10.0.0.1", "frob", "1"}, command{}, `Unknown extension field "frob"`},
		{[]string{"add", "esp", "spi", "1", "dst", "10.0.0.1", "encrkey", "zz"}, command{}, "encrkey: invalid key (hex digits, optionally /bits)"},
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
		if err != nil || got.verb != c.want.verb || got.satype != c.want.satype {
			t.Errorf("%q: %+v %v", c.argv, got, err)
		}
	}
}
