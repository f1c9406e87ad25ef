package preshared

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ikemu/ikemu/pkg/engine"
)

const example66 = `# Comment lines must start in column 1.
{
    localidtype IP
    localid 10.1.1.2
    remoteidtype IP
    remoteid 10.21.12.4
    key 4b656265207761732068657265210c0a
}
`

func TestParseExample(t *testing.T) {
	res, err := Parse(strings.NewReader(example66), nil)
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("Kebe was here!\x0c\x0a")
	want := &Result{Keys: []engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", key, 128)}}
	if d := diff(want, res); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

// TestParseOK covers fields, aliases, types, keys and lexical rules that
// yield entries.
func TestParseOK(t *testing.T) {
	v6 := func(l, r string) engine.PresharedKey { return simple(l, r, abcd(), 16) }
	tests := []struct {
		name  string
		in    string
		want  []engine.PresharedKey
		warns []string
	}{
		{"minimal", basic(), []engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"empty file", "", nil, nil},
		{"only comments and blanks", "# a\n\n   \n\t\n#b", nil, nil},
		{"alias local_id remote_id", entryText("local_id 10.1.1.2", "remote_id 10.21.12.4", "key abcd"),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"alias local_addr remote_addr", entryText("local_addr 10.1.1.2", "remote_addr 10.21.12.4", "key abcd"),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"alias id types", basic("local_id_type IPv4", "remote_id_type ipv4"),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"field names ignore case", entryText("LocalID 10.1.1.2", "REMOTEID 10.21.12.4", "LOCALIDTYPE ip", "RemoteIdType IP", "Ike_Mode MAIN", "KEY abcd"),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"ike_mode main", basic("ike_mode main"), []engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"mode alias", basic("mode Main"), []engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"subnet types are synonyms", basic("localidtype IP_SUBNET", "remoteidtype ipv4_subnet"),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"IP type with colon is IPv6", entryText("localid 2001:db8::1", "remoteid fe80::2", "key abcd"),
			[]engine.PresharedKey{v6("2001:db8::1", "fe80::2")}, nil},
		{"IPv6 and IPv6_SUBNET types", entryText("localidtype IPv6", "localid 2001:db8::1", "remoteidtype iPv6_SuBnEt", "remoteid ::1", "key abcd"),
			[]engine.PresharedKey{v6("2001:db8::1", "::1")}, nil},
		{"unspecified v6 allowed", entryText("localid ::", "remoteid ::1", "key abcd"),
			[]engine.PresharedKey{v6("::", "::1")}, nil},
		{"prefixes", entryText("localid 10.0.0.0/8", "remoteid 192.168.1.7/0", "key abcd"),
			[]engine.PresharedKey{addrKey("10.0.0.0/8", "10.0.0.0", 8, "192.168.1.7/0", "192.168.1.7", 0, abcd(), 16)}, nil},
		{"prefix trailing garbage and second slash", entryText("localid 10.0.0.0/24junk", "remoteid 10.1.0.0/+16/9", "key abcd"),
			[]engine.PresharedKey{addrKey("10.0.0.0/24junk", "10.0.0.0", 24, "10.1.0.0/+16/9", "10.1.0.0", 16, abcd(), 16)}, nil},
		{"v6 prefix 128", entryText("localid 2001:db8::/32", "remoteid 2001:db8:1::1/128", "key abcd"),
			[]engine.PresharedKey{addrKey("2001:db8::/32", "2001:db8::", 32, "2001:db8:1::1/128", "2001:db8:1::1", 128, abcd(), 16)}, nil},
		{"broadcast", entryText("localid 255.255.255.255", "remoteid 0xffffffff", "key abcd"),
			[]engine.PresharedKey{addrKey("255.255.255.255", "255.255.255.255", -1, "0xffffffff", "255.255.255.255", -1, abcd(), 16)}, nil},
		{"broadcast decimal and octal", entryText("localid 4294967295", "remoteid 037777777777/32", "key abcd"),
			[]engine.PresharedKey{addrKey("4294967295", "255.255.255.255", -1, "037777777777/32", "255.255.255.255", 32, abcd(), 16)}, nil},
		{"host names", entryText("localid gw4", "remoteid net10/8", "key abcd"),
			[]engine.PresharedKey{addrKey("gw4", "192.0.2.1", -1, "net10/8", "10.0.0.0", 8, abcd(), 16)}, nil},
		{"names pick the family of the type", entryText("localidtype IPv6", "localid dual", "remoteidtype IPv6", "remoteid gw6", "key abcd"),
			[]engine.PresharedKey{addrKey("dual", "2001:db8::2", -1, "gw6", "2001:db8::1", -1, abcd(), 16)}, nil},
		{"v4 name skips v6 results and unmaps", entryText("localid dual", "remoteid mapped", "key abcd"),
			[]engine.PresharedKey{addrKey("dual", "192.0.2.2", -1, "mapped", "192.0.2.3", -1, abcd(), 16)}, nil},
		{"missing key loads empty", entryText("localid 10.1.1.2", "remoteid 10.21.12.4"),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", nil, 0)}, nil},
		{"one line entry", "{ localid 10.1.1.2 remoteid 10.21.12.4 key abcd }\n",
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"two entries", basic() + entryText("localid 10.9.9.9", "remoteid 10.8.8.8", "key 01"),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16), simple("10.9.9.9", "10.8.8.8", []byte{1}, 8)}, nil},
		{"duplicates are kept", basic() + basic(),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16), simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"rest of line after } discarded", "{ localid 10.1.1.2 remoteid 10.21.12.4 key abcd } { garbage\n",
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"text glued after } ignored", "{\nlocalid 10.1.1.2\nremoteid 10.21.12.4\nkey abcd\n}junk\n",
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"brace glued to last token of line", "{localid\n10.1.1.2 remoteid 10.21.12.4 key abcd\n}\n",
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"comment token ends the line", "{ # localid 1.1.1.1\nlocalid 10.1.1.2 #remoteid 1.1.1.1\nremoteid 10.21.12.4 key abcd #}\n}\n",
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"comment in place of a value", "{\nlocalid #x\n10.1.1.2\nremoteid 10.21.12.4 key abcd }\n",
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"column-1 comment inside entry", "{\nlocalid 10.1.1.2\n#remoteid 1.1.1.1\nremoteid 10.21.12.4\nkey abcd\n}\n",
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"no final newline", strings.TrimSuffix(basic(), "\n"),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"tabs and blanks separate", "{\tlocalid\t10.1.1.2   remoteid  10.21.12.4\tkey abcd\t}\n",
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", abcd(), 16)}, nil},
		{"truncation warning", entryText("localid 10.1.1.2", "remoteid 10.21.12.4", "key abcd/10"),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", []byte{0xab, 0xc0}, 10)},
			[]string{"read_preshared: Lower bits will be truncated"}},
		{"ascii key", entryText("localid 10.1.1.2", "remoteid 10.21.12.4", `key "secret key"`),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", []byte("secret key"), 80)}, nil},
		{"ascii key escapes", entryText("localid 10.1.1.2", "remoteid 10.21.12.4", `key "a\"b\\c\d"`),
			[]engine.PresharedKey{simple("10.1.1.2", "10.21.12.4", []byte(`a"b\c\d`), 56)}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(strings.NewReader(tc.in), fakeResolve)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := &Result{Keys: tc.want, Warnings: tc.warns}
			if d := diff(want, res); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

func checkErr(t *testing.T, err error, line int, msg string) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want *Error %q at line %d", err, msg, line)
	}
	if pe.Line != line || pe.Msg != msg {
		t.Errorf("err = line %d %q, want line %d %q", pe.Line, pe.Msg, line, msg)
	}
}

// TestParseErrors covers every message of 6.2 and 6.3 and where it is
// reported.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"no open brace", "localid 10.1.1.2\n", 1, msgNoBrace},
		{"no brace after comment", "# c\n\n  key abcd\n", 3, msgNoBrace},
		{"garbage after entry", basic() + "x\n", 6, msgNoBrace},
		{"EOF inside entry", basic() + "{\nlocalid 10.1.1.2\n", 7, msgUnclosed},
		{"EOF inside the only entry", "{ localid 10.1.1.2 remoteid 10.21.12.4 key abcd\n", 1, msgUnclosed},
		{"NUL byte", "{\nlocalid 10.1.1.2\x00 garbage\nremoteid 10.21.12.4\nkey abcd\n}\n", 2, msgNUL},
		{"unknown field", "{\n  localid 10.1.1.2\n  foo bar\n}\n", 3, msgBadField},
		{"no alias key_value", "{\n keyvalue ab\n}\n", 2, msgBadField},
		{"open brace as field", "{\n{\n", 2, msgBadField},
		{"repeated field", basic("localid 10.1.1.3"), 5, msgRepeated},
		{"repeated through alias", basic("local_addr 10.1.1.3"), 5, msgRepeated},
		{"repeated mode alias", basic("ike_mode main", "mode main"), 6, msgRepeated},
		{"bad local type", basic("localidtype FQDN"), 5, msgBadLocalType},
		{"bad local type prefix", basic("localidtype IPv4_PREFIX"), 5, msgBadLocalType},
		{"bad remote type", basic("remoteidtype user_fqdn"), 5, msgBadRemoteType},
		{"aggressive mode refused", basic("ike_mode aggressive"), 5, msgBadMode},
		{"both refused", basic("mode both"), 5, msgBadMode},
		{"no localid", entryText("remoteid 10.21.12.4", "key abcd"), 4, msgNoLocal},
		{"no ids at all", "{\n}\n", 2, msgNoLocal},
		{"no remoteid", entryText("localid 10.1.1.2", "key abcd"), 4, msgNoRemote},
		{"local checked before remote missing", entryText("localid nosuch", "key abcd"), 4, msgBadAddr},
		{"v4 prefix too long", entryText("localid 10.0.0.0/33", "remoteid 10.1.1.1", "key ab"), 5, msgBadPrefix},
		{"v6 prefix too long", entryText("localid ::1/129", "remoteid ::2", "key ab"), 5, msgBadPrefix},
		{"negative prefix", entryText("localid 10.0.0.0/-1", "remoteid 10.1.1.1", "key ab"), 5, msgBadPrefix},
		{"empty prefix", entryText("localid 10.0.0.0/", "remoteid 10.1.1.1", "key ab"), 5, msgBadPrefix},
		{"non-numeric prefix", entryText("localid 10.1.1.1", "remoteid 10.0.0.0/x", "key ab"), 5, msgBadPrefix},
		{"unknown host", entryText("localid nosuch", "remoteid 10.1.1.1", "key ab"), 5, msgBadAddr},
		{"no resolver answer family", entryText("localid gw6", "remoteid 10.1.1.1", "key ab"), 5, msgBadAddr},
		{"name without addresses", entryText("localid empty", "remoteid 10.1.1.1", "key ab"), 5, msgBadAddr},
		{"bad literal", entryText("localid 10.1.1.256", "remoteid 10.1.1.1", "key ab"), 5, msgBadAddr},
		{"empty address", entryText("localid /8", "remoteid 10.1.1.1", "key ab"), 5, msgBadAddr},
		{"quotes stay in the value", entryText(`localid "10.1.1.2"`, "remoteid 10.1.1.1", "key ab"), 5, msgBadAddr},
		{"IPv4 type with v6 literal", entryText("localidtype IPv4", "localid 2001:db8::1", "remoteid ::1", "key ab"), 6, msgBadAddr},
		{"IPv6 type with v4 literal", entryText("localidtype IPv6", "localid 10.1.1.1", "remoteid 10.1.1.2", "key ab"), 6, msgBadAddr},
		{"scoped literal is a name", entryText("localid fe80::1%lo0", "remoteid ::1", "key ab"), 5, msgBadAddr},
		{"temporary failure", entryText("localid 10.1.1.1", "remoteid slow", "key ab"), 5, msgTryAgain},
		{"families by colon", entryText("localid 10.1.1.1", "remoteid ::1", "key ab"), 5, msgFamily},
		{"colon test beats resolved family", entryText("localidtype IPv6", "localid gw6", "remoteid 2001:db8::9", "key ab"), 6, msgFamily},
		{"resolved families differ", entryText("localidtype IPv6", "localid gw6", "remoteid gw4", "key ab"), 6, msgFamily},
		{"v4 multicast local", entryText("localid 224.0.0.1", "remoteid 10.1.1.1", "key ab"), 5, msgMulticast},
		{"v4 multicast remote name", entryText("localid 10.1.1.1", "remoteid mcast", "key ab"), 5, msgMulticast},
		{"v6 multicast", entryText("localid 2001:db8::1", "remoteid ff02::1", "key ab"), 5, msgMulticast},
		{"v4 mapped", entryText("localid ::ffff:10.1.1.1", "remoteid 2001:db8::1", "key ab"), 5, msgMapped},
		{"v4 compatible", entryText("localid 2001:db8::1", "remoteid ::10.1.1.1", "key ab"), 5, msgCompat},
		{"local checked before remote", entryText("localid ::10.1.1.1", "remoteid ff02::1", "key ab"), 5, msgCompat},
		{"bad bit specifier", entryText("key ab/x"), 2, msgBadBits},
		{"empty bit specifier", entryText("key ab/"), 2, msgBadBits},
		{"negative bits", entryText("key ab/-8"), 2, msgBadBits},
		{"bit length too large", entryText("key ab/9"), 2, msgBitsTooLarge},
		{"overlong bits", entryText("key 4b656265/4000000000000"), 2, msgBitsTooLarge},
		{"not hex", entryText("key abcg"), 2, msgNotHex},
		{"closing brace glued to key", "{\nlocalid 10.1.1.2\nremoteid 10.1.1.3\nkey abcd}\n", 4, msgNotHex},
		{"0x prefix is not hex", entryText("key 0xabcd"), 2, msgNotHex},
		{"CR of CRLF stays in tokens", "{\r\nlocalid 10.1.1.2\r\n", 1, msgBadField},
		{"CR in key", "{\nkey abcd\r\n", 2, msgNotHex},
		{"ascii too short", entryText(`key "ab"`), 2, msgBadASCII},
		{"ascii unterminated", entryText(`key "abc`), 2, msgBadASCII},
		{"ascii inner quote", entryText(`key "a"b"c"`), 2, msgBadASCII},
		{"ascii non-ascii byte", entryText("key \"ab\xc3\xa9\""), 2, msgBadASCII},
		{"glued brace loses the rest of its line", "{localidtype IP\nlocalid 10.1.1.2\n}\n", 2, msgBadLocalType},
		{"error line counts comments", "#1\n#2\n{\n\n#5\nbogus x\n}\n", 6, msgBadField},
		{"semantic error at closing brace", "{\nlocalid 10.1.1.2\nremoteid ::1\nkey ab\n\n}\n", 6, msgFamily},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(strings.NewReader(tc.in), fakeResolve)
			checkErr(t, err, tc.line, tc.msg)
			if res == nil || res.Keys != nil {
				t.Errorf("result on error = %+v, want warnings only", res)
			}
		})
	}
}

