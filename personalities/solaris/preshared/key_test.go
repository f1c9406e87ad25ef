package preshared

import (
	"errors"
	"testing"
)

func TestParseKey(t *testing.T) {
	tests := []struct {
		in   string
		key  []byte
		bits int
		warn string
		msg  string
	}{
		{in: "abcd", key: []byte{0xab, 0xcd}, bits: 16},
		{in: "ABCDef", key: []byte{0xab, 0xcd, 0xef}, bits: 24},
		{in: "00", key: []byte{0}, bits: 8},
		// Odd digit counts: the last digit is a high nibble, bits round up.
		{in: "123", key: []byte{0x12, 0x30}, bits: 16},
		{in: "f", key: []byte{0xf0}, bits: 8},
		// Exact bit counts, partial last byte masked.
		{in: "abcd/16", key: []byte{0xab, 0xcd}, bits: 16},
		{in: "abc/12", key: []byte{0xab, 0xc0}, bits: 12},
		{in: "abf/10", key: []byte{0xab, 0xc0}, bits: 10},
		{in: "ff/5", key: []byte{0xf8}, bits: 5},
		{in: "f/1", key: []byte{0x80}, bits: 1},
		{in: "7/1", key: []byte{0x00}, bits: 1},
		{in: "abcd/13", key: []byte{0xab, 0xc8}, bits: 13},
		// Fewer bits than digits: digits dropped, then masked.
		{in: "abcd/12", key: []byte{0xab, 0xc0}, bits: 12, warn: WarnTruncated},
		{in: "abff/10", key: []byte{0xab, 0xc0}, bits: 10, warn: WarnTruncated},
		{in: "abcd/8", key: []byte{0xab}, bits: 8, warn: WarnTruncated},
		{in: "ab/4", key: []byte{0xa0}, bits: 4, warn: WarnTruncated},
		{in: "abcd/0", key: nil, bits: 0, warn: WarnTruncated},
		// Truncation happens before the digits are checked.
		{in: "12zz/8", key: []byte{0x12}, bits: 8, warn: WarnTruncated},
		// sscanf("%u"): blanks, a plus sign and trailing text are fine.
		{in: "abcd/+16", key: []byte{0xab, 0xcd}, bits: 16},
		{in: "abcd/16bits", key: []byte{0xab, 0xcd}, bits: 16},
		{in: "abcd/16/3", key: []byte{0xab, 0xcd}, bits: 16},
		{in: "abcd/-0", key: nil, bits: 0, warn: WarnTruncated},
		// No digits at all.
		{in: "", key: nil, bits: 0},
		{in: "/0", key: nil, bits: 0},
		// Errors.
		{in: "abcd/", msg: msgBadBits},
		{in: "abcd/x", msg: msgBadBits},
		{in: "abcd/-16", msg: msgBadBits},
		{in: "ab/9", msg: msgBitsTooLarge},
		{in: "zz/16", msg: msgBitsTooLarge},
		{in: "/1", msg: msgBitsTooLarge},
		{in: "ab/99999999999999999999", msg: msgBitsTooLarge},
		{in: "abcx", msg: msgNotHex},
		{in: "abx", msg: msgNotHex},
		{in: "x", msg: msgNotHex},
		{in: "0xab", msg: msgNotHex},
		{in: "ab cd", msg: msgNotHex},
		{in: "ab\xff", msg: msgNotHex},
		{in: "zzzz/4", msg: msgNotHex},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			key, bits, warn, err := ParseKey(tc.in)
			if tc.msg != "" {
				var pe *Error
				if !errors.As(err, &pe) || pe.Msg != tc.msg || pe.Line != 0 {
					t.Fatalf("err = %v, want %q", err, tc.msg)
				}
				if key != nil || bits != 0 || warn != "" {
					t.Errorf("on error got key %x bits %d warn %q", key, bits, warn)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if d := diff(tc.key, key); d != "" || bits != tc.bits || warn != tc.warn {
				t.Errorf("got %x/%d %q, want %x/%d %q", key, bits, warn, tc.key, tc.bits, tc.warn)
			}
		})
	}
}

func TestParseASCIIKey(t *testing.T) {
	tests := []struct {
		in  string
		key string
		ok  bool
	}{
		{`"abc"`, "abc", true},
		{`"a b c"`, "a b c", true},
		{`"ab"`, "", false},
		{`""`, "", false},
		{`"`, "", false},
		{`"abc`, "", false},
		{`abc"`, "", false},
		{`"a\"b"`, `a"b`, true},
		{`"a\\b"`, `a\b`, true},
		{`"a\qb"`, `a\qb`, true},
		{`"abc\"`, `abc\`, true}, // the daemon's escaped-final-quote check never fires
		// The backslash count is not reset by a consumed escape, so the
		// third backslash is literal and the quote after it is bare.
		{`"a\\\"b"`, "", false},
		{`"\\""`, `\"`, true},
		{`"a"b"`, "", false},
		{"\"ab\x80\"", "", false},
		{"\"\x80bc\"", "", false},
		{"\"abc\x7f\"", "abc\x7f", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			key, bits, msg := parseASCIIKey(tc.in)
			if !tc.ok {
				if msg != msgBadASCII {
					t.Errorf("msg = %q, want %q (key %q)", msg, msgBadASCII, key)
				}
				return
			}
			if msg != "" || string(key) != tc.key || bits != 8*len(tc.key) {
				t.Errorf("got %q/%d %q, want %q/%d", key, bits, msg, tc.key, 8*len(tc.key))
			}
		})
	}
}

func TestNextToken(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a b\tc\n", []string{"a", "b", "c"}},
		{"  \t\n", nil},
		{`"a b" c`, []string{`"a b"`, "c"}},
		{`x"a b"y z`, []string{`x"a b"y`, "z"}},
		{`"a\" b" c`, []string{`"a\" b"`, "c"}},
		{`"a\\" b`, []string{`"a\\"`, "b"}},
		{`"open ended`, []string{`"open ended`}},
		{"a\rb c\r", []string{"a\rb", "c\r"}},
		{`a\" b`, []string{`a\" b`}}, // outside quotes a backslash does not escape
	}
	for _, tc := range tests {
		var got []string
		for s := tc.in; ; {
			tok, rest, ok := nextToken(s)
			if !ok {
				break
			}
			got, s = append(got, tok), rest
		}
		if d := diff(tc.want, got); d != "" {
			t.Errorf("%q: (-want +got)\n%s", tc.in, d)
		}
	}
}

func TestCNumbers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
	}{
		{"4294967295", 0xffffffff}, {"0xffffffff", 0xffffffff}, {"0XFFFFFFFF", 0xffffffff},
		{"037777777777", 0xffffffff}, {" +4294967295junk", 0xffffffff},
		{"-1", 1<<64 - 1}, {"0x", 0}, {"", 0}, {"99999999999999999999", 1<<64 - 1},
		{"-18446744069414584321", 0xffffffff},
	} {
		if got := strtoul0(tc.in); got != tc.want {
			t.Errorf("strtoul0(%q) = %#x, want %#x", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want int64
	}{{"24", 24}, {" 24x", 24}, {"-3", -3}, {"x", 0}, {"", 0}, {"+7", 7}} {
		if got := atoi(tc.in); got != tc.want {
			t.Errorf("atoi(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
	if got := asciiLower("KeY\u212a"); got != "key\u212a" {
		t.Errorf("asciiLower = %q", got)
	}
}
