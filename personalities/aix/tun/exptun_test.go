package tun

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// FuzzParseTunnelExport: any tunnel export file parses or is refused
// without a panic; what parses builds and writes back to a file that
// parses to the same lines.
func FuzzParseTunnelExport(f *testing.F) {
	f.Add("#ver|x\n4|1|10.1.1.2|10.1.1.1|encr/auth|encr/auth|||Tunnel|480|401|301|HMAC_MD5|HMAC_MD5|0xffeeddccbbaa99887766554433221100|0x00112233445566778899aabbccddeeff|400|300|DES_CBC_8|DES_CBC_8|0x7766554433221100|0x0011223344556677|||||N|Y\n")
	f.Add("6|2|fe80::1|fe80::2|auth only|encr only|||Transport|0|256|256|HMAC_SHA|HMAC_SHA|||256|256|NULL|NULL|||||||Y|N\n")
	f.Add("4|1|a|b\n\r\n")
	f.Fuzz(func(t *testing.T, data string) {
		reqs, err := parseTunnelExport([]byte(data), "f")
		if err != nil {
			return
		}
		var b bytes.Buffer
		for _, q := range reqs {
			tun, err := q.build(defaults(256))
			if err != nil {
				t.Fatalf("%q parsed but does not build: %v", data, err)
			}
			fmt.Fprintf(&b, "%d|", tun.Version)
			writeColon(&b, tun)
		}
		again, err := parseTunnelExport(b.Bytes(), "f")
		if err != nil || len(again) != len(reqs) {
			t.Fatalf("rewritten %q: %v", b.String(), err)
		}
		if strings.Count(b.String(), "\n") != len(reqs) {
			t.Fatalf("lines: %q", b.String())
		}
	})
}
