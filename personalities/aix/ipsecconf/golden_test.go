package ipsecconf

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

var update = flag.Bool("update", false, "rewrite the expected files in testdata")

// TestRealisticFiles converts a Libreswan and a strongSwan configuration
// as a migrating administrator would have them, and compares the result
// with the reviewed expected document and warnings.
func TestRealisticFiles(t *testing.T) {
	for _, tc := range []struct {
		dir   string
		local []string
	}{
		{"libreswan", []string{"192.0.2.10", "10.10.0.1"}},
		{"strongswan", []string{"198.51.100.1", "2001:db8:1::1"}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			dir := filepath.Join("testdata", tc.dir)
			conf, secrets := readFile(t, dir, "ipsec.conf"), readFile(t, dir, "ipsec.secrets")
			doc, ws, err := Convert(bytes.NewReader(conf), "/etc/ipsec.conf", bytes.NewReader(secrets),
				"/etc/ipsec.secrets", Options{LocalAddrs: addrs(tc.local...)})
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			roundTrip(t, doc)
			var xml bytes.Buffer
			if err := vpnxml.Write(&xml, doc); err != nil {
				t.Fatal(err)
			}
			gotWarn := strings.Join(warnStrings(ws), "\n") + "\n"
			if *update {
				writeFile(t, dir, "expected.xml", xml.Bytes())
				writeFile(t, dir, "warnings.txt", []byte(gotWarn))
			}
			want, err := vpnxml.Decode(bytes.NewReader(readFile(t, dir, "expected.xml")), vpnxml.DecodeOptions{})
			if err != nil {
				t.Fatalf("expected.xml: %v", err)
			}
			if diff := cmp.Diff(want, doc, cmpAddr, ignorePos); diff != "" {
				t.Errorf("document differs from expected.xml (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(string(readFile(t, dir, "warnings.txt")), gotWarn); diff != "" {
				t.Errorf("warnings differ from warnings.txt (-want +got):\n%s", diff)
			}
		})
	}
}

func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
