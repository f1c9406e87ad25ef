package ipsecconf

import (
	"net/netip"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary policy files to the loader: it never panics,
// every rule it returns has actions, and no message grows beyond the
// entry text ipsecconf keeps (8 KiB) plus its own words.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"{raddr 10.1.1.2} ipsec {encr_algs aes encr_auth_algs sha1 sa shared}\n",
		"{lport 22 dir both} bypass {}\n{ulp udp dir out} drop {}\n",
		"{saddr 10.0.0.1 daddr 10.0.0.2} apply {encr_algs aes(128..256) encr_auth_algs sha256}\n",
		"{laddr 10.0.0.0/24} ipsec {encr_algs 3des encr_auth_algs md5} or ipsec {auth_algs sha1}\n",
		"{tunnel ip.tun0 negotiate tunnel laddr 192.168.1.0/24} ipsec {encr_algs aes-gcm}\n",
		"{ulp icmp type echo code 0-3} bypass {dir in}\n",
		"{raddr host} ipsec {encr_algs aes(..256) auth_algs none}\n# comment\n{ \n",
		"{} ipsec {encr_algs null encr_auth_algs any} \\\n",
	} {
		f.Add([]byte(s))
	}
	hosts := map[string][]netip.Addr{"host": {netip.MustParseAddr("10.9.9.9")}}
	f.Fuzz(func(t *testing.T, data []byte) {
		ld := &loader{resolve: labResolver(hosts), warn: func(m string) {
			if len(m) > cbufLen+256 {
				t.Fatalf("message of %d bytes", len(m))
			}
		}}
		res := ld.read(data)
		if res.goodRules > res.numRules {
			t.Fatalf("%d good of %d", res.goodRules, res.numRules)
		}
		for _, r := range res.rules {
			if len(r.Actions) == 0 || r.Dir == 0 && !strings.Contains(r.Text, "pass") && !strings.Contains(r.Text, "drop") {
				t.Fatalf("rule without actions or direction from %q", r.Text)
			}
		}
	})
}
