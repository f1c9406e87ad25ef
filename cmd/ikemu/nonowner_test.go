package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestNonOwnerRefusals runs every tool as a user who is neither root nor
// the lab's owner: each refuses in its vendor's words, with its exit
// status, before it opens the lab file. ikeadm's door call is refused as
// in.iked refuses an unauthorized caller (illumos ikeadm prints the
// daemon's "User not authorized" under the request's error, then bails);
// ike's line is IBM's; ikedb's and SRC's are ikemu's own (IBM documents
// none).
func TestNonOwnerRefusals(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a child under another uid")
	}
	const nobody = 65534
	base := t.TempDir()
	for _, d := range []string{filepath.Dir(base), base} { // t.TempDir makes both 0700
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(base, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := copyExecutable(self, filepath.Join(bin, "ikemu")); err != nil {
		t.Fatal(err)
	}
	for _, name := range append(toolNames(), "ikemu") {
		if name != "ikemu" {
			if err := os.Symlink("ikemu", filepath.Join(bin, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	labDir := filepath.Join(base, "lab")
	env := []string{"IKEMU_LAB=" + labDir, "HOME=" + base, "TZ=UTC", "PATH=" + bin}
	run := func(uid uint32, line string) (string, int) {
		argv := strings.Fields(line)
		cmd := exec.Command(filepath.Join(bin, argv[0]), argv[1:]...)
		cmd.Env = env
		cmd.Stdin = bytes.NewReader(nil)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if uid != 0 {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
		}
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return out.String(), exit.ExitCode()
		}
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return out.String(), 0
	}
	if out, code := run(0, "ikemu host list"); code != 0 {
		t.Fatalf("owner: exit %d: %s", code, out)
	}
	before, err := os.ReadFile(filepath.Join(labDir, "lab.db"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		line, want string
		code       int
	}{
		{"ikeadm get stats", "ikeadm: ERROR: error getting stats: User not authorized\n\nikeadm: Fatal error - exiting.\n", 1},
		{"ikeadm dump p1", "ikeadm: ERROR: error getting phase 1 SA info: User not authorized\n\nikeadm: Fatal error - exiting.\n", 1},
		{"ikeadm flush p1", "ikeadm: ERROR: error doing flush: User not authorized\n\nikeadm: Fatal error - exiting.\n", 1},
		{"ipseckey dump", "ipseckey: Insufficient privileges to run ipseckey.\n", 1},
		{"ipseckey -x", "ipseckey: Insufficient privileges to run ipseckey.\n", 1},
		{"ike cmd=list", "ike: You must have root access to use the ike command.\n", 1},
		{"ikedb -g", "ikedb: only root (or the owner of the lab) may use this command\n", 1},
		{"lssrc -g ike", "lssrc: only root (or the owner of the lab) may use this command\n", 1},
		{"startsrc -g ike", "startsrc: only root (or the owner of the lab) may use this command\n", 1},
		{"stopsrc -g ike", "stopsrc: only root (or the owner of the lab) may use this command\n", 1},
		{"ikemu host list", "ikemu: the lab " + labDir + " belongs to another user: only root or its owner may use it\n", 1},
	}
	for _, c := range cases {
		out, code := run(nobody, c.line)
		if out != c.want || code != c.code {
			t.Errorf("%s as uid %d: exit %d:\n%q\nwant exit %d:\n%q", c.line, nobody, code, out, c.code, c.want)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(labDir, "lab.db")); !bytes.Equal(after, before) {
		t.Error("a refused command changed lab.db")
	}
}

func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
