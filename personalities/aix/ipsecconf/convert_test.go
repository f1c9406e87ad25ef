package ipsecconf

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// peer is a complete IKEv1 PSK conn from 192.0.2.1 to 192.0.2.2, to which
// tests add settings.
func peer(extra string) string {
	return v1("conn peer\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tauthby=secret\n\tike=aes128-sha1-modp2048\n\tesp=aes128-sha1\n" + extra)
}

const peerSecret = "192.0.2.1 192.0.2.2 : PSK \"k\"\n"

// only returns the single IKE tunnel, protection and IPsec protection of a
// one-conn conversion.
func only(t *testing.T, r result) (vpnxml.IKETunnel, vpnxml.IKEProtection, vpnxml.IPSecProtection) {
	t.Helper()
	d := r.doc
	if len(d.IKETunnels) != 1 || len(d.IKEProtections) != 1 || len(d.IPSecProtections) != 1 {
		t.Fatalf("want one conn, got %d tunnels; warnings %q", len(d.IKETunnels), r.warn)
	}
	return d.IKETunnels[0], d.IKEProtections[0], d.IPSecProtections[0]
}

func TestSides(t *testing.T) {
	for _, tc := range []struct {
		name          string
		left, right   string
		local         []string
		wantL, wantR  string // local and remote phase 1 identities
		warn          string // a fragment of an expected warning
		skippedReason string
	}{
		{"left is local", "192.0.2.1", "192.0.2.2", []string{"192.0.2.1"}, "192.0.2.1", "192.0.2.2", "", ""},
		{"right is local", "192.0.2.1", "192.0.2.2", []string{"192.0.2.2"}, "192.0.2.2", "192.0.2.1", "", ""},
		{"neither", "192.0.2.1", "192.0.2.2", nil, "192.0.2.1", "192.0.2.2", "left is taken as the local side", ""},
		{"defaultroute left", "%defaultroute", "192.0.2.2", []string{"192.0.2.9", "2001:db8::9"}, "192.0.2.9", "192.0.2.2",
			"left=%defaultroute: this host's address 192.0.2.9 is used", ""},
		{"defaultroute right", "192.0.2.2", "%defaultroute", []string{"192.0.2.9"}, "192.0.2.9", "192.0.2.2",
			"right=%defaultroute: this host's address 192.0.2.9 is used", ""},
		{"any left picks family", "%any", "2001:db8::2", []string{"192.0.2.9", "2001:db8::9"}, "2001:db8::9", "2001:db8::2",
			"left=%any: this host's address 2001:db8::9 is used", ""},
		{"local name", "gw.example.com", "192.0.2.2", []string{"192.0.2.9"}, "192.0.2.9", "192.0.2.2", "host names are not resolved", ""},
		{"no local address", "%defaultroute", "192.0.2.2", nil, "", "", "", "no address of this host is known"},
		{"families differ", "192.0.2.1", "2001:db8::2", []string{"192.0.2.1"}, "", "", "", "different IP versions"},
		{"peer is defaultroute", "192.0.2.1", "%defaultroute", []string{"192.0.2.1"}, "", "", "", "names this host on the peer's side"},
		{"group", "192.0.2.1", "%group", []string{"192.0.2.1"}, "", "", "", "opportunistic encryption"},
		{"peer unknown, no id", "192.0.2.1", "%any", []string{"192.0.2.1"}, "", "", "", "neither a fixed address nor an identity"},
		{"address list", "192.0.2.1,192.0.2.3", "192.0.2.2", []string{"192.0.2.1"}, "192.0.2.1", "192.0.2.2", "only the first address", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := v1("conn c\n\tleft=" + tc.left + "\n\tright=" + tc.right + "\n\tauthby=secret\n\tike=aes-sha1-modp2048\n\tesp=aes-sha1\n")
			r := mustConvert(t, conf, ": PSK \"k\"\n", tc.local...)
			if tc.skippedReason != "" {
				if len(r.doc.IKETunnels) != 0 || !hasWarning(r.warn, tc.skippedReason, "conn skipped") {
					t.Fatalf("want conn skipped for %q; warnings %q", tc.skippedReason, r.warn)
				}
				return
			}
			tun, _, _ := only(t, r)
			if got := idString(tun.Local.ID) + " " + idString(tun.Remote.ID); got != tc.wantL+" "+tc.wantR {
				t.Errorf("identities %s, want %s %s", got, tc.wantL, tc.wantR)
			}
			if tc.warn != "" && !hasWarning(r.warn, tc.warn) {
				t.Errorf("warnings %q lack %q", r.warn, tc.warn)
			}
			if tc.warn == "" && len(r.warn) > 0 {
				t.Errorf("unexpected warnings %q", r.warn)
			}
		})
	}
}

