package preshared

import (
	"bytes"
	"fmt"
	"testing"
)

// benchFile generates n entries mixing IPv4 hosts and prefixes, IPv6
// hosts, both key forms and the field aliases.
func benchFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString("# generated\n")
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "{\n\tlocalidtype IP\n\tlocalid 10.%d.%d.1\n\tremoteidtype IP\n\tremoteid 172.16.%d.%d\n\tike_mode main\n\tkey %032x\n}\n",
				i>>8&255, i&255, i>>8&255, i&255, i)
		case 1:
			fmt.Fprintf(&b, "{\n\tlocal_id_type IPv4\n\tlocal_addr 10.%d.0.0/16\n\tremote_addr 192.168.%d.0/24\n\tkey %040x/156\n}\n", i&255, i&255, i)
		case 2:
			fmt.Fprintf(&b, "{\n\tlocalidtype IPv6\n\tlocalid 2001:db8:%x::1\n\tremoteid 2001:db8:ffff:%x::2/64\n\tkey \"passphrase number %d\"\n}\n", i, i, i)
		default:
			fmt.Fprintf(&b, "{ localid 10.0.%d.%d remoteid 10.1.%d.%d key %064x }\n", i>>8&255, i&255, i>>8&255, i&255, i)
		}
	}
	return b.Bytes()
}

func BenchmarkParse10k(b *testing.B) {
	data := benchFile(10000)
	res, err := Parse(bytes.NewReader(data), nil)
	if err != nil || len(res.Keys) != 10000 {
		b.Fatalf("setup: %v (%d keys)", err, len(res.Keys))
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
}