func TestParseLongLineSplit(t *testing.T) {
	// fgets hands a line over 1023 bytes out in pieces; the token "loc"
	// at the end of the first piece is a bad field name on line 2.
	in := "{\n" + strings.Repeat(" ", maxChunk-3) + "localid 10.1.1.2\n}\n"
	_, err := Parse(strings.NewReader(in), nil)
	checkErr(t, err, 2, msgBadField)

	// A piece boundary between tokens is harmless but still counts.
	in = "{\n" + strings.Repeat(" ", maxChunk) + "localid 10.1.1.2\nbogus\n"
	_, err = Parse(strings.NewReader(in), nil)
	checkErr(t, err, 4, msgBadField)
}

func TestParseWarningsKeptOnError(t *testing.T) {
	in := entryText("localid 10.1.1.2", "remoteid 10.21.12.4", "key abcd/12") +
		entryText("localid 10.1.1.2", "remoteid 10.21.12.4", "key ab/4") + "bogus\n"
	res, err := Parse(strings.NewReader(in), nil)
	checkErr(t, err, 11, msgNoBrace)
	want := &Result{Warnings: []string{"read_preshared: Lower bits will be truncated", "read_preshared: Lower bits will be truncated"}}
	if d := diff(want, res); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Parse(iotest.ErrReader(boom), nil)
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the reader's error", err)
	}
}

func TestErrorString(t *testing.T) {
	e := &Error{Line: 3, Msg: msgBadField}
	if got := e.Error(); got != "line 3: Invalid attribute field name" {
		t.Errorf("Error() = %q", got)
	}
	if got := (&Error{Msg: msgNotHex}).Error(); got != msgNotHex {
		t.Errorf("Error() without line = %q", got)
	}
}