func TestIKEVersion(t *testing.T) {
	const body = "conn c\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tauthby=secret\n\tike=aes-sha1-modp2048\n\tesp=aes-sha1\n"
	for _, tc := range []struct {
		name, conf string
		converted  bool
		warn       string
	}{
		{"strongSwan ikev1", body + "\tkeyexchange=ikev1\n", true, ""},
		{"strongSwan ikev2", body + "\tkeyexchange=ikev2\n", false, "keyexchange=ikev2: the AIX IKE database holds IKEv1 tunnels only; conn skipped"},
		{"strongSwan ike", body + "\tkeyexchange=ike\n", false, "holds IKEv1 tunnels only"},
		{"strongSwan bad", body + "\tkeyexchange=v1\n", false, "keyexchange=v1 is not a valid value; conn skipped"},
		{"strongSwan default", "config setup\n\tcharondebug=all\n\n" + body + "\tmobike=no\n", false, "strongSwan speaks IKEv2"},
		{"Libreswan ikev2=no", body + "\tikev2=no\n", true, ""},
		{"Libreswan ikev2=permit", body + "\tikev2=permit\n", true, ""},
		{"Libreswan ikev2=insist", body + "\tikev2=insist\n", false, "ikev2=insist: the AIX IKE database"},
		{"Libreswan default", "config setup\n\tprotostack=netkey\n\n" + body + "\tpfs=yes\n", true, "taken as IKEv1"},
		{"unknown default", body, true, "neither keyexchange= nor ikev2= is set: taken as IKEv1"},
		{"keyexchange wins", body + "\tkeyexchange=ikev1\n\tikev2=insist\n", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustConvert(t, tc.conf, "192.0.2.2 : PSK \"k\"\n", "192.0.2.1")
			if got := len(r.doc.IKETunnels) == 1; got != tc.converted {
				t.Errorf("converted %v, want %v; warnings %q", got, tc.converted, r.warn)
			}
			if tc.warn != "" && !hasWarning(r.warn, tc.warn) {
				t.Errorf("warnings %q lack %q", r.warn, tc.warn)
			}
		})
	}
}

