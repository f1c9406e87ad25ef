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
			// Messages are record_error's: each ends in its newline, and
			// quotes at most 80 bytes of a token.
			if msg := err.Error(); !strings.HasSuffix(msg, "\n") || len(msg) > 400*len(strings.Fields(line)) {
				t.Fatalf("error %q", msg)
			}
			return
		}
		if c.satype < 0 || c.satype > 255 || (c.verb == 0) != (verbs[c.word] == 0) {
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
		{[]string{"dump", "ESP"}, command{verb: verbDump, satype: satypeESP}, ""},
		{[]string{"DUMP"}, command{}, ""},
		{[]string{"flush", "ah"}, command{verb: verbFlush, satype: satypeAH}, ""},
		{[]string{"flush", "0x3"}, command{verb: verbFlush, satype: satypeESP}, ""},
		{[]string{"dump", "gre"}, command{}, "Unknown SA type (gre).\n"},
		{[]string{"get", "esp", "spi", "0x10", "dst", "10.0.0.1"}, command{verb: verbGet, satype: satypeESP}, ""},
		{[]string{"get", "esp", "dst", "10.0.0.1"}, command{}, "Need SA parameters for get.\n"},
		{[]string{"get", "esp", "spi", "1", "replay", "1"}, command{}, "Don't use extension replay for 'get' command.\nUnknown extension field \"1\"\n"},
		{[]string{"add", "ah", "spi", "1", "dst", "10.0.0.1", "auth_alg", "sha1"}, command{}, "Must have at least one key for an add.\n"},
		{[]string{"add", "esp", "spi", "1", "spi", "2"}, command{}, "Can only specify single SPI value.\n"},
		{[]string{"add", "esp", "spi", "0"}, command{}, "Invalid SPI value \"0\" .\n"},
		{[]string{"add", "esp", "spi", "x1"}, command{}, "Expecting a number, not \"x1\"!\n"},
		{[]string{"add", "esp", "spi"}, command{}, "Unexpected end of command line, was expecting a number.\n"},
		{[]string{"add", "esp", "dst", "10.0.0.1"}, command{}, "Need to define SPI for add.\nNeed SA parameters for add.\n"},
		{[]string{"add", "esp", "spi", "1", "dst", "10.0.0.1", "encr_alg", "aes", "encrkey", "zz"}, command{},
			"string 'zz' not a hex value.\nInvalid encryption key.\n"},
		{[]string{"add", "esp", "spi", "1", "dst", "10.0.0.1", "frob", "1"}, command{}, "Unknown extension field \"frob\" \nUnknown extension field \"1\" \n"},
		{[]string{"get", "esp", "spi", "1", "dst", "nohost"}, command{}, "Unknown address nohost.Unknown destination address \"nohost\"\nUnknown extension field \"nohost\"\n"},
		{[]string{"add", "ah", "spi", "1", "encr_alg", "aes"}, command{}, "Cannot specify encryption with SA type ah.\n"},
	}
	for _, c := range cases {
		got, err := parseCommand(c.argv)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %q", c.argv, err, c.err)
			}
			continue
		}
		if err != nil || got.verb != c.want.verb || got.satype != c.want.satype {
			t.Errorf("%q: %+v %v", c.argv, got, err)
		}
	}
}
