package ikeconfig

import (
	"bytes"
	"fmt"
	"testing"
)

// genConfig builds a configuration of n realistic rules: a mix of
// preshared and certificate rules with ranges, prefixes, identities,
// lifetimes and two transforms each.
func genConfig(n int) []byte {
	var b bytes.Buffer
	b.WriteString("# generated\ncert_root \"C=US, O=Example, CN=Root CA\"\np1_lifetime_secs 14400\np2_pfs 2\n")
	for i := range n {
		a, c := i/250, i%250
		fmt.Fprintf(&b, "{\n\tlabel\t\"rule %d\"\n", i)
		fmt.Fprintf(&b, "\tlocal_addr\t10.%d.%d.1\n\tremote_addr\t172.16.%d.0/24\n", a, c, c)
		if i%2 == 0 {
			fmt.Fprintf(&b, "\tlocal_id_type\tip\n\tremote_addr\t192.168.%d.%d-192.168.%d.254\n", a, c/2+1, a)
			b.WriteString("\tp1_xform { encr_alg aes auth_alg sha256 oakley_group 14 auth_method preshared }\n")
			b.WriteString("\tp1_xform { encr_alg 3des auth_alg sha1 oakley_group 5 auth_method preshared p1_lifetime_secs 3600 }\n")
		} else {
			fmt.Fprintf(&b, "\tlocal_id_type\tdn\n\tlocal_id\t\"C=US, O=Example, CN=host%d\"\n", i)
			fmt.Fprintf(&b, "\tremote_id\t\"C=US, O=Example, CN=peer%d\"\n\tremote_id\t\"!CN=revoked\"\n", i)
			b.WriteString("\tp2_lifetime_secs\t7200\n\tp2_softlife_secs\t6000\n\tp2_lifetime_kb\t1048576\n")
			b.WriteString("\tp1_xform { encr_alg aes(128..256) auth_alg sha512 oakley_group 20 auth_method rsa_sig }\n")
			b.WriteString("\tp1_xform { encr_alg aes auth_alg sha384 oakley_group 19 auth_method rsa_sig }\n")
		}
		b.WriteString("}\n")
	}
	return b.Bytes()
}

func BenchmarkParse10000(b *testing.B) {
	src := genConfig(10000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Parse(bytes.NewReader(src))
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Rules) != 10000 {
			b.Fatalf("%d rules", len(f.Rules))
		}
	}
}

func TestGeneratedConfigParses(t *testing.T) {
	f := mustParse(t, string(genConfig(500)))
	if len(f.Rules) != 500 {
		t.Fatalf("%d rules", len(f.Rules))
	}
	for i := range f.Rules {
		checkRoundTrip(t, &f.Rules[i])
	}
}
