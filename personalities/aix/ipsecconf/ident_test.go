package ipsecconf

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

func TestParseID(t *testing.T) {
	text := func(typ vpnxml.IDType, s string) vpnxml.ID { return vpnxml.ID{Type: typ, Text: s} }
	for _, tc := range []struct {
		in   string
		want vpnxml.ID
		bad  bool
	}{
		{"@gw.example.com", text(vpnxml.FQDN, "gw.example.com"), false},
		{"gw.example.com", text(vpnxml.FQDN, "gw.example.com"), false},
		{"fqdn:gw.example.com", text(vpnxml.FQDN, "gw.example.com"), false},
		{"dns:gw", text(vpnxml.FQDN, "gw"), false},
		{"ops@example.com", text(vpnxml.UserFQDN, "ops@example.com"), false},
		{"email:ops@example.com", text(vpnxml.UserFQDN, "ops@example.com"), false},
		{"userfqdn:ops@example.com", text(vpnxml.UserFQDN, "ops@example.com"), false},
		{"C=CH, O=Example, CN=gw.example.com", text(vpnxml.X500DN, "C=CH, O=Example, CN=gw.example.com"), false},
		{"/C=US/O=Example/CN=gw", text(vpnxml.X500DN, "/C=US/O=Example/CN=gw"), false},
		{"@#0a1b2c", text(vpnxml.KeyID, "0a1b2c"), false},
		{"keyid:#0a1b2c", text(vpnxml.KeyID, "0a1b2c"), false},
		{"192.0.2.1", v4("192.0.2.1"), false},
		{"ipv4:192.0.2.1", v4("192.0.2.1"), false},
		{"2001:db8::1", vpnxml.ID{Type: vpnxml.IPv6Address, Addr: netip.MustParseAddr("2001:db8::1")}, false},
		{"ipv6:2001:db8::1", vpnxml.ID{Type: vpnxml.IPv6Address, Addr: netip.MustParseAddr("2001:db8::1")}, false},
		{"", vpnxml.ID{}, true},
		{"%any", vpnxml.ID{}, true},
		{"@~3082", vpnxml.ID{}, true},
		{"@[raw]", vpnxml.ID{}, true},
		{"@bad name", vpnxml.ID{}, true},
		{"a b@example.com", vpnxml.ID{}, true},
		{"ipv4:gw", vpnxml.ID{}, true},
		{"C=CH, CN=\x01", vpnxml.ID{}, true},
	} {
		got, msg := parseID(tc.in)
		if (msg != "") != tc.bad {
			t.Errorf("parseID(%q): problem %q, want problem %v", tc.in, msg, tc.bad)
		}
		if diff := cmp.Diff(tc.want, got, cmpAddr); diff != "" {
			t.Errorf("parseID(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParseHost(t *testing.T) {
	for _, tc := range []struct {
		in   string
		kind hostKind
		addr string
		list bool
	}{
		{"192.0.2.1", hostAddr, "192.0.2.1", false},
		{"2001:db8::1", hostAddr, "2001:db8::1", false},
		{"::ffff:192.0.2.1", hostAddr, "192.0.2.1", false},
		{"192.0.2.1,192.0.2.2", hostAddr, "192.0.2.1", true},
		{"", hostAny, "", false},
		{"%any", hostAny, "", false},
		{"%ANY6", hostAny, "", false},
		{"0.0.0.0", hostAny, "", false},
		{"%defaultroute", hostDefaultRoute, "", false},
		{"vpn.example.com", hostName, "", false},
		{"%group", hostOther, "", false},
		{"%opportunisticgroup", hostOther, "", false},
		{"10.0.0.0/8", hostOther, "", false},
		{"fe80::1%eth0", hostOther, "", false},
	} {
		got := parseHost(tc.in)
		want := host{kind: tc.kind, list: tc.list}
		if tc.addr != "" {
			want.addr = netip.MustParseAddr(tc.addr)
		}
		if got != want {
			t.Errorf("parseHost(%q) = %+v, want %+v", tc.in, got, want)
		}
	}
}

func TestParseSubnet(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want selector
		bad  bool
	}{
		{"10.1.0.0/16", selector{id: subnet4("10.1.0.0", "255.255.0.0")}, false},
		{"10.1.2.3/16", selector{id: subnet4("10.1.0.0", "255.255.0.0")}, false},
		{"0.0.0.0/0", selector{id: subnet4("0.0.0.0", "0.0.0.0")}, false},
		{"10.1.2.3/32", selector{id: v4("10.1.2.3")}, false},
		{"10.1.2.3", selector{id: v4("10.1.2.3")}, false},
		{"2001:db8::/48", selector{id: vpnxml.ID{Type: vpnxml.IPv6Subnet, Addr: netip.MustParseAddr("2001:db8::"),
			Mask: netip.MustParseAddr("ffff:ffff:ffff::")}}, false},
		{"10.0.0.1-10.0.0.9", selector{id: vpnxml.ID{Type: vpnxml.IPv4AddressRange,
			Addr: netip.MustParseAddr("10.0.0.1"), To: netip.MustParseAddr("10.0.0.9")}}, false},
		{"10.1.0.0/16[tcp/80]", selector{id: subnet4("10.1.0.0", "255.255.0.0"), proto: vpnxml.TCP, port: 80, ppSet: true}, false},
		{"%dynamic[udp/1701]", selector{dynamic: true, proto: vpnxml.UDP, port: 1701, ppSet: true}, false},
		{"10.0.0.9-10.0.0.1", selector{}, true},
		{"10.0.0.1-2001:db8::1", selector{}, true},
		{"vhost:%priv", selector{}, true},
		{"10.1.0.0/16[tcp/http]", selector{}, true},
		{"10.1.0.0/16[icmp/8]", selector{}, true},
		{"10.1.0.0/16[tcp", selector{}, true},
	} {
		got, msg := parseSubnet(tc.in)
		if (msg != "") != tc.bad {
			t.Errorf("parseSubnet(%q): problem %q, want problem %v", tc.in, msg, tc.bad)
		}
		if tc.bad {
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmpAddr, cmp.AllowUnexported(selector{})); diff != "" {
			t.Errorf("parseSubnet(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParseProtoPort(t *testing.T) {
	for _, tc := range []struct {
		in    string
		proto vpnxml.Protocol
		port  int
		bad   bool
	}{
		{"17/1701", vpnxml.UDP, 1701, false},
		{"udp/%any", vpnxml.UDP, 0, false},
		{"tcp", vpnxml.TCP, 0, false},
		{"icmp", vpnxml.ICMP, 0, false},
		{"ipv6-icmp", vpnxml.ICMPv6, 0, false},
		{"50", 50, 0, false},
		{"%any", 0, 0, false},
		{"tcp/65536", 0, 0, true},
		{"sctp/80", 0, 0, true},
		{"300", 0, 0, true},
		{"udp/l2tp", 0, 0, true},
	} {
		proto, port, msg := parseProtoPort(tc.in)
		if (msg != "") != tc.bad || proto != tc.proto || port != tc.port {
			t.Errorf("parseProtoPort(%q) = %v, %v, %q; want %v, %v, problem %v", tc.in, proto, port, msg, tc.proto, tc.port, tc.bad)
		}
	}
}

func TestSameID(t *testing.T) {
	dn := func(s string) vpnxml.ID { return vpnxml.ID{Type: vpnxml.X500DN, Text: s} }
	fqdn := func(s string) vpnxml.ID { return vpnxml.ID{Type: vpnxml.FQDN, Text: s} }
	for _, tc := range []struct {
		a, b vpnxml.ID
		want bool
	}{
		{fqdn("GW.example.com"), fqdn("gw.example.COM"), true},
		{dn("C=CH, O=Ex, CN=gw"), dn("C=CH,O=Ex,CN=gw"), true},
		{dn("C=CH, O=Ex, CN=gw"), dn("C=CH, O=Ex, CN=gw2"), false},
		{fqdn("gw"), vpnxml.ID{Type: vpnxml.UserFQDN, Text: "gw"}, false},
		{v4("192.0.2.1"), v4("192.0.2.1"), true},
		{v4("192.0.2.1"), v4("192.0.2.2"), false},
	} {
		if got := sameID(tc.a, tc.b); got != tc.want {
			t.Errorf("sameID(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestDurations(t *testing.T) {
	for _, tc := range []struct {
		in     string
		secs   int64
		ok     bool
		min    int64
		change bool
	}{
		{"3600", 3600, true, 60, false},
		{"3600s", 3600, true, 60, false},
		{"20m", 1200, true, 20, false},
		{"8h", 28800, true, 480, false},
		{"1d", 86400, true, 1440, false},
		{"90s", 90, true, 2, true},
		{"10s", 10, true, 1, true},
		{"31d", 31 * 86400, true, 43200, true},
		{"1.5h", 0, false, 0, false},
		{"h", 0, false, 0, false},
		{"-5m", 0, false, 0, false},
		{"9999999999", 0, false, 0, false},
	} {
		secs, ok := parseDuration(tc.in)
		if secs != tc.secs || ok != tc.ok {
			t.Errorf("parseDuration(%q) = %d, %v; want %d, %v", tc.in, secs, ok, tc.secs, tc.ok)
		}
		if !ok {
			continue
		}
		m, note := toMinutes(secs, 1, maxMinutes)
		if m != tc.min || (note != "") != tc.change {
			t.Errorf("toMinutes(%d) = %d, %q; want %d, note %v", secs, m, note, tc.min, tc.change)
		}
	}
}