func TestAuthentication(t *testing.T) {
	for _, tc := range []struct {
		settings string
		want     vpnxml.AuthMethod // "" when the conn is skipped
		warn     string
	}{
		{"authby=secret", vpnxml.PresharedKey, ""},
		{"authby=psk", vpnxml.PresharedKey, ""},
		{"authby=rsasig", vpnxml.RSASignature, "authby=rsasig: RSA signatures are used; certificates"},
		{"authby=pubkey", vpnxml.RSASignature, "certificates and keys are not converted"},
		{"authby=rsa-sha2", vpnxml.RSASignature, "RSA signatures"},
		{"authby=secret,rsasig", vpnxml.PresharedKey, "AIX uses one method per tunnel; secret is used"},
		{"", vpnxml.RSASignature, "authby= is not set: RSA signatures"},
		{"leftauth=psk\n\trightauth=psk", vpnxml.PresharedKey, ""},
		{"leftauth=pubkey\n\trightauth=pubkey", vpnxml.RSASignature, "leftauth=pubkey: RSA"},
		{"leftauth=psk\n\trightauth=pubkey", "", "leftauth= and rightauth= differ"},
		{"authby=secret\n\tleftauth=pubkey\n\trightauth=pubkey", vpnxml.RSASignature, "authby=secret: ignored, since leftauth= and rightauth= decide"},
		{"leftauth=psk\n\trightauth=psk\n\trightauth2=xauth", "", "second authentication round"},
		{"authby=ecdsa", "", "AIX IKEv1 signs with RSA only; conn skipped"},
		{"authby=xauthpsk", "", "XAUTH and EAP"},
		{"authby=never", "", "never authenticates"},
		{"authby=magic", "", "authby=magic is not a known authentication method; conn skipped"},
	} {
		conf := v1("conn c\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tike=aes-sha1-modp2048\n\tesp=aes-sha1\n\t" + tc.settings + "\n")
		r := mustConvert(t, conf, ": PSK \"k\"\n", "192.0.2.1")
		if tc.want == "" {
			if len(r.doc.IKETunnels) != 0 || !hasWarning(r.warn, tc.warn) {
				t.Errorf("%q: want skipped with %q; warnings %q", tc.settings, tc.warn, r.warn)
			}
			continue
		}
		_, prot, _ := only(t, r)
		if got := prot.Transforms[0].AuthMethod; got != tc.want {
			t.Errorf("%q: method %s, want %s", tc.settings, got, tc.want)
		}
		if tc.warn != "" && !hasWarning(r.warn, tc.warn) {
			t.Errorf("%q: warnings %q lack %q", tc.settings, r.warn, tc.warn)
		}
		if psk := len(r.doc.PresharedKeys) == 1; psk != (tc.want == vpnxml.PresharedKey) {
			t.Errorf("%q: preshared key present %v", tc.settings, psk)
		}
	}
}

func TestPFS(t *testing.T) {
	const strongSwan = "config setup\n\tcharondebug=all\n\n"
	const libreswan = "config setup\n\tprotostack=netkey\n\n"
	for _, tc := range []struct {
		name, conf string
		want       vpnxml.PFS
		warn       string
	}{
		{"strongSwan without group", strongSwan + peer(""), vpnxml.NoPFS, ""},
		{"strongSwan esp group", strongSwan + peer("\tesp=aes128-sha1-modp1536\n"), 5, ""},
		{"Libreswan default uses IKE group", libreswan + peer(""), 14, ""},
		{"Libreswan pfs=no", libreswan + peer("\tpfs=no\n"), vpnxml.NoPFS, ""},
		{"Libreswan pfsgroup", libreswan + peer("\tpfsgroup=modp1024\n"), 2, ""},
		{"bad pfsgroup", libreswan + peer("\tpfsgroup=modp8192\n"), 14, "pfsgroup=modp8192 is not a DH group AIX supports"},
		{"pfs=yes in strongSwan", strongSwan + peer("\tpfs=yes\n"), 14, ""},
		{"esp group beats pfsgroup", libreswan + peer("\tesp=aes-sha1;modp1024\n\tpfsgroup=modp1536\n"), 2, ""},
		{"pfs=no with esp group", peer("\tpfs=no\n\tesp=aes-sha1-modp2048\n"), vpnxml.NoPFS, "the PFS group of the phase 2 list is not used"},
		{"several groups", peer("\tesp=aes-sha1-modp1024,aes-sha1-modp2048\n"), 2, "AIX uses one PFS group per tunnel; group 2 is used"},
		{"lost group", strongSwan + peer("\tesp=aes-sha1-modp3072\n"), 14, "the PFS group AIX lacks is replaced by the IKE group"},
		{"explicit none", libreswan + peer("\tesp=aes-sha1-none\n"), vpnxml.NoPFS, ""},
		{"bad pfs value", strongSwan + peer("\tpfs=maybe\n"), vpnxml.NoPFS, "pfs=maybe is not yes or no"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustConvert(t, tc.conf, peerSecret, "192.0.2.1")
			_, _, prot := only(t, r)
			if prot.InitiatorDHGroup != tc.want || prot.ResponderDHGroup != tc.want {
				t.Errorf("PFS %d/%d, want %d", prot.InitiatorDHGroup, prot.ResponderDHGroup, tc.want)
			}
			if tc.warn != "" && !hasWarning(r.warn, tc.warn) {
				t.Errorf("warnings %q lack %q", r.warn, tc.warn)
			}
		})
	}
}

