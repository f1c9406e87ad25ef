package ipsecconf

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

func TestAlsoAndDefault(t *testing.T) {
	conf := `conn %default
	keyexchange=ikev1
	ikelifetime=2h
	esp=3des-md5
	auto=start

conn base
	left=192.0.2.1
	authby=secret
	ike=aes-sha1-modp2048
	esp=aes-sha1

conn a
	also=base
	right=192.0.2.2
	ike=3des-sha1-modp1024

conn b
	also=base
	right=192.0.2.3
	ikelifetime=
	auto=add
`
	r := mustConvert(t, conf, ": PSK \"k\"\n", "192.0.2.1")
	if len(r.doc.IKETunnels) != 2 {
		t.Fatalf("tunnels %d, warnings %q", len(r.doc.IKETunnels), r.warn)
	}
	a, b := r.doc.IKEProtections[0], r.doc.IKEProtections[1]
	// a: its own ike= beats base's; base's esp= beats %default's; %default's lifetime and auto.
	if a.Transforms[0].Encryption != vpnxml.IKE3DES || a.Transforms[0].KeyRefreshMinutes != vpnxml.IntOf(120) ||
		r.doc.IPSecProposals[0].ESP.Encryption != vpnxml.ESPAES || r.doc.IKETunnels[0].AutoStart != vpnxml.Yes {
		t.Errorf("conn a: %+v, %+v, autostart %s", a.Transforms[0], r.doc.IPSecProposals[0].ESP, r.doc.IKETunnels[0].AutoStart)
	}
	// b: ikelifetime= clears the inherited value; its own auto=add wins.
	if b.Transforms[0].KeyRefreshMinutes.Set || r.doc.IKETunnels[1].AutoStart != vpnxml.No {
		t.Errorf("conn b: %+v, autostart %s", b.Transforms[0], r.doc.IKETunnels[1].AutoStart)
	}
	if !hasWarning(r.warn, "ipsec.conf:7: conn base: used through also= only") {
		t.Errorf("warnings %q", r.warn)
	}
}

func TestAlsoProblems(t *testing.T) {
	r := mustConvert(t, v1(`conn a
	also=missing
	left=192.0.2.1
	right=192.0.2.2

conn loop1
	also=loop2
	auto=add
	left=192.0.2.1
	right=192.0.2.3
	authby=secret

conn loop2
	also=loop1
	auto=add
	left=192.0.2.1
	right=192.0.2.4
	authby=secret
`), ": PSK \"k\"\n", "192.0.2.1")
	if !hasWarning(r.warn, "ipsec.conf:5: conn a: also=missing: no conn of that name; conn skipped") ||
		!hasWarning(r.warn, "ipsec.conf:10: conn loop1: also=loop2 leads back to a section that includes this one; conn skipped") ||
		!hasWarning(r.warn, "ipsec.conf:17: conn loop2: also=loop1 leads back to a section that includes this one; conn skipped") {
		t.Errorf("warnings %q", r.warn)
	}
	// A loop cannot be resolved as written: neither conn is converted.
	if len(r.doc.IKETunnels) != 0 {
		t.Errorf("want the looping conns skipped, got %d tunnels", len(r.doc.IKETunnels))
	}
}

func TestDuplicates(t *testing.T) {
	r := mustConvert(t, peer("\tike=3des-sha1-modp1024\n")+"\nconn peer\n\tleft=192.0.2.1\n", peerSecret, "192.0.2.1")
	_, ike, _ := only(t, r)
	if ike.Transforms[0].Encryption != vpnxml.IKE3DES ||
		!hasWarning(r.warn, "ipsec.conf:8: conn peer: ike= is given again at line 10 of this section; this line is ignored") ||
		!hasWarning(r.warn, "ipsec.conf:12: conn peer: conn peer is defined again (first at ipsec.conf:4)") {
		t.Errorf("transform %+v; warnings %q", ike.Transforms[0], r.warn)
	}
	r = mustConvert(t, peer("\tkeylife=1h\n\tlifetime=2h\n"), peerSecret, "192.0.2.1")
	if r.doc.IPSecProposals[0].ESP.KeyRefreshMinutes != vpnxml.IntOf(120) || !hasWarning(r.warn, "keylife= is given again as lifetime= at line 11") {
		t.Errorf("aliases: %v; warnings %q", r.doc.IPSecProposals[0].ESP.KeyRefreshMinutes, r.warn)
	}
}

