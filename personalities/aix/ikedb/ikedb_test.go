package ikedb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/engine"
)

func TestParseArgs(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		mode  byte
		usage bool
	}{
		{[]string{"-p"}, 'p', false},
		{[]string{"-pFs", "-e", "x.ent", "f.xml"}, 'p', false},
		{[]string{"-p", "-F", "-s", "-ex.ent", "--", "-f.xml"}, 'p', false},
		{[]string{"-gr", "-tIKETunnel", "-n", "T"}, 'g', false},
		{[]string{"-g", "-t", "IKETunnel", "-i", "10.1.1.1", "-y", "IPV4_Address"}, 'g', false},
		{[]string{"-d", "-t", "IKEGroup"}, 'd', false},
		{[]string{"-cF", "-l", "a", "-k", "b", "-f", "c"}, 'c', false},
		{[]string{"-x"}, 'x', false},
		{[]string{"-o"}, 'o', false},
		{nil, 0, true},
		{[]string{"-pg"}, 0, true},
		{[]string{"-gs"}, 0, true},
		{[]string{"-d"}, 0, true},
		{[]string{"-g", "x"}, 0, true},
		{[]string{"-p", "a", "b"}, 0, true},
		{[]string{"-g", "-n", "x"}, 0, true},
		{[]string{"-g", "-t", "T", "-i", "x"}, 0, true},
		{[]string{"-g", "-t", "T", "-y", "x"}, 0, true},
		{[]string{"-g", "-t", "T", "-n", "n", "-i", "x", "-y", "y"}, 0, true},
		{[]string{"-q"}, 0, true},
		{[]string{"-g", "-t"}, 0, true},
		{[]string{"-x", "-r"}, 0, true},
	} {
		o, err := parseArgs(tc.args)
		var u *usageError
		if got := errors.As(err, &u); got != tc.usage {
			t.Errorf("%q: usage error %v, want %v (%v)", tc.args, got, tc.usage, err)
			continue
		}
		if !tc.usage && o.mode != tc.mode {
			t.Errorf("%q: mode %c, want %c", tc.args, o.mode, tc.mode)
		}
	}
}

// fullDoc is vpnxml's full test document, made valid by defining the
// group its phase 2 tunnel uses: every element, attribute and escape.
func fullDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "vpnxml", "testdata", "full.xml"))
	if err != nil {
		t.Fatal(err)
	}
	group := "  <IKEGroup\n      IKE_GroupName=\"v4peers\">\n    <IPV4_Address\n        Value=\"192.0.2.9\"/>\n  </IKEGroup>\n"
	s := strings.Replace(string(b), "  </IKEGroup>\n", "  </IKEGroup>\n"+group, 1)
	if s == string(b) {
		t.Fatal("full.xml has no IKEGroup")
	}
	return s
}