func TestFlagsAndModes(t *testing.T) {
	for _, tc := range []struct {
		extra             string
		auto, demand      vpnxml.YesNo
		xchg              vpnxml.XchgMode
		encap             vpnxml.EncapMode
		warn, skippedWarn string
	}{
		{"", vpnxml.No, vpnxml.No, vpnxml.Main, vpnxml.Tunnel, "", ""},
		{"\tauto=start\n", vpnxml.Yes, vpnxml.No, vpnxml.Main, vpnxml.Tunnel, "", ""},
		{"\tauto=route\n", vpnxml.No, vpnxml.Yes, vpnxml.Main, vpnxml.Tunnel, "", ""},
		{"\tauto=ondemand\n", vpnxml.No, vpnxml.Yes, vpnxml.Main, vpnxml.Tunnel, "", ""},
		{"\tauto=add\n", vpnxml.No, vpnxml.No, vpnxml.Main, vpnxml.Tunnel, "", ""},
		{"\tauto=sometimes\n", vpnxml.No, vpnxml.No, vpnxml.Main, vpnxml.Tunnel, "auto=sometimes is not a valid value", ""},
		{"\taggressive=yes\n", vpnxml.No, vpnxml.No, vpnxml.Aggressive, vpnxml.Tunnel, "", ""},
		{"\taggrmode=yes\n", vpnxml.No, vpnxml.No, vpnxml.Aggressive, vpnxml.Tunnel, "", ""},
		{"\taggressive=perhaps\n", vpnxml.No, vpnxml.No, vpnxml.Main, vpnxml.Tunnel, "is not yes or no; main mode", ""},
		{"\ttype=transport\n", vpnxml.No, vpnxml.No, vpnxml.Main, vpnxml.Transport, "", ""},
		{"\ttype=passthrough\n", "", "", "", "", "", "is an AIX filter rule"},
		{"\ttype=sideways\n", "", "", "", "", "", "type=sideways is not a valid value; conn skipped"},
	} {
		r := mustConvert(t, peer(tc.extra), peerSecret, "192.0.2.1")
		if tc.skippedWarn != "" {
			if len(r.doc.IKETunnels) != 0 || !hasWarning(r.warn, tc.skippedWarn) {
				t.Errorf("%q: want skipped with %q; warnings %q", tc.extra, tc.skippedWarn, r.warn)
			}
			continue
		}
		tun, prot, _ := only(t, r)
		p2 := r.doc.IPSecTunnels[0]
		esp := r.doc.IPSecProposals[0].ESP
		if tun.AutoStart != tc.auto || p2.AutoStart != tc.auto || p2.OnDemand != tc.demand || prot.XchgMode != tc.xchg || esp.EncapsulationMode != tc.encap {
			t.Errorf("%q: autostart %s/%s, ondemand %s, mode %s, encap %s", tc.extra, tun.AutoStart, p2.AutoStart, p2.OnDemand, prot.XchgMode, esp.EncapsulationMode)
		}
		if tc.warn != "" && !hasWarning(r.warn, tc.warn) {
			t.Errorf("%q: warnings %q lack %q", tc.extra, r.warn, tc.warn)
		}
	}
}

