package solaris

import (
	"bufio"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTokenize(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"get stats", []string{"get", "stats"}},
		{"  get\t stats  ", []string{"get", "stats"}},
		{`token login "Sun Metaslot"`, []string{"token", "login", "Sun Metaslot"}},
		{`a "b c"glued d`, []string{"a", "b c", "d"}},
		{`pre"fix q"`, []string{"prefix q"}},
		{`open "unterminated quote`, []string{"open", "unterminated quote"}},
		{`""`, []string{""}},
		{"", nil},
		{"get\vstats", []string{"get", "stats"}},
		{"\f get\r\vstats\n", []string{"get", "stats"}},
		{"get\u00a0stats\u0085x", []string{"get\u00a0stats\u0085x"}},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, Tokenize(c.in)); diff != "" {
			t.Errorf("Tokenize(%q) (-want +got):\n%s", c.in, diff)
		}
	}
}

func TestReadLogicalLine(t *testing.T) {
	r := bufio.NewReader(strings.NewReader("get \\\n  priv\nlast"))
	line, eof, long, _ := ReadLogicalLine(r)
	if line != "get    priv" || eof || long {
		t.Errorf("continued line = %q, %v, %v", line, eof, long)
	}
	line, eof, _, _ = ReadLogicalLine(r)
	if line != "last" || !eof {
		t.Errorf("last line = %q, eof %v", line, eof)
	}
	r = bufio.NewReader(strings.NewReader(strings.Repeat("x", maxLine+1) + "\nnext\n"))
	if _, _, long, _ = ReadLogicalLine(r); !long {
		t.Error("over-long line not reported")
	}
	if line, _, _, _ = ReadLogicalLine(r); line != "next" {
		t.Errorf("line after an over-long one = %q", line)
	}
}

// FuzzTokenize: the interactive tokenizer never panics; without quotes
// it splits exactly at the bytes C's isspace() takes for space on
// illumos (no blank inside a token, no text lost); and the line reader
// always reaches the end of its input.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"get stats", `token login "Sun Metaslot"`, `a "b c"glued d`, `"`, `\`, "add rule { label \"x y\" }"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		toks := Tokenize(line)
		for _, tok := range toks {
			if strings.ContainsAny(tok, cSpaces) && !strings.Contains(line, `"`) {
				t.Fatalf("token %q holds a blank but the line has no quotes", tok)
			}
		}
		if !strings.Contains(line, `"`) {
			if diff := cmp.Diff(cFields(line), toks, cmpEmpty); diff != "" {
				t.Fatalf("unquoted line %q split differently from Fields:\n%s", line, diff)
			}
		}
		r := bufio.NewReader(strings.NewReader(line))
		for range 10000 {
			if _, eof, _, err := ReadLogicalLine(r); eof || err != nil {
				return
			}
		}
		t.Fatal("ReadLogicalLine does not reach EOF")
	})
}

// cSpaces are the bytes isspace() is true for in the C library ikeadm
// uses, whatever the locale: only ASCII ones.
const cSpaces = " \t\n\v\f\r"

// cFields is strings.Fields with C's notion of space: Unicode spaces such
// as U+0085 and U+00A0 do not separate.
func cFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r < 0x80 && strings.ContainsRune(cSpaces, r) })
}

var cmpEmpty = cmp.Transformer("nilEmpty", func(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
})

func TestParseDebugLevel(t *testing.T) {
	cases := []struct {
		in    string
		want  uint32
		shown string
		ok    bool
	}{
		{"88", 0x58, "", true}, {"0x58", 0x58, "", true}, {"phase1+phase2+policy", 0x58, "", true},
		{"all-op", 0x7fb, "", true}, {"0", 0, "", true}, {"0x0", 0, "", true}, {"12abc", 12, "", true},
		{"-op", 0, "", true}, {"OP", 4, "", true}, {"p1+p2", 0x18, "", true},
		{"foo", 0, "foo", false}, {"all-foo", 0, "all", false}, {"foo+all", 0, "foo", false},
		{"", 0, "", true}, {" ", 0, " ", false}, {"all+", 0x7ff, "", true}, {"010", 8, "", true},
		{"-bogus", 0, "-bogus", false}, {"+bogus", 0, "+bogus", false}, {"-op+bogus", 0, "-op", false},
		{"++op-bogus", 0, "++op", false}, {"p1+", 8, "", true}, {"p1++p2", 0x18, "", true},
		{"p1+-p2", 0x18, "", true}, {"all-+op", 0x7fb, "", true}, {"--op", 0, "", true},
		{"+", 0, "+", false}, {"+-", 0, "+-", false}, {"\u212aey", 0, "\u212aey", false},
	}
	for _, c := range cases {
		got, shown, ok := parseDebugLevel(c.in)
		if got != c.want || shown != c.shown || ok != c.ok {
			t.Errorf("parseDebugLevel(%q) = %#x, %q, %v; want %#x, %q, %v", c.in, got, shown, ok, c.want, c.shown, c.ok)
		}
	}
}

func TestParsePrivLevel(t *testing.T) {
	for in, want := range map[string]int{"base": 0, "0": 0, "modkeys": 1, "KEYMAT": 2, "1": 1, "2": 2, "0x2": 2, "3": -1, "foo": -1, "-1": -1} {
		got, ok := parsePrivLevel(in)
		if (want < 0) == ok || (ok && int(got) != want) {
			t.Errorf("parsePrivLevel(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
}

func TestHumanise(t *testing.T) {
	for secs, want := range map[uint32]string{60: "", 61: " (1.02 minute)", 150: " (2.50 minutes)", 90: " (1.50 minute)", 3600: " (1.00 hour)", 28800: " (8.00 hours)", 86400: " (1.00 day)", 13333: " (3.70 hours)"} {
		if got := secs2out(secs); got != want {
			t.Errorf("secs2out(%d) = %q, want %q", secs, got, want)
		}
	}
	for kb, want := range map[uint64]string{0: "", 1: "", 2: "(2.00 KB)", 24576000: "(23.44 GB)", 29491200: "(28.12 GB)", 1024: "(1.00 MB)"} {
		if got := bytecnt2out(kb); got != want {
			t.Errorf("bytecnt2out(%d) = %q, want %q", kb, got, want)
		}
	}
}
