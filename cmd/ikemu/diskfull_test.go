package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/proc"
)

// inLab runs one tool line in-process on the lab in dir.
func inLab(dir, line string) (stdout, stderr string, code int) {
	env := map[string]string{"IKEMU_LAB": dir, "HOME": filepath.Dir(dir), "TZ": "UTC", "XDG_RUNTIME_DIR": filepath.Dir(dir)}
	var out, errOut bytes.Buffer
	p := &proc.Proc{Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }, UID: os.Geteuid(), Dir: filepath.Dir(dir)}
	code = run(strings.Fields(line), p)
	return out.String(), errOut.String(), code
}

// mountTmpfs mounts a tmpfs of size bytes at a new directory, unmounted
// when the test ends; it skips the test where that is not possible.
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	return dir
}

func tunnelsXML(n int) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n")
	b.WriteString(`  <IKEProtection IKE_ProtectionName="P1Pol" IKE_XchgMode="Main"><IKETransform IKE_Encryption="AES-CBC" IKE_KeyLength="256" IKE_Hash="SHA" IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/></IKEProtection>` + "\n")
	for i := range n {
		fmt.Fprintf(&b, `  <IKETunnel IKE_TunnelName="t%05d" IKE_ProtectionRef="P1Pol"><IKELocalIdentity><IPV4_Address Value="10.1.%d.%d"/></IKELocalIdentity><IKERemoteIdentity><IPV4_Address Value="10.2.%d.%d"/></IKERemoteIdentity></IKETunnel>`+"\n", i, i/256, i%256, i/256, i%256)
	}
	b.WriteString("</AIX_VPN>\n")
	return b.String()
}

var writeRefused = regexp.MustCompile(`^ikedb: lab database \S+ cannot be written \((no space left on device|read-only file system)\); nothing was changed\n$`)

// TestDiskFull: on a full file system a failing ikedb -p says so in one
// line, exits 1, and leaves the lab as it was: the same state, a file
// that checks, and no byte longer than before.
func TestDiskFull(t *testing.T) {
	fs := mountTmpfs(t, 256<<10)
	dir := filepath.Join(fs, "lab")
	if _, e, code := inLab(dir, "ikedb -p "+writeFile(t, tunnelsXML(3))); code != 0 {
		t.Fatalf("first put: %s", e)
	}
	before, _, _ := inLab(dir, "ikedb -g")
	fi, err := os.Stat(filepath.Join(dir, "lab.db"))
	if err != nil {
		t.Fatal(err)
	}
	// Fill what is left of the file system.
	pad, _ := os.Create(filepath.Join(fs, "pad"))
	for {
		if _, err := pad.Write(make([]byte, 4096)); err != nil {
			break
		}
	}
	pad.Close()
	_, stderr, code := inLab(dir, "ikedb -pF "+writeFile(t, tunnelsXML(2000)))
	if code != 1 || !writeRefused.MatchString(stderr) {
		t.Errorf("put on a full disk: exit %d: %q", code, stderr)
	}
	if after, err := os.Stat(filepath.Join(dir, "lab.db")); err != nil || after.Size() != fi.Size() {
		t.Errorf("lab.db grew from %d to %v bytes (%v)", fi.Size(), after.Size(), err)
	}
	if out, e, code := inLab(dir, "ikemu lab check"); code != 0 || out != "ok\n" {
		t.Errorf("lab check after the failed put: exit %d: %s%s", code, out, e)
	}
	if got, _, _ := inLab(dir, "ikedb -g"); got != before {
		t.Errorf("the state changed:\n%s\nwant:\n%s", got, before)
	}
}

// TestReadOnlyLab: on a read-only file system a write says so in one
// line and changes nothing, and reads still work.
func TestReadOnlyLab(t *testing.T) {
	fs := mountTmpfs(t, 1<<20)
	dir := filepath.Join(fs, "lab")
	if _, e, code := inLab(dir, "ikedb -p "+writeFile(t, tunnelsXML(3))); code != 0 {
		t.Fatalf("first put: %s", e)
	}
	before, _, _ := inLab(dir, "ikedb -g")
	if out, err := exec.Command("mount", "-o", "remount,ro", fs).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v: %s", err, out)
	}
	_, stderr, code := inLab(dir, "ikedb -pF "+writeFile(t, tunnelsXML(5)))
	if code != 1 || !writeRefused.MatchString(stderr) {
		t.Errorf("put on a read-only file system: exit %d: %q", code, stderr)
	}
	if got, e, _ := inLab(dir, "ikedb -g"); got != before {
		t.Errorf("read on a read-only file system:\n%s%s\nwant:\n%s", got, e, before)
	}
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f.xml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