func TestLifetimes(t *testing.T) {
	r := mustConvert(t, peer("\tikelifetime=3h\n\tkeylife=20m\n\trekeymargin=90s\n\tlifebytes=1000000\n"), peerSecret, "192.0.2.1")
	_, ike, prot := only(t, r)
	esp := r.doc.IPSecProposals[0].ESP
	if ike.Transforms[0].KeyRefreshMinutes != vpnxml.IntOf(180) || esp.KeyRefreshMinutes != vpnxml.IntOf(20) ||
		ike.KeyOverlap != vpnxml.IntOf(2) || prot.KeyOverlap != vpnxml.IntOf(2) ||
		esp.KeyRefreshKB != vpnxml.IntOf(977) || prot.UseLifeSize != vpnxml.Yes {
		t.Errorf("lifetimes: ike %v, esp %v/%v, overlap %v/%v, uselifesize %s",
			ike.Transforms[0].KeyRefreshMinutes, esp.KeyRefreshMinutes, esp.KeyRefreshKB, ike.KeyOverlap, prot.KeyOverlap, prot.UseLifeSize)
	}
	for _, w := range []string{"rekeymargin=90s: AIX counts whole minutes; 2 used", "lifebytes=1000000: AIX counts whole kilobytes; 977 KB used"} {
		if !hasWarning(r.warn, w) {
			t.Errorf("warnings %q lack %q", r.warn, w)
		}
	}
	r = mustConvert(t, peer("\tikelifetime=soon\n\tlifetime=0\n"), peerSecret, "192.0.2.1")
	_, ike, _ = only(t, r)
	if ike.Transforms[0].KeyRefreshMinutes.Set || r.doc.IPSecProposals[0].ESP.KeyRefreshMinutes.Set ||
		!hasWarning(r.warn, "ikelifetime=soon is not a valid lifetime") || !hasWarning(r.warn, "lifetime=0 is not a valid lifetime") {
		t.Errorf("bad lifetimes: %v; warnings %q", ike.Transforms[0].KeyRefreshMinutes, r.warn)
	}
}

func TestSelectors(t *testing.T) {
	sub := func(a string, bits int) vpnxml.ID {
		id, _ := subnetID(a + "/" + itoa(bits))
		return id
	}
	for _, tc := range []struct {
		name, extra string
		want        [][2]vpnxml.IPSecIdentity
		warn, skip  string
	}{
		{"hosts", "", [][2]vpnxml.IPSecIdentity{{{ID: v4("192.0.2.1")}, {ID: v4("192.0.2.2")}}}, "", ""},
		{"subnets", "\tleftsubnet=10.1.0.0/16\n\trightsubnet=10.2.0.0/24\n",
			[][2]vpnxml.IPSecIdentity{{{ID: sub("10.1.0.0", 16)}, {ID: sub("10.2.0.0", 24)}}}, "", ""},
		{"strongSwan list", "\tleftsubnet=10.1.0.0/16\n\trightsubnet=10.2.0.0/24,10.3.0.0/24\n", [][2]vpnxml.IPSecIdentity{
			{{ID: sub("10.1.0.0", 16)}, {ID: sub("10.2.0.0", 24)}}, {{ID: sub("10.1.0.0", 16)}, {ID: sub("10.3.0.0", 24)}}}, "", ""},
		{"Libreswan subnets", "\tleftsubnets={10.1.0.0/16 10.4.0.0/16}\n\trightsubnet=10.2.0.0/24\n", [][2]vpnxml.IPSecIdentity{
			{{ID: sub("10.1.0.0", 16)}, {ID: sub("10.2.0.0", 24)}}, {{ID: sub("10.4.0.0", 16)}, {ID: sub("10.2.0.0", 24)}}}, "", ""},
		{"protoport", "\tleftprotoport=17/1701\n\trightprotoport=udp/%any\n",
			[][2]vpnxml.IPSecIdentity{{{ID: v4("192.0.2.1"), Protocol: vpnxml.UDP, Port: 1701}, {ID: v4("192.0.2.2"), Protocol: vpnxml.UDP}}}, "", ""},
		{"brackets and dynamic", "\tleftsubnet=%dynamic[tcp/22]\n\trightsubnet=10.2.0.0/24[tcp]\n",
			[][2]vpnxml.IPSecIdentity{{{ID: v4("192.0.2.1"), Protocol: vpnxml.TCP, Port: 22}, {ID: sub("10.2.0.0", 24), Protocol: vpnxml.TCP}}}, "", ""},
		{"transport ignores subnets", "\ttype=transport\n\tleftsubnet=10.1.0.0/16\n",
			[][2]vpnxml.IPSecIdentity{{{ID: v4("192.0.2.1")}, {ID: v4("192.0.2.2")}}}, "transport mode protects the hosts themselves", ""},
		{"mixed families", "\tleftsubnet=10.1.0.0/16,2001:db8:1::/48\n\trightsubnet=10.2.0.0/24\n",
			[][2]vpnxml.IPSecIdentity{{{ID: sub("10.1.0.0", 16)}, {ID: sub("10.2.0.0", 24)}}}, "different IP versions are left out", ""},
		{"only mixed", "\tleftsubnet=2001:db8:1::/48\n\trightsubnet=10.2.0.0/24\n", nil, "", "subnets are of different IP versions"},
		{"bad subnet", "\tleftsubnet=10.1.0.0/16,vnet:%priv\n", nil, "", "leftsubnet=10.1.0.0/16,vnet:%priv: vnet:%priv: not an address"},
		{"bad protoport", "\tleftprotoport=tcp/ssh\n", nil, "", "leftprotoport=tcp/ssh: port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustConvert(t, peer(tc.extra), peerSecret, "192.0.2.1")
			if tc.skip != "" {
				if len(r.doc.IKETunnels) != 0 || !hasWarning(r.warn, tc.skip, "conn skipped") {
					t.Fatalf("want skipped with %q; warnings %q", tc.skip, r.warn)
				}
				return
			}
			var got [][2]vpnxml.IPSecIdentity
			for _, tun := range r.doc.IPSecTunnels {
				got = append(got, [2]vpnxml.IPSecIdentity{tun.Local, tun.Remote})
			}
			if diff := cmp.Diff(tc.want, got, cmpAddr, ignorePos); diff != "" {
				t.Errorf("selectors (-want +got):\n%s", diff)
			}
			if tc.warn != "" && !hasWarning(r.warn, tc.warn) {
				t.Errorf("warnings %q lack %q", r.warn, tc.warn)
			}
		})
	}
}

