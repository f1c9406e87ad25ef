package native

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/proc"
)

// TestBashCompletion runs the generated script in a real bash: the words
// typed select the command whose subcommands, flags or flag values are
// offered.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash here")
	}
	var out bytes.Buffer
	p := &proc.Proc{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	if code := Main([]string{"completion", "bash"}, p, Wiring{Tools: []string{"ikeadm", "ike"}}); code != 0 {
		t.Fatalf("completion bash: exit %d: %s", code, out.String())
	}
	script := filepath.Join(t.TempDir(), "ikemu.bash")
	if err := os.WriteFile(script, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		words []string
		want  string
	}{
		{[]string{"ikemu", "ho"}, "host"},
		{[]string{"ikemu", "i"}, "ikeadm ike"},
		{[]string{"ikemu", "host", ""}, "add list rm set"},
		{[]string{"ikemu", "host", "add", "--a"}, "--addr"},
		{[]string{"ikemu", "host", "list", "-o", ""}, "text json"},
		{[]string{"ikemu", "peer", "set", "1.2.3.4", "--behavior", "a"}, "accept auth-fail"},
		{[]string{"ikemu", "link", "install", ""}, ""},
		{[]string{"ikemu", "ikeadm", ""}, ""},
		{[]string{"ikemu", "help", "ho"}, "host"},
	}
	for _, c := range cases {
		var words []string
		for _, w := range c.words {
			words = append(words, "'"+w+"'")
		}
		cmd := exec.Command(bash, "--norc", "-c", `source "$1"; COMP_WORDS=(`+strings.Join(words, " ")+`); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _ikemu; echo "${COMPREPLY[*]}"`, "bash", script)
		got, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v: %s", c.words, err, got)
		}
		if strings.TrimSpace(string(got)) != c.want {
			t.Errorf("completing %q = %q; want %q", c.words, strings.TrimSpace(string(got)), c.want)
		}
	}
}
