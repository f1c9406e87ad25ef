package ikev1

import (
	"encoding/hex"
	"testing"
)

// Known answers from Schneier's published Blowfish test vectors.
func TestBlowfishVectors(t *testing.T) {
	d := blowfishPi
	if d[0] != 0x243f6a88 || d[1] != 0x85a308d3 || d[18] != 0xd1310ba6 || d[len(d)-1] != 0x3ac372e6 {
		t.Fatalf("pi digits: %08x %08x %08x ... %08x", d[0], d[1], d[18], d[len(d)-1])
	}
	for _, v := range []struct{ key, pt, ct string }{
		{"0000000000000000", "0000000000000000", "4ef997456198dd78"},
		{"ffffffffffffffff", "ffffffffffffffff", "51866fd5b85ecb8a"},
		{"0123456789abcdef", "1111111111111111", "61f9c3802281b096"},
		{"fedcba9876543210", "0123456789abcdef", "0aceab0fc6a0a28d"},
	} {
		key, _ := hex.DecodeString(v.key)
		pt, _ := hex.DecodeString(v.pt)
		c, err := newBlowfish(key)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]byte, 8)
		c.Encrypt(out, pt)
		if hex.EncodeToString(out) != v.ct {
			t.Fatalf("key %s: got %x, want %s", v.key, out, v.ct)
		}
		c.Decrypt(out, out)
		if hex.EncodeToString(out) != v.pt {
			t.Fatalf("key %s: decrypt gave %x", v.key, out)
		}
	}
}