func TestSubnetPairLimit(t *testing.T) {
	var l, rr []string
	for i := 0; i < 6; i++ {
		l = append(l, "10.1."+itoa(i)+".0/24")
		rr = append(rr, "10.2."+itoa(i)+".0/24")
	}
	r := mustConvert(t, peer("\tleftsubnet="+strings.Join(l, ",")+"\n\trightsubnet="+strings.Join(rr, ",")+"\n"), peerSecret, "192.0.2.1")
	if len(r.doc.IPSecTunnels) != maxTunnels || !hasWarning(r.warn, "only the first 32 subnet pairs") {
		t.Errorf("%d tunnels; warnings %q", len(r.doc.IPSecTunnels), r.warn)
	}
}

func TestResponderOnly(t *testing.T) {
	conf := v1(`conn rw
	left=192.0.2.1
	leftsubnet=10.1.0.0/16
	leftid=@gw.example.com
	right=%any
	rightid=@client.example.com
	authby=secret
	ike=aes-sha1-modp2048
	esp=aes-sha1
	auto=start
`)
	r := mustConvert(t, conf, "@client.example.com : PSK \"k\"\n", "192.0.2.1")
	tun, ike, prot := only(t, r)
	if len(r.doc.IPSecTunnels) != 0 || prot.Name != "_defIPSprot_rw" || ike.DefaultProtectionRef != prot.Name ||
		!cmp.Equal(ike.DefaultAllowedTypes, []vpnxml.AllowedType{"Local_IPV4_Subnet", "Remote_IPV4_Address"}) ||
		ike.Role != vpnxml.Responder || prot.Role != vpnxml.Responder || tun.AutoStart != vpnxml.No || tun.Remote.OptionalIP.IsValid() {
		t.Errorf("responder-only conn: %+v\n%+v\n%+v", tun, ike, prot)
	}
	for _, w := range []string{"converted as a responder-only tunnel", "auto=start: the peer's address is not known"} {
		if !hasWarning(r.warn, w) {
			t.Errorf("warnings %q lack %q", r.warn, w)
		}
	}
	if len(r.doc.PresharedKeys) != 1 || r.doc.PresharedKeys[0].Identity.ID.Text != "client.example.com" {
		t.Errorf("keys %+v", r.doc.PresharedKeys)
	}
	// With a remote subnet the tunnel can be defined, responder only.
	r = mustConvert(t, strings.Replace(conf, "\tauto=start\n", "\trightsubnet=10.9.0.0/24\n", 1), "@client.example.com : PSK \"k\"\n", "192.0.2.1")
	if _, _, prot := only(t, r); len(r.doc.IPSecTunnels) != 1 || prot.Role != vpnxml.Responder || prot.Name != "rw_p2" {
		t.Errorf("responder with subnet: %+v; warnings %q", r.doc.IPSecTunnels, r.warn)
	}
	// A peer given by name is treated the same way.
	r = mustConvert(t, strings.Replace(conf, "right=%any", "right=client.dyn.example.net", 1), "@client.example.com : PSK \"k\"\n", "192.0.2.1")
	if only(t, r); !hasWarning(r.warn, "right=client.dyn.example.net: host names are not resolved") {
		t.Errorf("warnings %q", r.warn)
	}
}

