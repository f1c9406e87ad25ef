package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/proc"
	"github.com/ikemu/ikemu/pkg/store"
)

// TestMigratesSchema1Lab opens a lab that ikemu wrote at schema version 1
// (testdata/lab-v1, made by make.sh with main at ef2b8b3: a Solaris host
// with its configuration loaded and an AIX host with an ikedb database,
// an activated tunnel between them), migrates it, and expects every tool
// to print what that ikemu printed of it. The migrated file then passes
// the store's check, and the copy in testdata is left as it was.
func TestMigratesSchema1Lab(t *testing.T) {
	src := filepath.Join("..", "..", "testdata", "lab-v1")
	orig, err := os.ReadFile(filepath.Join(src, "lab.db"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "lab")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lab.db"), orig, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"IKEMU_LAB": dir, "HOME": t.TempDir(), "TZ": "UTC", "XDG_RUNTIME_DIR": t.TempDir()}
	runAs := func(host string, argv ...string) string {
		var out bytes.Buffer
		getenv := func(k string) string {
			if k == "IKEMU_HOST" {
				return host
			}
			return env[k]
		}
		p := &proc.Proc{Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &out, Getenv: getenv, UID: os.Geteuid(), Dir: dir}
		run(argv, p)
		return out.String()
	}
	cases := []struct{ file, argv string }{
		{"dump_p1", "ikeadm dump p1"}, {"dump_rule", "ikeadm dump rule"},
		{"dump_preshared", "ikeadm -p dump preshared"}, {"get_stats", "ikeadm get stats"},
		{"ike_list", "ike cmd=list"}, {"ike_list_db", "ike cmd=list db"},
		{"ikedb_g", "ikedb -g"}, {"lssrc", "lssrc -g ike"},
	}
	for _, host := range []string{"sol", "aix"} {
		for _, c := range cases {
			want, err := os.ReadFile(filepath.Join(src, host+"."+c.file+".out"))
			if err != nil {
				t.Fatal(err)
			}
			if got := runAs(host, strings.Fields(c.argv)...); got != string(want) {
				t.Errorf("%s: %s:\n%s\nwant (schema 1):\n%s", host, c.argv, got, want)
			}
		}
	}
	want, err := os.ReadFile(filepath.Join(src, "hosts.out"))
	if err != nil {
		t.Fatal(err)
	}
	if got := runAs("", "ikemu", "host", "list"); got != string(want) {
		t.Errorf("ikemu host list:\n%s\nwant:\n%s", got, want)
	}
	if err := store.Check(filepath.Join(dir, "lab.db"), 0); err != nil {
		t.Errorf("the migrated lab does not check: %v", err)
	}
	if now, _ := os.ReadFile(filepath.Join(src, "lab.db")); !bytes.Equal(now, orig) {
		t.Error("testdata/lab-v1/lab.db changed")
	}
}
