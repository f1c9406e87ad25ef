package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/pem"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
	"github.com/ikemu/ikemu/pkg/token/tokentest"
)

// TestTokenPINNeverOnDisk logs in to a real SoftHSM2 token and looks for
// the PIN's bytes in every file of the lab (lab.db, freed pages included,
// and the host trees with the daemon's debug log) while logged in, after
// token logout and after daemon stop. The PIN is only ever in one 0600
// file of a 0700 directory under XDG_RUNTIME_DIR (tmpfs), and only while
// the login lasts.
func TestTokenPINNeverOnDisk(t *testing.T) {
	module := tokentest.Module()
	if module == "" {
		if tokentest.Required(os.Getenv) {
			t.Fatal(tokentest.Missing())
		}
		t.Skip(tokentest.Missing())
	}
	work := t.TempDir()
	runtimeDir, err := tokentest.NewRuntimeDir()
	if err != nil {
		t.Skipf("no tmpfs for XDG_RUNTIME_DIR: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(runtimeDir) })
	conf, err := tokentest.NewConfig(filepath.Join(work, "softhsm"))
	if err != nil {
		t.Fatal(err)
	}
	// The module reads its store from the process environment.
	t.Setenv("SOFTHSM2_CONF", conf)
	pin := randomPIN(t)
	if err := tokentest.InitToken(conf, "pin token", pin); err != nil {
		t.Fatal(err)
	}
	ca, err := tokentest.NewCert(tokentest.CertSpec{Subject: "C=US, O=ikemu lab, CN=Lab Root CA", CA: true})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := tokentest.NewCert(tokentest.CertSpec{Subject: "C=US, O=ikemu lab, CN=local", Signer: ca})
	if err != nil {
		t.Fatal(err)
	}
	if err := tokentest.Import(module, "pin token", pin, []byte{0x0a, 0x01}, "host", leaf.Cert, leaf.Key); err != nil {
		t.Fatal(err)
	}

	labDir := filepath.Join(work, "lab")
	env := map[string]string{"IKEMU_LAB": labDir, "HOME": work, "TZ": "UTC", "IKEMU_LOCK_TIMEOUT": "5s", "XDG_RUNTIME_DIR": runtimeDir}
	exec := func(stdin string, argv ...string) (int, string, string) {
		var out, errw bytes.Buffer
		p := &proc.Proc{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errw,
			Getenv: func(k string) string { return env[k] }, Dir: work, UID: os.Geteuid()}
		code := run(argv, p)
		return code, out.String(), errw.String()
	}
	cmd := func(stdin string, argv ...string) string {
		t.Helper()
		code, out, errw := exec(stdin, argv...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", strings.Join(argv, " "), code, out, errw)
		}
		return out
	}
	cmd("", "ikemu", "host", "set", "local", "--pkcs11", module)
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
	if err := os.WriteFile(filepath.Join(labDir, "hosts/local/root/etc/inet/ike/publickeys/ca.pem"), caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd("", "ikemu", "daemon", "stop")
	cmd("", "in.iked", "-d") // debug on: the log must not get it either
	login := func() {
		t.Helper()
		cmd(pin+"\n", "ikeadm", "token", "login", "pin token")
		if out := cmd("", "ikeadm", "dump", "certcache"); !strings.Contains(out, "[Private key available]") {
			t.Fatalf("after login:\n%s", out)
		}
		noPINUnder(t, labDir, pin)
		pinFiles(t, runtimeDir, pin, 1)
	}

	login()
	cmd("", "ikeadm", "token", "logout", "pin token")
	noPINUnder(t, labDir, pin)
	pinFiles(t, runtimeDir, pin, 0)

	login()
	cmd("", "ikemu", "daemon", "stop")
	noPINUnder(t, labDir, pin)
	pinFiles(t, runtimeDir, pin, 0)

	cmd("", "ikemu", "daemon", "start")
	login()
	cmd("", "ikemu", "daemon", "stop")
	cmd("", "ikemu", "daemon", "start")
	pinFiles(t, runtimeDir, pin, 0)
	noPINUnder(t, labDir, pin)

	// A runtime directory on disk is refused, in one line, and the
	// token stays locked.
	disk := filepath.Join(work, "run")
	if err := os.Mkdir(disk, 0o700); err != nil {
		t.Fatal(err)
	}
	if mem, _ := lab.MemoryBacked(disk); mem {
		return
	}
	env["XDG_RUNTIME_DIR"] = disk
	code, _, errw := exec(pin+"\n", "ikeadm", "token", "login", "pin token")
	want := "Enter PIN for PKCS#11 token 'pin token': \nikeadm: keep token PIN: " + disk +
		" is not memory-backed (tmpfs or ramfs), and a PIN never goes to persistent storage\n"
	if code != 1 || errw != want {
		t.Errorf("login with XDG_RUNTIME_DIR on disk: exit %d\n%s", code, errw)
	}
	if ents, _ := os.ReadDir(disk); len(ents) != 0 {
		t.Errorf("made on disk: %v", ents)
	}
	if out := cmd("", "ikeadm", "dump", "certcache"); !strings.Contains(out, "[Private key linked but locked]") {
		t.Errorf("after a refused login:\n%s", out)
	}
	noPINUnder(t, labDir, pin)
}

// randomPIN is a PIN no file holds by chance.
func randomPIN(t *testing.T) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "pin-" + hex.EncodeToString(b[:])
}

// noPINUnder fails when any file under dir holds pin's bytes.
func noPINUnder(t *testing.T, dir, pin string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if bytes.Contains(raw, []byte(pin)) {
			t.Errorf("%s holds the PIN", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no files under %s", dir)
	}
}

// pinFiles checks the PIN store: a 0700 directory with want files, each
// 0600 and holding pin.
func pinFiles(t *testing.T, runtimeDir, pin string, want int) {
	t.Helper()
	dir := filepath.Join(runtimeDir, "ikemu")
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Fatalf("PIN directory %s: %v %v", dir, fi.Mode(), err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != want {
		t.Fatalf("%d PIN files, want %d: %v", len(ents), want, ents)
	}
	for _, e := range ents {
		path := filepath.Join(dir, e.Name())
		fi, err := os.Lstat(path)
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
			t.Errorf("PIN file %s: %v %v", path, fi.Mode(), err)
		}
		if raw, _ := os.ReadFile(path); string(raw) != pin {
			t.Errorf("PIN file %s holds %d bytes, not the PIN", path, len(raw))
		}
	}
}
