package preshared

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

func TestMatchAddrs(t *testing.T) {
	a := netip.MustParseAddr
	host := simple("10.1.1.2", "10.21.12.4", abcd(), 16)
	nets := addrKey("10.0.0.0/8", "10.0.0.0", 8, "192.168.1.9/24", "192.168.1.9", 24, abcd(), 16)
	any4 := addrKey("0.0.0.0/0", "0.0.0.0", 0, "10.21.12.4", "10.21.12.4", -1, abcd(), 16)
	v6 := addrKey("2001:db8::/32", "2001:db8::", 32, "fe80::1", "fe80::1", -1, abcd(), 16)
	mapped := addrKey("::ffff:10.1.1.0/24", "::ffff:10.1.1.0", 24, "::ffff:10.21.12.4", "::ffff:10.21.12.4", -1, abcd(), 16)
	ident := engine.PresharedKey{LocalIDType: engine.IDFQDN, LocalID: "a", RemoteIDType: engine.IDFQDN, RemoteID: "b"}
	tests := []struct {
		name          string
		k             engine.PresharedKey
		local, remote string
		want          bool
	}{
		{"exact host", host, "10.1.1.2", "10.21.12.4", true},
		{"host needs full length", host, "10.1.1.3", "10.21.12.4", false},
		{"remote differs", host, "10.1.1.2", "10.21.12.5", false},
		{"swapped", host, "10.21.12.4", "10.1.1.2", false},
		{"mapped arguments are IPv4", host, "::ffff:10.1.1.2", "::ffff:10.21.12.4", true},
		{"prefixes", nets, "10.200.3.4", "192.168.1.200", true},
		{"outside prefix", nets, "11.0.0.1", "192.168.1.200", false},
		{"prefix 0 matches all", any4, "172.16.0.1", "10.21.12.4", true},
		{"v6 prefix", v6, "2001:db8:ffff::1", "fe80::1", true},
		{"v6 outside", v6, "2001:db9::1", "fe80::1", false},
		{"v4 lookup does not see v6 entries", v6, "10.1.1.2", "10.21.12.4", false},
		{"v6 lookup does not see v4 entries", host, "::1", "::2", false},
		{"v4 lookup sees mapped entries", mapped, "10.1.1.77", "10.21.12.4", true},
		{"mixed families", host, "10.1.1.2", "2001:db8::1", false},
		{"invalid address", host, "", "10.21.12.4", false},
		{"identity entries never", ident, "10.1.1.2", "10.21.12.4", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var l, r netip.Addr
			if tc.local != "" {
				l = a(tc.local)
			}
			if tc.remote != "" {
				r = a(tc.remote)
			}
			if got := MatchAddrs(&tc.k, l, r); got != tc.want {
				t.Errorf("MatchAddrs = %v, want %v", got, tc.want)
			}
		})
	}
	if MatchAddrs(nil, a("10.1.1.2"), a("10.1.1.2")) {
		t.Error("nil entry matched")
	}
}

func TestMatchIdents(t *testing.T) {
	file := simple("10.1.1.2", "10.21.12.4", abcd(), 16)
	inlineAddr, err := ParseInline(strings.Fields("{ localid 10.1.1.2 remoteid 10.21.12.4 key ab }"), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	fqdn := engine.PresharedKey{LocalIDType: engine.IDFQDN, LocalID: "A.Example", RemoteIDType: engine.IDUserFQDN, RemoteID: "U@B.example"}
	dn := engine.PresharedKey{LocalIDType: engine.IDDN, LocalID: "C=US", RemoteIDType: engine.IDIPv6Prefix, RemoteID: "2001:db8::/32"}
	tests := []struct {
		name  string
		k     engine.PresharedKey
		lt, l string
		rt, r string
		want  bool
	}{
		{"file entry by text", file, "ip", "10.1.1.2", "ipv6", "10.21.12.4", true},
		{"file entry text differs", file, "ip", "10.1.1.02", "ip", "10.21.12.4", false},
		{"file entry wrong class", file, "fqdn", "10.1.1.2", "ip", "10.21.12.4", false},
		{"inline address keeps no text", inlineAddr, "ip", "10.1.1.2", "ip", "10.21.12.4", false},
		{"fqdn ignores case", fqdn, "dns", "a.EXAMPLE", "mailbox", "u@b.EXAMPLE", true},
		{"fqdn wrong remote class", fqdn, "fqdn", "a.example", "fqdn", "u@b.example", false},
		{"dn is exact", dn, "asn1dn", "C=US", "ipv4-prefix", "2001:db8::/32", true},
		{"dn case matters", dn, "dn", "c=us", "prefix", "2001:db8::/32", false},
		{"prefix class ignores family keyword", dn, "dn", "C=US", "subnet", "2001:db8::/32", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lk, ok1 := IdentKind(tc.lt)
			rk, ok2 := IdentKind(tc.rt)
			if !ok1 || !ok2 {
				t.Fatal("bad keyword in test")
			}
			if got := MatchIdents(&tc.k, lk, tc.l, rk, tc.r); got != tc.want {
				t.Errorf("MatchIdents = %v, want %v", got, tc.want)
			}
		})
	}
	if MatchIdents(nil, engine.IDFQDN, "a", engine.IDFQDN, "b") {
		t.Error("nil entry matched")
	}
}
