package getopt

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// item is one result of Next, written as a test reads it: "a", "f=FILE",
// or "!x" / "!x:" / "!--name" for unknown, missing-argument and long.
func collect(p *Parser) (items []string, rest []string) {
	for n := 0; ; n++ {
		c, arg, err := p.Next()
		if err == io.EOF {
			return items, p.Args()
		}
		var e *Error
		switch {
		case errors.As(err, &e) && e.Kind == MissingArgument:
			items = append(items, "!"+e.Option()+":")
		case errors.As(err, &e) && e.Long != "":
			items = append(items, "!--"+e.Long)
		case err != nil:
			items = append(items, "!"+e.Option())
		case arg != "" || p.takes(c):
			items = append(items, string(c)+"="+arg)
		default:
			items = append(items, string(c))
		}
	}
}

func (p *Parser) takes(c byte) bool { t, _ := p.lookup(c); return t }

func TestNext(t *testing.T) {
	for _, tc := range []struct {
		name      string
		dialect   Dialect
		optstring string
		args      string // words separated by spaces; "''" is an empty word
		items     string
		rest      string
	}{
		{"empty", POSIX, "ab", "", "", ""},
		{"separate", POSIX, "ab", "-a -b x", "a b", "x"},
		{"cluster", POSIX, "abc", "-cab", "c a b", ""},
		{"repeated", POSIX, "a", "-a -aa", "a a a", ""},
		{"arg attached", POSIX, "f:", "-fFILE x", "f=FILE", "x"},
		{"arg separate", POSIX, "f:", "-f FILE x", "f=FILE", "x"},
		{"arg ends cluster", POSIX, "af:", "-afb -a", "a f=b a", ""},
		{"arg is next cluster", POSIX, "af:", "-f -a", "f=-a", ""},
		{"arg is dashdash", POSIX, "f:", "-f -- -x", "f=-- !x", ""},
		{"arg empty word", POSIX, "f:", "-f '' x", "f=", "x"},
		{"missing arg", POSIX, "f:", "-f", "!f:", ""},
		{"missing arg in cluster", POSIX, "af:", "-af", "a !f:", ""},
		{"double colon is required", POSIX, "f::", "-f x", "f=x", ""},
		{"dashdash ends", POSIX, "a", "-a -- -a", "a", "-a"},
		{"dashdash once", POSIX, "a", "-- --", "", "--"},
		{"lone dash is operand", POSIX, "a", "- -a", "", "- -a"},
		{"first operand ends", POSIX, "a", "-a x -a", "a", "x -a"},
		{"empty word is operand", POSIX, "a", "'' -a", "", "'' -a"},
		{"unknown goes on", POSIX, "a", "-xa -y", "!x a !y", ""},
		{"colon is no option", POSIX, ":a", "-:", "!:", ""},
		{"posix dash letters", POSIX, "ab", "--ab", "!- a b", ""},
		{"solaris long", Solaris, "ab", "--ab -a", "!--ab a", ""},
		{"solaris long value", Solaris, "a", "--x=1", "!--x=1", ""},
		{"solaris dashdash", Solaris, "a", "-- -a", "", "-a"},
		{"solaris dash in cluster", Solaris, "a", "-a-", "a !-", ""},
		{"high byte", POSIX, "a", "-\xc3\xa9", "!\xc3 !\xa9", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := New(tc.dialect, tc.optstring, words(tc.args))
			items, rest := collect(p)
			if d := cmp.Diff(words(tc.items), items, emptyIsNil); d != "" {
				t.Errorf("options (-want +got):\n%s", d)
			}
			if d := cmp.Diff(words(tc.rest), rest, emptyIsNil); d != "" {
				t.Errorf("operands (-want +got):\n%s", d)
			}
			if _, _, err := p.Next(); err != io.EOF {
				t.Errorf("Next after the end: %v, want io.EOF", err)
			}
		})
	}
}

var emptyIsNil = cmp.Comparer(func(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
})

func words(s string) []string {
	if s == "" {
		return nil
	}
	w := strings.Split(s, " ")
	for i := range w {
		if w[i] == "''" {
			w[i] = ""
		}
	}
	return w
}

func TestErrorOption(t *testing.T) {
	for _, tc := range []struct {
		e      Error
		option string
	}{
		{Error{Kind: UnknownOption, Opt: 'x'}, "x"},
		{Error{Kind: MissingArgument, Opt: 'f'}, "f"},
		{Error{Kind: UnknownOption, Opt: '-', Long: "help"}, "help"},
		{Error{Kind: UnknownOption, Opt: '-'}, "-"},
	} {
		if got := tc.e.Option(); got != tc.option {
			t.Errorf("%+v: Option %q, want %q", tc.e, got, tc.option)
		}
		if tc.e.Error() == "" {
			t.Errorf("%+v: empty Error", tc.e)
		}
	}
}
