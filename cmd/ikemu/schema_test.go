package main

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/proc"
)

var schemaDir = filepath.Join("..", "..", "schema", "ikemu.v1")

// TestShowOutputMatchesSchemas runs every JSON view on a lab with two
// negotiated hosts and an outside peer, and validates what it writes:
// the envelope against envelope.schema.json, each item (and each jsonl
// line) against its kind's schema.
func TestShowOutputMatchesSchemas(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	env := map[string]string{"IKEMU_LAB": dir, "HOME": t.TempDir(), "TZ": "UTC"}
	ikemu := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		p := &proc.Proc{Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errOut,
			Getenv: func(k string) string { return env[k] }, UID: os.Geteuid(), Dir: dir}
		if code := run(append([]string{"ikemu"}, args...), p); code != 0 {
			t.Fatalf("ikemu %v: exit %d: %s", args, code, errOut.String())
		}
		return out.String()
	}
	ikemu("lab", "init", "--seed", "3", "--clock", "2026-03-04T10:15:00Z")
	for _, h := range []struct{ name, addr string }{{"sol-a", "10.1.1.1"}, {"sol-b", "10.1.1.2"}} {
		ikemu("host", "add", h.name, "--addr", h.addr)
		root := filepath.Join(dir, "hosts", h.name, "root")
		copyFile(t, filepath.Join("..", "..", "examples", "solaris", h.name, "ike.config"), filepath.Join(root, "etc/inet/ike/config"))
		copyFile(t, filepath.Join("..", "..", "examples", "solaris", h.name, "ike.preshared"), filepath.Join(root, "etc/inet/secret/ike.preshared"))
		env["IKEMU_HOST"] = h.name
		ikemu("daemon", "start", "--priv", "keymat")
	}
	writeSelfSignedCert(t, filepath.Join(dir, "hosts", "sol-a", "root", "etc/inet/ike/publickeys/a.pem"))
	env["IKEMU_HOST"] = "sol-a"
	ikemu("acquire", "--from", "10.1.1.1", "--to", "10.1.1.2")
	ikemu("peer", "set", "192.0.2.9", "--behavior", "auth-fail")

	views := [][]string{
		{"host", "list", "-o", "json"}, {"peer", "list", "-o", "json"}, {"daemon", "status", "-o", "json"}, {"clock", "-o", "json"},
		{"show", "p1", "--keys", "-o", "json"}, {"show", "keys", "--keys", "-o", "json"}, {"show", "keys", "--host", "sol-b", "-o", "json"},
	}
	for _, kind := range []string{"hosts", "peers", "p1", "p2", "rules", "keys", "tunnels", "stats", "defaults", "certs", "tokens"} {
		views = append(views, []string{"show", kind, "-o", "json"})
	}
	envelope := mustSchema(t, "envelope.schema.json")
	for _, args := range views {
		out := ikemu(args...)
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("ikemu %v: not JSON: %v\n%s", args, err, out)
		}
		for _, e := range envelope.validate(doc, "$") {
			t.Errorf("ikemu %v: %s", args, e)
		}
		kind, _ := doc["kind"].(string)
		items, _ := doc["items"].([]any)
		if len(items) == 0 && kind != "tokens" { // a login needs SoftHSM2: the token tests cover it
			t.Errorf("ikemu %v: no items to validate", args)
		}
		item := mustSchema(t, kind+".schema.json")
		for i, it := range items {
			for _, e := range item.validate(it, fmt.Sprintf("$.items[%d]", i)) {
				t.Errorf("ikemu %v: %s", args, e)
			}
		}
	}
	// jsonl: each line is one item of the kind.
	for _, kind := range []string{"p1", "p2", "rules", "hosts"} {
		out := ikemu("show", kind, "-o", "jsonl")
		item := mustSchema(t, kind+".schema.json")
		sc := bufio.NewScanner(strings.NewReader(out))
		n := 0
		for sc.Scan() {
			var v any
			if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
				t.Fatalf("show %s -o jsonl: line %d: %v", kind, n+1, err)
			}
			for _, e := range item.validate(v, "$") {
				t.Errorf("show %s -o jsonl: line %d: %s", kind, n+1, e)
			}
			n++
		}
		if n == 0 {
			t.Errorf("show %s -o jsonl wrote nothing", kind)
		}
	}
}

func mustSchema(t *testing.T, name string) *jsonSchema {
	t.Helper()
	s, err := loadSchema(filepath.Join(schemaDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestSchemaValidatorCatches: the validator itself finds what it must.
func TestSchemaValidatorCatches(t *testing.T) {
	s := mustSchema(t, "peers.schema.json")
	cases := map[string]string{
		`{"addr":"192.0.2.9"}`:                                  `lacks "behavior"`,
		`{"addr":"192.0.2.9","behavior":"maybe"}`:               "is none of",
		`{"addr":"192.0.2.9","behavior":"accept","extra":true}`: `has "extra"`,
		`{"addr":"not an address!","behavior":"accept"}`:        "does not match",
		`{"addr":7,"behavior":"accept"}`:                        "want string",
	}
	for doc, want := range cases {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatal(err)
		}
		errs := strings.Join(s.validate(v, "$"), "; ")
		if !strings.Contains(errs, want) {
			t.Errorf("%s: errors %q; want one with %q", doc, errs, want)
		}
	}
}

// writeSelfSignedCert puts a fresh self-signed certificate (PEM) at path.
func writeSelfSignedCert(t *testing.T, path string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "sol-a"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
}
