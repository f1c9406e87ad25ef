package ipsecconf

import (
	"fmt"
	"strings"
	"testing"
)

// policyFile is n entries, one per remote address, with a bypass rule
// every tenth.
func policyFile(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i%10 == 0 {
			fmt.Fprintf(&b, "{raddr 10.%d.%d.%d rport 22 dir both} bypass {}\n", i>>16&255, i>>8&255, i&255)
			continue
		}
		fmt.Fprintf(&b, "{raddr 10.%d.%d.%d} ipsec {encr_algs aes(128..256) encr_auth_algs sha256 sa shared}\n", i>>16&255, i>>8&255, i&255)
	}
	return []byte(b.String())
}

// BenchmarkLoad1000 and BenchmarkLoad10000 parse policy files of 1,000
// and 10,000 entries: side by side, their ratio shows the load is linear.
func BenchmarkLoad1000(b *testing.B)  { benchLoad(b, 1000) }
func BenchmarkLoad10000(b *testing.B) { benchLoad(b, 10000) }

func benchLoad(b *testing.B, n int) {
	data := policyFile(n)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		ld := &loader{warn: func(string) {}, resolve: labResolver(nil)}
		if res := ld.read(data); len(res.rules) != n {
			b.Fatalf("%d rules of %d", len(res.rules), n)
		}
	}
}
