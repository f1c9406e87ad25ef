package swan

import (
	"net/netip"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

func TestRangeText(t *testing.T) {
	for _, c := range []struct{ first, last, want string }{
		{"10.1.1.1", "10.1.1.1", "10.1.1.1"},
		{"10.1.0.0", "10.1.255.255", "10.1.0.0/16"},
		{"10.1.0.1", "10.1.0.5", "10.1.0.1-10.1.0.5"},
		{"10.1.0.0", "10.1.0.5", "10.1.0.0-10.1.0.5"},
		{"0.0.0.0", "255.255.255.255", "0.0.0.0/0"},
		{"2001:db8::", "2001:db8::ffff", "2001:db8::/112"},
	} {
		r := engine.AddrRange{First: netip.MustParseAddr(c.first), Last: netip.MustParseAddr(c.last)}
		if got := rangeText(r); got != c.want {
			t.Errorf("rangeText(%s-%s) = %s, want %s", c.first, c.last, got, c.want)
		}
	}
}

func TestIKEProposals(t *testing.T) {
	for _, c := range []struct {
		x    engine.Transform
		want []string
		err  bool
	}{
		{engine.Transform{Cipher: engine.CipherAES, KeyMin: 128, KeyMax: 256, Hash: engine.HashSHA1, Group: 14},
			[]string{"aes128-sha1-modp2048", "aes192-sha1-modp2048", "aes256-sha1-modp2048"}, false},
		{engine.Transform{Cipher: engine.CipherAES, Hash: engine.HashSHA256, Group: 19}, []string{"aes128-sha256-ecp256"}, false},
		{engine.Transform{Cipher: engine.Cipher3DES, Hash: engine.HashMD5, Group: 2}, []string{"3des-md5-modp1024"}, false},
		{engine.Transform{Cipher: engine.CipherAES, KeyMin: 130, KeyMax: 140, Hash: engine.HashSHA1, Group: 2}, nil, true},
		{engine.Transform{Cipher: engine.CipherAES, Hash: engine.HashSHA1, Group: 99}, nil, true},
	} {
		got, err := ikeProposals(c.x)
		if (err != nil) != c.err || len(got) != len(c.want) {
			t.Errorf("ikeProposals(%+v) = %v, %v", c.x, got, err)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("ikeProposals(%+v) = %v, want %v", c.x, got, c.want)
			}
		}
	}
}

func TestSecretText(t *testing.T) {
	for k, want := range map[string]string{"sharedsecret": `"sharedsecret"`, "a\"b": "0x612262", "\x01\x02": "0x0102"} {
		if got := secretText([]byte(k)); got != want {
			t.Errorf("secretText(%q) = %s, want %s", k, got, want)
		}
	}
}
