package ikeconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// lexAll returns "kind:text" for every token up to EOF or the first error.
func lexAll(src string) []string {
	lx := newLexer(src)
	var out []string
	for {
		t := lx.next()
		if t.kind == tEOF {
			return out
		}
		s := kindName(t.kind) + ":" + t.text
		if t.kind == tError {
			s += ":" + t.msg
		}
		out = append(out, s)
		if t.kind == tError {
			return out
		}
	}
}

func kindName(k tokKind) string {
	return [...]string{"EOF", "ERR", "{", "}", "-", "/", "COLON", ".", "NUM", "DEC", "V4", "V6",
		"STR", "ALG", "HEX", "KW"}[k]
}

func TestLexer(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"empty", "", nil},
		{"blanks", " \t\n\n", nil},
		{"hash comment", "# x y \"z\n{", []string{"{:{"}},
		{"hash comment mid-line", "label#c\n}", []string{"KW:label", "}:}"}},
		{"slash comment", "// c\n}", []string{"}:}"}},
		{"slash comment mid-line", "10.0.0.0//24\n", []string{"V4:10.0.0.0"}},
		{"punctuation", "{ } - / : .", []string{"{:{", "}:}", "-:-", "/:/", "COLON::", ".:."}},
		{"number", "0 17 0777", []string{"NUM:0", "NUM:17", "NUM:0777"}},
		{"hex number is 0 then a word", "0x1F", []string{"NUM:0", "STR:x1F"}},
		{"decimal", "0.5 12.25", []string{"DEC:0.5", "DEC:12.25"}},
		{"ipv4", "10.1.1.1", []string{"V4:10.1.1.1"}},
		{"ipv4 range", "10.1.1.1-10.1.1.9", []string{"V4:10.1.1.1", "-:-", "V4:10.1.1.9"}},
		{"ipv4 prefix", "10.1.80.0/24", []string{"V4:10.1.80.0", "/:/", "NUM:24"}},
		{"ipv4 too many digits", "1.2.3.4567", []string{"V4:1.2.3.456", "NUM:7"}},
		{"dotted triple", "1.2.3", []string{"DEC:1.2", ".:.", "NUM:3"}},
		{"ipv6 any", "::", []string{"V6:::"}},
		{"ipv6 loopback", "::1", []string{"V6:::1"}},
		{"ipv6 full", "2001:db8:0:0:0:0:0:1", []string{"V6:2001:db8:0:0:0:0:0:1"}},
		{"ipv6 compressed", "fe80::1", []string{"V6:fe80::1"}},
		{"ipv6 trailing double", "fe80::", []string{"V6:fe80::"}},
		{"ipv6 v4 tail", "::ffff:10.1.1.1", []string{"V6:::ffff:10.1.1.1"}},
		{"ipv6 v4 tail needs colon", "::1.2.3.4", []string{"V6:::1", ".:.", "DEC:2.3", ".:.", "NUM:4"}},
		{"ipv6 prefix", "fe80::/10", []string{"V6:fe80::", "/:/", "NUM:10"}},
		{"ipv6 range", "::1-::2", []string{"V6:::1", "-:-", "V6:::2"}},
		{"ipv6 five hex digits", "12345:1", []string{"NUM:12345", "COLON::", "NUM:1"}},
		{"triple colon", ":::", []string{"V6:::", "COLON::"}},
		{"lone colon", ":x1", []string{"COLON::", "STR:x1"}},
		{"word", "foo-bar_2", []string{"STR:foo-bar_2"}},
		{"word starting with 3", "3des 3des-cbc", []string{"STR:3des", "STR:3des-cbc"}},
		{"hex-looking word", "dead beef", []string{"STR:dead", "STR:beef"}},
		{"hex word with colon is ipv6", "dead:beef", []string{"V6:dead:beef"}},
		{"keywords", "label p1_xform D_U_M_P EMAIL dh_group", []string{
			"KW:label", "KW:p1_xform", "KW:D_U_M_P", "KW:EMAIL", "KW:dh_group"}},
		{"keywords are case-sensitive", "Label MAIN", []string{"STR:Label", "STR:MAIN"}},
		{"keyword prefix is a word", "labels", []string{"STR:labels"}},
		{"algorithm range", "aes(128..256) aes(..192) AES-CBC(192..)", []string{
			"ALG:aes(128..256)", "ALG:aes(..192)", "ALG:AES-CBC(192..)"}},
		{"algorithm range loose inside", "aes(128)", []string{"ALG:aes(128)"}},
		{"no range after 3", "3des(..)", []string{"STR:3des", "ERR:(:syntax error"}},
		{"hex label", "0x0002-08-08", []string{"HEX:0x0002-08-08"}},
		{"quoted", `"a b" ""`, []string{"STR:a b", "STR:"}},
		{"quoted escapes", `"a\"b\\c\d"`, []string{`STR:a"b\cd`}},
		{"quoted keyword is a string", `"label"`, []string{"STR:label"}},
		{"quoted comment chars", `"# not // a comment"`, []string{"STR:# not // a comment"}},
		{"newline in string", "\"ab\ncd\"", []string{"ERR:ab:newline in quoted string"}},
		{"escaped newline in string", "\"ab\\\ncd\"", []string{"ERR:ab:newline in quoted string"}},
		{"unterminated string", `"abc`, []string{"ERR:abc:unterminated quoted string"}},
		{"unterminated after backslash", `"abc\`, []string{"ERR:abc:unterminated quoted string"}},
		{"single letter", "x", []string{"ERR:x:syntax error"}},
		{"backslash", "\\\n", []string{`ERR:\:syntax error`}},
		{"carriage return", "\r", []string{"ERR:\r:syntax error"}},
		{"utf-8", "é", []string{"ERR:é:syntax error"}},
		{"parenthesis", "(", []string{"ERR:(:syntax error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, lexAll(tt.src)); diff != "" {
				t.Errorf("lex(%q) (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestLexerStringLimit(t *testing.T) {
	ok := `"` + strings.Repeat("a", yyLMax-1) + `"`
	if got := lexAll(ok); len(got) != 1 || !strings.HasPrefix(got[0], "STR:") {
		t.Errorf("%d-byte string: got %.40q", yyLMax-1, got)
	}
	long := `"` + strings.Repeat("a", yyLMax) + `"`
	got := lexAll(long)
	if len(got) != 1 || !strings.HasSuffix(got[0], ":"+msgStringOverflow) {
		t.Errorf("%d-byte string: got %.40q…", yyLMax, got)
	}
}

func TestLexerLines(t *testing.T) {
	lx := newLexer("a1 # c\n\n  {\n// x\n}")
	var lines []int
	for tok := lx.next(); tok.kind != tEOF; tok = lx.next() {
		lines = append(lines, tok.line)
	}
	if diff := cmp.Diff([]int{1, 3, 5}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestParseU32(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
		ok   bool
	}{
		{"0", 0, true},
		{"42", 42, true},
		{"010", 8, true},   // octal, as strtoul(…, 0)
		{"09", 0, true},    // stops at the first non-octal digit
		{"0778", 63, true}, // likewise
		{"4294967295", 4294967295, true},
		{"4294967296", 0, false},
		{"037777777777", 4294967295, true},
		{"040000000000", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseU32(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseU32(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
