package native

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/ikemu/ikemu/pkg/proc"
)

// TestGrammarForNamesAsKong checks that every command kong finds at the
// top of CLI gets a grammar of its own, holding that command alone.
func TestGrammarForNamesAsKong(t *testing.T) {
	full, err := kong.New(&CLI{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range full.Model.Children {
		if readsWholeTree(c.Name) {
			if _, ok := grammarFor([]string{c.Name}).(*CLI); !ok {
				t.Errorf("%s: got a partial grammar, wants the whole tree", c.Name)
			}
			continue
		}
		g := grammarFor([]string{c.Name})
		if _, ok := g.(*CLI); ok {
			t.Errorf("%s: whole tree, want a grammar of the command alone", c.Name)
			continue
		}
		k, err := kong.New(g)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if len(k.Model.Children) != 1 || k.Model.Children[0].Name != c.Name {
			t.Errorf("%s: partial grammar has commands %v", c.Name, names(k.Model.Children))
		}
	}
	k, err := kong.New(grammarFor([]string{"host", "list", "-o", "json"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := names(k.Model.Children[0].Children); len(got) != 1 || got[0] != "list" {
		t.Errorf("host list: partial grammar has host commands %v", got)
	}
	if _, ok := grammarFor([]string{"nosuch"}).(*CLI); !ok {
		t.Error("an unknown command gets a partial grammar")
	}
}

func names(nodes []*kong.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.Name)
	}
	return out
}

// TestPartialGrammarSpeaksAsWhole runs command lines (help of every
// command, and bad ones) through the whole tree and through the grammar
// Main picks: output and status must be the same.
func TestPartialGrammarSpeaksAsWhole(t *testing.T) {
	full, err := kong.New(&CLI{})
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]string
	var walk func(path []string, n *kong.Node)
	// Every command's help, and lines kong refuses before any command
	// runs: an unknown flag anywhere, a missing or unknown subcommand.
	with := func(path []string, more ...string) []string {
		return append(append([]string{}, path...), more...)
	}
	walk = func(path []string, n *kong.Node) {
		for _, c := range n.Children {
			p := with(path, c.Name)
			lines = append(lines, with(p, "--help"), with(p, "--bogus"))
			if len(c.Children) > 0 {
				lines = append(lines, p, with(p, "bogus", "extra"), with(p, "--bogus", c.Children[0].Name))
			}
			walk(p, c)
		}
	}
	walk(nil, full.Model.Node)
	lines = append(lines, []string{"host", "add"}, []string{"host", "add", "x"},
		[]string{"host", "list", "-o", "yaml"}, []string{"version", "--version"}, []string{"version", "extra"})
	if len(lines) < 90 {
		t.Fatalf("only %d command lines", len(lines))
	}
	lab := t.TempDir()
	for _, args := range lines {
		if readsWholeTree(args[0]) {
			continue
		}
		fullOut, fullCode := runWith(&CLI{}, args, lab)
		partOut, partCode := runWith(grammarFor(args), args, lab)
		if fullOut != partOut || fullCode != partCode {
			t.Errorf("ikemu %s:\nwhole tree (exit %d):\n%s\npartial (exit %d):\n%s",
				strings.Join(args, " "), fullCode, fullOut, partCode, partOut)
		}
	}
}

func runWith(grammar any, args []string, lab string) (string, int) {
	var out bytes.Buffer
	env := map[string]string{"IKEMU_LAB": lab + "/none"}
	p := &proc.Proc{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return env[k] }, Dir: lab, UID: 0}
	code := mainOf(reflect.New(reflect.TypeOf(grammar).Elem()).Interface(), args, p, Wiring{})
	return fmt.Sprint(out.String()), code
}
