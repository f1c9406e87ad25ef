package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/proc"
)

// TestIpseckeyBothEndsAgree: after a negotiation between two lab hosts,
// ipseckey dump on each shows the same SPIs and keys in opposite
// directions: every entry one host prints (SPI, source, destination,
// keys) the other prints too.
func TestIpseckeyBothEndsAgree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	env := map[string]string{"IKEMU_LAB": dir, "HOME": t.TempDir(), "TZ": "UTC"}
	runTool := func(host string, argv ...string) string {
		t.Helper()
		env["IKEMU_HOST"] = host
		var out, errOut bytes.Buffer
		p := &proc.Proc{Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errOut,
			Getenv: func(k string) string { return env[k] }, UID: os.Geteuid(), Dir: t.TempDir()}
		if code := run(argv, p); code != 0 {
			t.Fatalf("%v: exit %d: %s", argv, code, errOut.String())
		}
		return out.String()
	}
	runTool("", "ikemu", "host", "add", "sol", "--addr", "10.1.1.1")
	runTool("", "ikemu", "host", "add", "sol2", "--addr", "10.1.1.2")
	hosts := []struct{ name, local, remote string }{{"sol", "10.1.1.1", "10.1.1.2"}, {"sol2", "10.1.1.2", "10.1.1.1"}}
	for _, h := range hosts {
		root := filepath.Join(dir, "hosts", h.name, "root", "etc", "inet")
		write(t, filepath.Join(root, "ike", "config"), "{ label \"r\" local_addr "+h.local+" remote_addr "+h.remote+
			" p1_xform { auth_method preshared oakley_group 14 auth_alg sha encr_alg aes } }\n")
		write(t, filepath.Join(root, "secret", "ike.preshared"), "{ localidtype IP localid "+h.local+
			" remoteidtype IP remoteid "+h.remote+" key 0102030405060708090a0b0c0d0e0f10 }\n")
		policy := filepath.Join(t.TempDir(), "policy.conf")
		write(t, policy, "{raddr "+h.remote+"} ipsec {encr_algs aes encr_auth_algs sha256 sa shared}\n")
		runTool(h.name, "in.iked")
		runTool(h.name, "ipsecconf", "-q", "-a", policy)
	}
	runTool("sol", "ikemu", "acquire", "--from", "10.1.1.1", "--to", "10.1.1.2")
	mine := sadbEntries(runTool("sol", "ipseckey", "-n", "dump"))
	theirs := sadbEntries(runTool("sol2", "ipseckey", "-n", "dump", "esp"))
	if len(mine) != 2 || !slices.Equal(mine, theirs) {
		t.Fatalf("the two ends differ:\n%q\n%q", mine, theirs)
	}
	if mine[0] == mine[1] || !strings.Contains(mine[0], "AKY: ") || !strings.Contains(mine[0], "EKY: ") {
		t.Errorf("entries %q", mine)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// sadbEntries is each dumped SA's SPI, address and key lines, sorted.
func sadbEntries(dump string) []string {
	var out []string
	for _, e := range strings.Split(dump, "\n\n") {
		var keep []string
		for _, line := range strings.Split(e, "\n") {
			if strings.HasPrefix(line, "SA: SADB_ASSOC") || strings.Contains(line, ": AF_INET") ||
				(strings.HasPrefix(line, "AKY: ") || strings.HasPrefix(line, "EKY: ")) && strings.Contains(line, "/") {
				keep = append(keep, line)
			}
		}
		if len(keep) > 0 {
			out = append(out, strings.Join(keep, "\n"))
		}
	}
	slices.Sort(out)
	return out
}