func TestNames(t *testing.T) {
	conf := v1(`conn office vpn
	left=192.0.2.1
	right=192.0.2.2
	authby=secret

conn office_vpn
	left=192.0.2.1
	right=192.0.2.3
	authby=secret

conn a-very-long-connection-name-that-goes-on-and-on-and-on
	left=192.0.2.1
	right=192.0.2.4
	authby=secret
`)
	conf = strings.Replace(conf, "conn office vpn", "conn office/vpn", 1)
	r := mustConvert(t, conf, ": PSK \"k\"\n", "192.0.2.1")
	var got []string
	for _, tun := range r.doc.IKETunnels {
		got = append(got, tun.Name)
	}
	want := []string{"office_vpn", "office_vpn-2", "a-very-long-connection-name-that-goes-on"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("names %q, want %q", got, want)
	}
	if !hasWarning(r.warn, "conn office/vpn: the name is not a valid or unique AIX name; converted as office_vpn") ||
		!hasWarning(r.warn, "conn office_vpn: the name is not a valid or unique AIX name; converted as office_vpn-2") {
		t.Errorf("warnings %q", r.warn)
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct{ conf, want string }{
		{"\tleft=1.2.3.4\n", "ipsec.conf:1: indented setting outside a section"},
		{"conn a\n\tleft\n", "ipsec.conf:2: expected key=value"},
		{"conn a\n\t=x\n", "ipsec.conf:2: expected key=value"},
		{"conn a\n\tleft=\"1.2.3.4\n", "ipsec.conf:2: unterminated quoted string"},
		{"conn a\n\tleftid=\"a\" b\n", "ipsec.conf:2: text after the closing quote"},
		{"# c\nconnection a\n", "ipsec.conf:2: unknown line \"connection\""},
		{"conn\n", "ipsec.conf:1: conn takes exactly one word after it"},
		{"conn a b\n", "ipsec.conf:1: conn takes exactly one word after it"},
		{"config\n", "ipsec.conf:1: config takes exactly one word"},
		{"config setup\n\tx=1\ninclude\n", "ipsec.conf:3: include takes exactly one word"},
		{"conn a\n\tl\x00eft=1\n", "ipsec.conf:2: NUL byte in the line"},
		{"conn a\n\tleft=" + strings.Repeat("x", maxLine) + "\n", "ipsec.conf:2: line too long"},
	} {
		r := convert(tc.conf, "")
		var e *Error
		if r.err == nil || r.err.Error() != tc.want && !strings.HasPrefix(r.err.Error(), tc.want) || !errors.As(r.err, &e) {
			t.Errorf("%q: error %v, want %q", tc.conf[:min(len(tc.conf), 40)], r.err, tc.want)
		}
		if r.doc != nil {
			t.Errorf("%q: a document comes with the error", tc.conf[:min(len(tc.conf), 40)])
		}
	}
	if _, _, err := Convert(nil, "x.conf", nil, "", Options{}); err == nil {
		t.Error("Convert(nil) gave no error")
	}
}

func TestCommentsAndQuotes(t *testing.T) {
	conf := v1("# header\nconn peer # trailing comment\n\tleft = 192.0.2.1\t# comment\n\tright=\"192.0.2.2\"\n" +
		"\tleftid=@#0a1b\n\trightid=\"C=US, O=A #1, CN=b\"\n   # indented comment\n\n\tauthby=secret\r\n\tike=aes-sha1-modp2048\n")
	r := mustConvert(t, conf, ": PSK \"k\"\n", "192.0.2.1")
	tun, _, _ := only(t, r)
	if tun.Local.ID.Type != vpnxml.KeyID || tun.Local.ID.Text != "0a1b" || tun.Remote.ID.Text != "C=US, O=A #1, CN=b" {
		t.Errorf("identities %+v %+v", tun.Local.ID, tun.Remote.ID)
	}
}

// TestOneWarningPerOccurrence checks that a setting is reported once per
// line, however many conns inherit it, and once per line it occurs on.
func TestOneWarningPerOccurrence(t *testing.T) {
	conf := v1(`conn %default
	dpdaction=restart
	leftsourceip=10.0.0.1

conn a
	left=192.0.2.1
	right=192.0.2.2
	authby=secret
	leftsourceip=10.0.0.2

conn b
	left=192.0.2.1
	right=192.0.2.3
	authby=secret

conn c
	left=192.0.2.1
	right=192.0.2.4
	authby=secret
`)
	r := mustConvert(t, conf, ": PSK \"k\"\n", "192.0.2.1")
	count := func(frag string) int {
		n := 0
		for _, w := range r.warn {
			if strings.Contains(w, frag) {
				n++
			}
		}
		return n
	}
	for frag, want := range map[string]int{
		"ipsec.conf:5: conn %default: dpdaction=restart is not supported; ignored": 1,
		"ipsec.conf:6: conn %default: leftsourceip=10.0.0.1 is not supported":      1,
		"ipsec.conf:12: conn a: leftsourceip=10.0.0.2 is not supported; ignored":   1,
		"dpdaction":    1,
		"leftsourceip": 2,
	} {
		if got := count(frag); got != want {
			t.Errorf("%d warnings with %q, want %d; warnings %q", got, frag, want, r.warn)
		}
	}
}

func TestSetupAndCA(t *testing.T) {
	conf := "config setup\n\tuniqueids=yes\n\tplutodebug=all\n\nca corp\n\tcacert=corp.pem\n\tauto=add\n\n" + peer("")
	r := mustConvert(t, conf, peerSecret, "192.0.2.1")
	for _, w := range []string{"ipsec.conf:2: config setup: uniqueids=yes is not supported; ignored",
		"ipsec.conf:3: config setup: plutodebug=all", "ipsec.conf:5: ca corp: CA sections are not converted"} {
		if !hasWarning(r.warn, w) {
			t.Errorf("warnings %q lack %q", r.warn, w)
		}
	}
}

func TestUnsupportedSettings(t *testing.T) {
	r := mustConvert(t, peer("\tcompress=no\n\tcompress=yes\n\trekey=yes\n\tmobike=no\n\tdpdaction=none\n\tleftcert=a.pem\n"+
		"\tleftrsasigkey=0sAQOBIJFm\n\tleftupdown=/bin/true\n"), peerSecret, "192.0.2.1")
	want := []string{
		"ipsec.conf:10: conn peer: compress= is given again at line 11 of this section; this line is ignored",
		"ipsec.conf:11: conn peer: compress=yes is not supported; ignored",
		"ipsec.conf:14: conn peer: dpdaction=none is not supported; ignored",
		"ipsec.conf:15: conn peer: leftcert=a.pem is not converted: install certificates and keys with the AIX certificate tools; ignored",
		"ipsec.conf:16: conn peer: leftrsasigkey is not converted",
		"ipsec.conf:17: conn peer: leftupdown=/bin/true is not supported; ignored",
	}
	for _, w := range want {
		if hasWarning(r.warn, w) == strings.Contains(w, "dpdaction=none") {
			t.Errorf("warnings %q: %q", r.warn, w)
		}
	}
	if hasWarning(r.warn, "rekey") || hasWarning(r.warn, "mobike") || hasWarning(r.warn, "0sAQOB") {
		t.Errorf("warnings %q", r.warn)
	}
}

func TestPresharedKeys(t *testing.T) {
	conf := v1(`conn a
	left=192.0.2.1
	leftid=@gw.example.com
	right=192.0.2.2
	rightid=@peer.example.com
	authby=secret

conn b
	left=192.0.2.1
	right=192.0.2.2
	rightid=@peer.example.com
	authby=secret

conn c
	left=192.0.2.1
	right=192.0.2.9
	authby=secret

conn d
	left=192.0.2.1
	right=192.0.2.8
	authby=secret
`)
	secrets := `@gw.example.com @peer.example.com : PSK "for-a"
192.0.2.1 @peer.example.com : PSK "for-b"
192.0.2.8 : PSK 0x` + strings.Repeat("00", maxKeyBytes+1) + `
192.0.2.77 : PSK "nobody"
`
	r := mustConvert(t, conf, secrets, "192.0.2.1")
	if len(r.doc.PresharedKeys) != 1 || r.doc.PresharedKeys[0].Value != "for-a" {
		t.Fatalf("keys %+v", r.doc.PresharedKeys)
	}
	for _, w := range []string{
		"conn b: AIX keeps one preshared key per peer identity; peer.example.com already has the key of ipsec.secrets:1 (conn a)",
		"conn c: no PSK entry of ipsec.secrets fits this conn: add the preshared key for 192.0.2.9 with ikedb",
		"ipsec.secrets:3: conn d: the key of this PSK entry cannot be used: the key is longer than the 256 bytes AIX accepts",
		"ipsec.secrets:4: this PSK entry fits no converted conn; not converted",
	} {
		if !hasWarning(r.warn, w) {
			t.Errorf("warnings %q lack %q", r.warn, w)
		}
	}
	if len(r.doc.IKETunnels) != 4 {
		t.Errorf("conns without a usable key are still converted; got %d", len(r.doc.IKETunnels))
	}
	r = mustConvert(t, peer(""), "", "192.0.2.1")
	if len(r.doc.PresharedKeys) != 0 || !hasWarning(r.warn, "no ipsec.secrets was given: add the preshared key for 192.0.2.2 with ikedb") {
		t.Errorf("without secrets: warnings %q", r.warn)
	}
}

// TestNoSecretInMessages feeds secrets in every form, well or badly
// written, and checks that no warning or error repeats them.
func TestNoSecretInMessages(t *testing.T) {
	const s = "Sup3rS3cr3t"
	for _, secrets := range []string{
		": PSK \"" + s + "\"\n",
		"192.0.2.2 : PSK '" + s + "' extra\n",
		": " + s + "\n",
		": \"" + s + "\"\n",
		"192.0.2.2 \"" + s + "\" : PSK \"" + s + "\"\n",
		s + " : PSK \"" + s + "\"\n",
		": PSK \"" + s + "\n",
		": XAUTH \"" + s + "\"\n",
		"192.0.2.2 " + s + "\n",
		"\t" + s + "\n",
		": PSK 0s" + s + "\n",
		": PSK 0x" + s + "\n",
		": PSK \"" + strings.Repeat(s, 100) + "\"\n",
		": RSA { " + s + "\n",
	} {
		conf := peer("\txauthpassword=" + s + "\n\tpsk=" + s + "\n\tleftid=@" + s + ".example.com\n")
		r := convert(conf, secrets, "192.0.2.1")
		msgs := append([]string(nil), r.warn...)
		if r.err != nil {
			msgs = append(msgs, r.err.Error())
		}
		for _, m := range msgs {
			if strings.Contains(strings.ReplaceAll(m, "@"+s+".example.com", ""), s) && !strings.Contains(m, "leftid") {
				t.Errorf("secrets %q: message %q holds the secret", secrets, m)
			}
		}
	}
}

func TestInclude(t *testing.T) {
	fsys := fstest.MapFS{
		"etc/ipsec.conf":             {Data: []byte(v1("include /etc/ipsec.d/*.conf\ninclude ../../outside.conf\ninclude missing.conf\n"))},
		"etc/ipsec.d/a.conf":         {Data: []byte("conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tauthby=secret\n\tleftsourceip=1.1.1.1\ninclude sub/b.part\n")},
		"etc/ipsec.d/sub/b.part":     {Data: []byte("conn b\n\tleft=192.0.2.1\n\tright=192.0.2.3\n\tauthby=secret\n")},
		"etc/ipsec.d/dir.conf/x":     {Data: []byte("not read")},
		"etc/ipsec.secrets":          {Data: []byte("include ipsec.d/*.secrets\n")},
		"etc/ipsec.d/peers.secrets":  {Data: []byte(": PSK \"k\"\n")},
		"etc/ipsec.d/broken.secrets": {Data: []byte("no colon here\n")},
	}
	conf, _ := fsys.Open("etc/ipsec.conf")
	defer conf.Close()
	sec, _ := fsys.Open("etc/ipsec.secrets")
	defer sec.Close()
	_, _, err := Convert(conf, "/etc/ipsec.conf", sec, "/etc/ipsec.secrets", Options{LocalAddrs: addrs("192.0.2.1"), Include: fsys})
	if err == nil || err.Error() != "/etc/ipsec.d/broken.secrets:1: expected \"IDs : TYPE secret\": no ':' between the identities and the secret type" {
		t.Fatalf("error %v", err)
	}
	delete(fsys, "etc/ipsec.d/broken.secrets")
	conf, _ = fsys.Open("etc/ipsec.conf")
	sec, _ = fsys.Open("etc/ipsec.secrets")
	doc, ws, err := Convert(conf, "/etc/ipsec.conf", sec, "/etc/ipsec.secrets", Options{LocalAddrs: addrs("192.0.2.1"), Include: fsys})
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, doc)
	if len(doc.IKETunnels) != 2 || len(doc.PresharedKeys) != 2 {
		t.Errorf("got %d tunnels, %d keys", len(doc.IKETunnels), len(doc.PresharedKeys))
	}
	got := warnStrings(ws)
	for _, w := range []string{
		"/etc/ipsec.conf:4: include /etc/ipsec.d/dir.conf: is a directory; not followed",
		"/etc/ipsec.conf:5: include ../../outside.conf: not followed: it leaves the configuration's file tree",
		"/etc/ipsec.conf:6: include missing.conf: not followed: no such file",
		"/etc/ipsec.d/a.conf:5: conn a: leftsourceip=1.1.1.1 is not supported; ignored",
	} {
		if !hasWarning(got, w) {
			t.Errorf("warnings %q lack %q", got, w)
		}
	}
}

func TestUnknownKeywordSkipsConn(t *testing.T) {
	r := mustConvert(t, peer("\tunknownsetting=1\n"), peerSecret, "192.0.2.1")
	if !hasWarning(r.warn, "conn peer: unknownsetting=1: unknown keyword; conn skipped") || len(r.doc.IKETunnels) != 0 {
		t.Errorf("warnings %q, %d tunnels", r.warn, len(r.doc.IKETunnels))
	}
}

func TestIncludeLimits(t *testing.T) {
	fsys := fstest.MapFS{"loop.conf": {Data: []byte("include loop.conf\n")}}
	r, _ := fsys.Open("loop.conf")
	_, ws, err := Convert(r, "loop.conf", nil, "", Options{Include: fsys})
	if err == nil || err.Error() != "loop.conf:1: include loop.conf: include loop: the file is already being read" {
		t.Errorf("error %v, warnings %q", err, warnStrings(ws))
	}
	r2 := convert("include /etc/ipsec.d/*.conf\n", "")
	if !hasWarning(r2.warn, "not followed: no file system was given") {
		t.Errorf("warnings %q", r2.warn)
	}
}
