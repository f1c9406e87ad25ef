package solaris

import (
	"strings"
	"testing"
)

// TestCommandTable checks what the table must hold for the help texts and
// the dispatch derived from it to be right.
func TestCommandTable(t *testing.T) {
	cmds := commands
	var topics []string
	seen := map[string]bool{}
	for _, c := range cmds {
		if seen[c.name] {
			t.Errorf("command %q listed twice", c.name)
		}
		seen[c.name] = true
		if c.help != "" {
			topics = append(topics, c.name)
		}
		if (c.direct == nil) == (len(c.objects) == 0) {
			t.Errorf("command %q: want either a direct handler or objects", c.name)
		}
		// Synopses list the objects in table order; set's has a line each.
		var names []string
		for _, o := range c.objects {
			names = append(names, o.name)
		}
		if c.synopsis != "" && len(names) > 0 && c.name != "set" && !strings.Contains(c.synopsis, strings.Join(names, "|")) {
			t.Errorf("%s synopsis %q does not list %v", c.name, c.synopsis, names)
		}
		objs := map[string]bool{}
		for _, o := range c.objects {
			if objs[o.name] {
				t.Errorf("%s %s listed twice", c.name, o.name)
			}
			objs[o.name] = true
			if o.run == nil {
				t.Errorf("%s %s has no handler", c.name, o.name)
			}
			if o.bare && c.help == "" {
				t.Errorf("%s %s: surplus arguments print help, but %s has none", c.name, o.name, c.name)
			}
		}
	}
	// The help command's synopsis lists exactly the help topics.
	want := "\thelp  [" + strings.Join(topics, "|") + "]\n"
	if got := cmds.lookup("help").synopsis; got != want {
		t.Errorf("help synopsis = %q, want %q", got, want)
	}
}