func TestIdentities(t *testing.T) {
	for _, tc := range []struct {
		extra       string
		local, peer vpnxml.IKEIdentity
		warn, skip  string
	}{
		{"\tleftid=@gw.example.com\n\trightid=ops@example.com\n",
			vpnxml.IKEIdentity{OptionalIP: v4("192.0.2.1").Addr, ID: vpnxml.ID{Type: vpnxml.FQDN, Text: "gw.example.com"}},
			vpnxml.IKEIdentity{OptionalIP: v4("192.0.2.2").Addr, ID: vpnxml.ID{Type: vpnxml.UserFQDN, Text: "ops@example.com"}}, "", ""},
		{"\trightid=\"C=US, O=Ex, CN=peer\"\n", vpnxml.IKEIdentity{ID: v4("192.0.2.1")},
			vpnxml.IKEIdentity{OptionalIP: v4("192.0.2.2").Addr, ID: vpnxml.ID{Type: vpnxml.X500DN, Text: "C=US, O=Ex, CN=peer"}}, "", ""},
		{"\trightid=%any\n", vpnxml.IKEIdentity{ID: v4("192.0.2.1")}, vpnxml.IKEIdentity{ID: v4("192.0.2.2")},
			"rightid=%any: AIX needs a fixed identity here; the address 192.0.2.2 is used", ""},
		{"\tleftid=10.9.9.9\n", vpnxml.IKEIdentity{ID: v4("10.9.9.9")}, vpnxml.IKEIdentity{ID: v4("192.0.2.2")}, "", ""},
		{"\trightid=@~3082\n", vpnxml.IKEIdentity{}, vpnxml.IKEIdentity{}, "", "rightid=@~3082: this identity notation has no AIX equivalent; conn skipped"},
		{"\tleftid=2001:db8::1\n", vpnxml.IKEIdentity{}, vpnxml.IKEIdentity{}, "", "cannot be written as AIX definitions"},
	} {
		r := mustConvert(t, peer(tc.extra), ": PSK \"k\"\n", "192.0.2.1")
		if tc.skip != "" {
			if len(r.doc.IKETunnels) != 0 || !hasWarning(r.warn, tc.skip) {
				t.Errorf("%q: want skipped with %q; warnings %q", tc.extra, tc.skip, r.warn)
			}
			continue
		}
		tun, _, _ := only(t, r)
		if diff := cmp.Diff([]vpnxml.IKEIdentity{tc.local, tc.peer}, []vpnxml.IKEIdentity{tun.Local, tun.Remote}, cmpAddr, ignorePos); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.extra, diff)
		}
		if tc.warn != "" && !hasWarning(r.warn, tc.warn) {
			t.Errorf("%q: warnings %q lack %q", tc.extra, r.warn, tc.warn)
		}
	}
}