// TestAttachXMLCutsEachDefinition: each definition's stored XML is its
// part of the -g output, and decodes back to it alone.
func TestAttachXMLCutsEachDefinition(t *testing.T) {
	doc, err := vpnxml.Decode(strings.NewReader(fullDoc(t)), vpnxml.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defs := docDefs(doc)
	if err := attachXML(doc, defs); err != nil {
		t.Fatal(err)
	}
	var whole bytes.Buffer
	if err := vpnxml.Write(&whole, doc); err != nil {
		t.Fatal(err)
	}
	out := newOutput(&bytes.Buffer{})
	var joined strings.Builder
	joined.WriteString(out.open)
	for _, d := range defs {
		joined.Write(d.rec.xml)
		one, err := decodeFragment(d.rec.xml)
		if err != nil {
			t.Fatalf("%s %q: %v", d.ref.kind, d.ref.name, err)
		}
		if got := docDefs(one); len(got) != 1 || got[0].ref != d.ref {
			t.Errorf("%s %q decodes to %v", d.ref.kind, d.ref.name, got)
		}
	}
	joined.WriteString("</AIX_VPN>\n")
	if joined.String() != whole.String() {
		t.Errorf("definitions joined differ from the document written whole:\n%s", joined.String())
	}
}

func TestRecordRoundTrip(t *testing.T) {
	r := record{remote: "FQDN a.example.com", xml: []byte("  <X/>\n"),
		refs: []defRef{{kindIKEProtection, "P1"}, {kindPresharedKey, "FQDN a.example.com"}, {kindIKEGroup, ""}}}
	back, err := decodeRecord(r.encode())
	if err != nil || !reflect.DeepEqual(back, r) {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	if xml, err := recordXML(r.encode()); err != nil || string(xml) != string(r.xml) {
		t.Errorf("recordXML: %q, %v", xml, err)
	}
	for _, bad := range [][]byte{nil, {5}, {0, 3, 9}, {0, 1, 200, 1, 'x'}, {0, 1, 0, 9}} {
		if _, err := decodeRecord(bad); err == nil {
			t.Errorf("decodeRecord(%v) accepted a corrupt record", bad)
		}
		if _, err := recordXML(bad); err == nil {
			t.Errorf("recordXML(%v) accepted a corrupt record", bad)
		}
	}
}

// TestFullRoundTrip puts every element and attribute and gets them
// back byte for byte.
func TestFullRoundTrip(t *testing.T) {
	e := newTestLab(t)
	want := fullDoc(t)
	e.ok("-p", e.write("full.xml", want))
	if got := e.ok("-g"); got != want {
		t.Errorf("-g differs from the document put:\n%s", got)
	}
}

func TestEngineObjects(t *testing.T) {
	e := newTestLab(t)
	e.ok("-p", e.write("full.xml", fullDoc(t)))
	e.host(func(h *engine.Host) error {
		t1, err := h.Policies().Phase1ByLabel("T1")
		if err != nil {
			return err
		}
		wantAddrs := []engine.AddrRange{host4("192.0.2.7"), {First: netip.MustParseAddr("2001:db8::7"), Last: netip.MustParseAddr("2001:db8::7")}}
		if t1.Origin != "aix" || t1.Mode != engine.XchgAggressive || t1.LocalIDType != engine.IDKeyID ||
			!reflect.DeepEqual(t1.LocalAddrs, []engine.AddrRange{host4("192.0.2.1")}) ||
			!reflect.DeepEqual(t1.RemoteAddrs, wantAddrs) ||
			!reflect.DeepEqual(t1.RemoteIDs.Include, []string{"gw.example.com", "vpn@example.com", `CN="R&D" <lab>, O=Exämple, C=US`}) {
			t.Errorf("T1 = %+v", t1)
		}
		x := t1.Transforms[0]
		if x.Auth != engine.AuthRSASig || x.Cipher != engine.CipherAES || x.KeyMax != 256 || x.Hash != engine.HashSHA256 ||
			x.Group != 24 || x.LifetimeSecs != 28800 || t1.Transforms[1].Cipher != engine.CipherDES {
			t.Errorf("T1 transforms = %+v", t1.Transforms)
		}
		s1, err := h.Policies().Phase2ByName("S1")
		if err != nil {
			return err
		}
		if s1.Phase1 != "T1" || s1.Local.Kind != engine.IDIPv4Prefix || s1.Local.Port != 443 || s1.Local.Protocol != 6 ||
			s1.Local.Addrs[0] != (engine.AddrRange{First: netip.MustParseAddr("10.1.0.0"), Last: netip.MustParseAddr("10.1.255.255")}) ||
			s1.Remote.Group != "v4peers" || s1.Remote.Protocol != 47 || s1.PFSGroup != 0 || s1.Origin != "aix" {
			t.Errorf("S1 = %+v", s1)
		}
		if g := s1.Proposals[0].ESP; len(s1.Proposals) != 1 || g == nil || g.Cipher != engine.CipherAESGCM || g.Auth != engine.HashNone {
			t.Errorf("S1 proposals = %+v", s1.Proposals)
		}
		return nil
	})
}

func host4(s string) engine.AddrRange {
	a := netip.MustParseAddr(s)
	return engine.AddrRange{First: a, Last: a}
}

func TestPhase2Proposals(t *testing.T) {
	e := newTestLab(t)
	e.ok("-p", e.write("full.xml", strings.Replace(fullDoc(t), `IPSec_ProposalRefs="GCM"`, `IPSec_ProposalRefs="ESPAH AHonly"`, 1)))
	e.host(func(h *engine.Host) error {
		p, err := h.Policies().Phase2ByName("S2")
		if err != nil {
			return err
		}
		want := []engine.Proposal{
			{ESP: &engine.IPsecTransform{Cipher: engine.CipherAES, KeyBits: 128, Auth: engine.HashSHA256, Transport: true, LifetimeSecs: 3600},
				AH: &engine.IPsecTransform{Auth: engine.HashAESXCBC, Transport: true, LifetimeSecs: 3600}},
			{AH: &engine.IPsecTransform{Auth: engine.HashMD5, LifetimeSecs: 28800}},
		}
		if !reflect.DeepEqual(p.Proposals, want) {
			t.Errorf("S2 proposals = %+v", p.Proposals)
		}
		return nil
	})
}

// TestKeysFeedNegotiation: an AIX key is found for its identity from
// any local address, and a replaced key leaves no stale engine key.
func TestKeysFeedNegotiation(t *testing.T) {
	e := newTestLab(t)
	doc := `<AIX_VPN>
<IKEPresharedKey Value="616263" Format="Hex"><PresharedKeyIdentity><IPV4_Address Value="10.1.1.2"/></PresharedKeyIdentity></IKEPresharedKey>
<IKEPresharedKey Value="v6key"><PresharedKeyIdentity><IPV6_Address Value="2001:db8::2"/></PresharedKeyIdentity></IKEPresharedKey>
<IKEPresharedKey Value="named"><PresharedKeyIdentity><FQDN Value="peer.example.com"/></PresharedKeyIdentity></IKEPresharedKey>
</AIX_VPN>`
	e.ok("-p", e.write("keys.xml", doc))
	e.ok("-pF", e.write("again.xml", strings.Replace(doc, "616263", "646566", 1)))
	e.host(func(h *engine.Host) error {
		k, err := h.Keys().For(netip.MustParseAddr("192.168.7.7"), netip.MustParseAddr("10.1.1.2"))
		if err != nil || k == nil || string(k.Key) != "def" || k.KeyBits != 24 {
			t.Errorf("key for 10.1.1.2 = %+v, %v", k, err)
		}
		k, err = h.Keys().For(netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2"))
		if err != nil || k == nil || string(k.Key) != "v6key" {
			t.Errorf("key for 2001:db8::2 = %+v, %v", k, err)
		}
		n := 0
		err = h.Keys().Scan(func(_ engine.PSKRef, k *engine.PresharedKey) error {
			n++
			if k.RemoteIDType == engine.IDFQDN && k.RemoteID != "peer.example.com" {
				t.Errorf("FQDN key = %+v", k)
			}
			return nil
		})
		if n != 3 {
			t.Errorf("%d engine keys, want 3", n)
		}
		return err
	})
}

// TestForceRebuildsDependents: replacing a proposal with -F rebuilds
// the phase 2 policies of stored tunnels that use it, and replacing a
// group the phase 1 policies.
func TestForceRebuildsDependents(t *testing.T) {
	e := newTestLab(t)
	e.ok("-p", e.write("full.xml", fullDoc(t)))
	e.ok("-pF", e.write("gcm.xml", `<AIX_VPN><IPSecProposal IPSec_ProposalName="GCM">
<IPSecESPProtocol ESP_Encryption="ESP_3DES" ESP_Authentication="HMAC-SHA"/></IPSecProposal>
<IKEGroup IKE_GroupName="peers"><IPV4_Address Value="192.0.2.99"/></IKEGroup></AIX_VPN>`))
	e.host(func(h *engine.Host) error {
		for _, name := range []string{"S1", "S2", "S3"} {
			p, err := h.Policies().Phase2ByName(name)
			if err != nil {
				return err
			}
			if esp := p.Proposals[0].ESP; esp == nil || esp.Cipher != engine.Cipher3DES {
				t.Errorf("%s proposals = %+v", name, p.Proposals)
			}
		}
		t1, err := h.Policies().Phase1ByLabel("T1")
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(t1.RemoteAddrs, []engine.AddrRange{host4("192.0.2.99")}) {
			t.Errorf("T1 remote = %+v", t1.RemoteAddrs)
		}
		return nil
	})
}

// TestTunnelNumbers: numbers per phase, lowest unused first, stable
// until the definition is deleted (spec 4.5).
func TestTunnelNumbers(t *testing.T) {
	e := newTestLab(t)
	e.ok("-p", e.writeDoc("db.xml", genDoc(3)))
	numbers := func(phase int, names ...string) []int {
		var out []int
		e.host(func(h *engine.Host) error {
			for _, n := range names {
				num, ok := h.Tunnels().Number(phase, n)
				if !ok {
					num = 0
				}
				out = append(out, num)
			}
			return nil
		})
		return out
	}
	if got := numbers(1, "P1Tun00000", "P1Tun00001", "P1Tun00002"); !reflect.DeepEqual(got, []int{1, 2, 3}) {
		t.Errorf("phase 1 numbers %v", got)
	}
	if got := numbers(2, "P2Tun00000", "P2Tun00001", "P2Tun00002"); !reflect.DeepEqual(got, []int{1, 2, 3}) {
		t.Errorf("phase 2 numbers %v", got)
	}
	e.ok("-d", "-t", "IPSecTunnel", "-n", "P2Tun00001")
	e.ok("-d", "-t", "IKETunnel", "-n", "P1Tun00001")
	e.ok("-pF", e.writeDoc("db.xml", genDoc(5)))
	if got := numbers(1, "P1Tun00000", "P1Tun00001", "P1Tun00002", "P1Tun00003", "P1Tun00004"); !reflect.DeepEqual(got, []int{1, 2, 3, 4, 5}) {
		t.Errorf("phase 1 numbers after delete and put %v", got)
	}
	e.ok("-x")
	if got := numbers(2, "P2Tun00000"); !reflect.DeepEqual(got, []int{0}) {
		t.Errorf("phase 2 numbers after -x %v", got)
	}
}

// TestFailedPutChangesNothing: a put that fails while deriving
// engine objects (a tunnel name held by another personality's phase 2
// policy) leaves the database and the engine as they were.
func TestFailedPutChangesNothing(t *testing.T) {
	e := newTestLab(t)
	e.host(func(h *engine.Host) error {
		return h.Policies().PutPhase2([]engine.Phase2Policy{{Name: "S3", Origin: "solaris"}})
	})
	_, errs, code := e.run("-p", e.write("full.xml", fullDoc(t)))
	if code != 1 || !strings.Contains(errs, `IPSecTunnel: attribute IPSec_TunnelName: "S3" is already the name of a solaris phase 2 policy`) {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if out := e.ok("-g"); !strings.HasSuffix(out, "Version=\"2.0\"/>\n") {
		t.Errorf("database not empty after a failed put:\n%s", out)
	}
	e.host(func(h *engine.Host) error {
		if _, err := h.Policies().Phase1ByLabel("T1"); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("phase 1 policy T1 left behind: %v", err)
		}
		return nil
	})
}

func TestConvertHook(t *testing.T) {
	e := newTestLab(t)
	if _, errs, code := e.run("-c"); code != 1 || !strings.Contains(errs, "not available yet") {
		t.Errorf("-c without a converter: exit %d, %q", code, errs)
	}
	doc, err := vpnxml.Decode(strings.NewReader(fullDoc(t)), vpnxml.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got linuxInput
	var conf []byte
	conv := func(in linuxInput) (*vpnxml.Document, []string, error) {
		got = in
		conf, _ = io.ReadAll(in.Conf)
		return doc, []string{"my.conf:3: conn x: leftsourceip=10.0.0.1 is not supported; ignored"}, nil
	}
	// The default files are in the host's tree; a missing default secrets
	// file is no secrets.
	if _, errs, code := e.runWith(conv, "-c"); code != 1 || errs != "ikedb: cannot open /etc/ipsec.conf: No such file or directory\n" {
		t.Errorf("-c without ipsec.conf: exit %d, %q", code, errs)
	}
	e.write("my.conf", "conn x\n")
	_, errs, code := e.runWith(conv, "-c", "-l", "my.conf")
	if code != 0 || errs != "ikedb: my.conf:3: conn x: leftsourceip=10.0.0.1 is not supported; ignored\n" {
		t.Errorf("-c: exit %d, %q", code, errs)
	}
	if got.ConfName != "my.conf" || string(conf) != "conn x\n" || got.Secrets != nil || got.SecretsName != "/etc/ipsec.secrets" ||
		len(got.LocalAddrs) != 2 || got.Include == nil {
		t.Errorf("converter given %+v", got)
	}
	if out := e.ok("-g"); out != fullDoc(t) {
		t.Errorf("-c put:\n%s", out)
	}
	if _, errs, code := e.runWith(conv, "-c", "-l", "my.conf", "-k", "nosuch"); code != 1 || errs != "ikedb: cannot open nosuch: No such file or directory\n" {
		t.Errorf("-k nosuch: exit %d, %q", code, errs)
	}
	if _, _, code := e.runWith(conv, "-c", "-l", "my.conf", "-k", "my.conf", "-f", "out.xml"); code != 0 || got.SecretsName != "my.conf" {
		t.Fatalf("-c -f: exit %d", code)
	}
	fi, err := os.Stat(filepath.Join(e.dir, "out.xml"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("out.xml: %v, %v", fi, err)
	}
	failing := func(linuxInput) (*vpnxml.Document, []string, error) {
		return nil, nil, errors.New("my.conf:7: syntax error")
	}
	if _, errs, code := e.runWith(failing, "-c", "-l", "my.conf"); code != 1 || errs != "ikedb: my.conf:7: syntax error\n" {
		t.Errorf("failing converter: exit %d, %q", code, errs)
	}
}

// TestNotSuperuser: only root or the lab's owner may use ikedb (the
// vendors' superuser rule); -o reads no database and needs neither.
func TestNotSuperuser(t *testing.T) {
	e := newTestLab(t)
	e.ok("-x") // creates the lab, owned by the test's user
	var out, errw bytes.Buffer
	p := e.proc(nil, &out, &errw)
	p.UID = os.Geteuid() + 1
	if code := mainWith([]string{"-g"}, p, nil); code != 1 || out.Len() != 0 ||
		errw.String() != "ikedb: only root (or the owner of the lab) may use this command\n" {
		t.Errorf("-g by another user: exit %d, stdout %q, stderr %q", code, out.String(), errw.String())
	}
	if code := mainWith([]string{"-o"}, p, nil); code != 0 || !bytes.Equal(out.Bytes(), vpnxml.DTD()) {
		t.Errorf("-o by another user: exit %d", code)
	}
}

// TestConvertManyBadConns: 30,000 conns that all fail print the
// first warnings and a count of the rest, and fail without putting
// anything; the conversion stays linear (BenchmarkConvertBadConns).
func TestConvertManyBadConns(t *testing.T) {
	e := newTestLab(t)
	e.write("big.conf", badConns(30000))
	_, errs, code := e.runWith(linuxConverter(), "-c", "-l", "big.conf", "-f", "out.xml")
	lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	if code != 1 || len(lines) != maxWarnings+2 {
		t.Fatalf("exit %d, %d lines", code, len(lines))
	}
	if got := lines[len(lines)-2:]; got[0] != "ikedb: 59900 more warnings not shown" || got[1] != "ikedb: big.conf: no conn was converted" {
		t.Errorf("last lines %q", got)
	}
	if _, err := os.Stat(filepath.Join(e.dir, "out.xml")); err == nil {
		t.Error("out.xml written")
	}
}

func badConns(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "conn c%d\n\tleft=10.0.0.300\n\tright=10.0.0.2\n\tauto=start\n", i)
	}
	return b.String()
}

// BenchmarkConvertBadConns measures ikedb -c over 1,000 and 10,000
// broken conns: the ratio of the two shows the cost per conn is flat.
func BenchmarkConvertBadConns(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			e := newTestLab(b)
			e.write("big.conf", badConns(n))
			for i := 0; i < b.N; i++ {
				if _, _, code := e.runWith(linuxConverter(), "-c", "-l", "big.conf", "-f", "out.xml"); code != 1 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
