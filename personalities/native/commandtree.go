package native

import (
	"strings"

	"github.com/alecthomas/kong"
)

// commandTree is the kong model flattened for the generators of shell
// completions and man pages: one entry per command, in the order kong
// lists them, the root first.
type commandTree []commandEntry

// commandEntry is one command of the tree.
type commandEntry struct {
	Path     []string // e.g. ["host", "add"]; empty for ikemu itself
	Help     string
	Children []commandChild
	Flags    []*kong.Flag // its own and its ancestors', hidden ones left out
	Args     []*kong.Positional
}

// commandChild is a subcommand as its parent offers it.
type commandChild struct {
	Name, Help string
}

func newCommandTree(root *kong.Node) commandTree {
	var tree commandTree
	var walk func(n *kong.Node, path []string)
	walk = func(n *kong.Node, path []string) {
		e := commandEntry{Path: path, Help: n.Help, Args: n.Positional}
		for _, group := range n.AllFlags(true) {
			e.Flags = append(e.Flags, group...)
		}
		for _, c := range n.Children {
			if c.Hidden || c.Type != kong.CommandNode {
				continue
			}
			e.Children = append(e.Children, commandChild{Name: c.Name, Help: c.Help})
		}
		tree = append(tree, e)
		for _, c := range n.Children {
			if !c.Hidden && c.Type == kong.CommandNode {
				walk(c, append(append([]string{}, path...), c.Name))
			}
		}
	}
	walk(root, nil)
	return tree
}

// key is the entry's path as the completion scripts spell it.
func (e commandEntry) key() string { return "ikemu" + slashJoin(e.Path) }

func slashJoin(path []string) string {
	if len(path) == 0 {
		return ""
	}
	return "/" + strings.Join(path, "/")
}

// flagWords are the spellings of a flag a shell completes.
func flagWords(f *kong.Flag) []string {
	words := []string{"--" + f.Name}
	if f.Short != 0 {
		words = append(words, "-"+string(f.Short))
	}
	return words
}

// enumValues are a flag's fixed choices, if it has any.
func enumValues(f *kong.Flag) []string {
	if f.Enum == "" {
		return nil
	}
	var vals []string
	for v := range strings.SplitSeq(f.Enum, ",") {
		vals = append(vals, strings.TrimSpace(v))
	}
	return vals
}

// firstSentence shortens a help text for a completion menu.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(s, ".")
}
