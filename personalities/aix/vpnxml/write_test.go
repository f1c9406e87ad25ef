package vpnxml

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/full.xml")

// fullDoc uses every element and every attribute of the vocabulary.
func fullDoc() *Document {
	v4 := func(s string) ID { return ID{Type: IPv4Address, Addr: addr(s)} }
	return &Document{
		Version: "2.0",
		IKEProtections: []IKEProtection{{
			Name: "P1", Role: Initiator, XchgMode: Aggressive, KeyOverlap: IntOf(10), UseCRL: Yes,
			ResponderKeyRefreshMaxKB: IntOf(1000), ResponderKeyRefreshMinKB: IntOf(0),
			ResponderKeyRefreshMaxMinutes: IntOf(600), ResponderKeyRefreshMinMinutes: IntOf(60),
			DefaultProtectionRef: "_defIPSprot_v4",
			DefaultAllowedTypes:  []AllowedType{"Local_IPV4_Address", "Remote_IPV4_Subnet", "Remote_IPV6_Address_Range"},
			Transforms: []IKETransform{
				{Encryption: IKEAES, KeyLength: 256, Hash: HashSHA256, DHGroup: 24, AuthMethod: RSASignature,
					KeyRefreshMinutes: IntOf(480), KeyRefreshKB: IntOf(0)},
				{Encryption: IKEDES, Hash: HashMD5, DHGroup: 1, AuthMethod: PresharedKey},
			},
		}},
		IKEGroups: []IKEGroup{{Name: "peers", Members: []ID{
			v4("192.0.2.7"), {Type: IPv6Address, Addr: addr("2001:db8::7")},
			{Type: FQDN, Text: "gw.example.com"}, {Type: UserFQDN, Text: "vpn@example.com"},
			{Type: X500DN, Text: `CN="R&D" <lab>, O=Exämple, C=US`},
		}}},
		IKETunnels: []IKETunnel{
			{Name: "T1", ProtectionRef: "P1", AutoStart: Yes, MakeRuleWithOptionalIP: Yes,
				Local:  IKEIdentity{OptionalIP: addr("192.0.2.1"), ID: ID{Type: KeyID, Text: "my key"}},
				Remote: IKEIdentity{ID: ID{Type: GroupRef, Text: "peers"}}},
			{Name: "T2", ProtectionRef: "P1",
				Local:  IKEIdentity{ID: ID{Type: IPv6Address, Addr: addr("2001:db8::1")}},
				Remote: IKEIdentity{OptionalIP: addr("2001:db8::2"), ID: ID{Type: FQDN, Text: "peer.example.com"}}},
		},
		PresharedKeys: []IKEPresharedKey{
			{Value: "0123456789abcdef", Format: Hex, Identity: KeyIdentity{ID: ID{Type: UserFQDN, Text: "vpn@example.com"}}},
			{Value: `a "quoted" & <tagged> key`, Identity: KeyIdentity{ID: v4("192.0.2.7")}},
		},
		IPSecProposals: []IPSecProposal{
			{Name: "ESPAH", ESP: &ESPProtocol{Encryption: ESPAES, KeyLength: 128, Authentication: HMACSHA256,
				EncapsulationMode: Transport, KeyRefreshMinutes: IntOf(60), KeyRefreshKB: IntOf(100000)},
				AH: &AHProtocol{Authentication: AESXCBC, EncapsulationMode: Transport, KeyRefreshMinutes: IntOf(60), KeyRefreshKB: IntOf(0)}},
			{Name: "AHonly", AH: &AHProtocol{Authentication: HMACMD5}},
			{Name: "GCM", ESP: &ESPProtocol{Encryption: ESPAESGCM, KeyLength: 256}},
		},
		IPSecProtections: []IPSecProtection{
			{Name: "_defIPSprot_v4", ProposalRefs: []string{"ESPAH", "AHonly", "GCM"}, Role: Responder,
				KeyOverlap: IntOf(0), InitiatorDHGroup: 14, ResponderDHGroup: 19, UseLifeSize: Yes,
				ResponderKeyRefreshMaxKB: IntOf(500), ResponderKeyRefreshMinKB: IntOf(10),
				ResponderKeyRefreshMaxMinutes: IntOf(120), ResponderKeyRefreshMinMinutes: IntOf(5)},
			{Name: "P2", ProposalRefs: []string{"GCM"}, InitiatorDHGroup: NoPFS, ResponderDHGroup: NoPFS},
		},
		IPSecTunnels: []IPSecTunnel{
			{Name: "S1", IKETunnelName: "T1", ProtectionRef: "P2", AutoStart: No, OnDemand: Yes,
				Local:  IPSecIdentity{Port: 443, Protocol: TCP, ID: ID{Type: IPv4Subnet, Addr: addr("10.1.0.0"), Mask: addr("255.255.0.0")}},
				Remote: IPSecIdentity{Protocol: 47, ID: ID{Type: GroupRef, Text: "v4peers"}}},
			{Name: "S2", IKETunnelName: "T2", ProtectionRef: "P2",
				Local:  IPSecIdentity{Protocol: ICMPv6, ID: ID{Type: IPv6Subnet, Addr: addr("2001:db8:1::"), Mask: addr("ffff:ffff:ffff:ffff::")}},
				Remote: IPSecIdentity{ID: ID{Type: IPv6AddressRange, Addr: addr("2001:db8:2::1"), To: addr("2001:db8:2::ff")}}},
			{Name: "S3", IKETunnelName: "T1", ProtectionRef: "P2",
				Local:  IPSecIdentity{Port: 53, Protocol: UDP, ID: ID{Type: IPv4AddressRange, Addr: addr("10.2.0.1"), To: addr("10.2.0.9")}},
				Remote: IPSecIdentity{Protocol: ICMP, ID: ID{Type: IPv4Address, Addr: addr("10.3.0.1")}}},
		},
	}
}

func TestFullRoundTrip(t *testing.T) {
	doc := fullDoc()
	if errs := Validate(doc, anyDB{}); errs != nil {
		t.Fatalf("Validate(fullDoc) = %v", errStrings(errs))
	}
	out := writeString(t, doc)
	if *update {
		os.WriteFile("testdata/full.xml", []byte(out), 0o644)
	}
	golden, err := os.ReadFile("testdata/full.xml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(golden), out); diff != "" {
		t.Errorf("Write(fullDoc) differs from testdata/full.xml (-want +got):\n%s", diff)
	}
	back := decodeString(t, out, DecodeOptions{})
	if diff := cmp.Diff(doc, back, cmpAddr, ignorePos); diff != "" {
		t.Errorf("Decode(Write(doc)) != doc (-want +got):\n%s", diff)
	}
	if again := writeString(t, back); again != out {
		t.Errorf("Write(Decode(Write(doc))) is not byte-identical")
	}
}

func TestWriteLayout(t *testing.T) {
	doc := &Document{
		IKEGroups: []IKEGroup{{Name: "g", Members: []ID{{Type: X500DN, Text: "CN=a\tb\nc\"d\"&<e>"}}}},
		PresharedKeys: []IKEPresharedKey{{Value: "k",
			Identity: KeyIdentity{ID: ID{Type: IPv4Address, Addr: addr("10.0.0.1")}}}},
	}
	want := `<?xml version="1.0"?>
<AIX_VPN>
  <IKEGroup
      IKE_GroupName="g">
    <X500DN
        Value="CN=a&#x9;b&#xA;c&quot;d&quot;&amp;&lt;e&gt;"/>
  </IKEGroup>
  <IKEPresharedKey
      Value="k">
    <PresharedKeyIdentity>
      <IPV4_Address
          Value="10.0.0.1"/>
    </PresharedKeyIdentity>
  </IKEPresharedKey>
</AIX_VPN>
`
	if diff := cmp.Diff(want, writeString(t, doc)); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
	// The X500DN domain has no room for tabs and newlines; the rest of the
	// escaped value must read back unchanged.
	readable := strings.NewReplacer("&#x9;", "", "&#xA;", "").Replace(want)
	back := decodeString(t, readable, DecodeOptions{})
	if got := back.IKEGroups[0].Members[0].Text; got != `CN=abc"d"&<e>` {
		t.Errorf("escaped value read back as %q", got)
	}
	// Invalid text cannot reach the output: it becomes U+FFFD.
	bad := &Document{IKEGroups: []IKEGroup{{Name: "g", Members: []ID{{Type: X500DN, Text: "CN=\x01\xff"}}}}}
	if out := writeString(t, bad); !strings.Contains(out, `Value="CN=`+"\uFFFD\uFFFD"+`"`) {
		t.Errorf("invalid characters written as:\n%s", out)
	}
}

func TestWriterStreaming(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.WriteIPSecProtection(&IPSecProtection{Name: "x"}); !errors.Is(err, errOrder) {
		t.Errorf("Write before Begin: %v", err)
	}
	w = NewWriter(&b)
	if err := w.Begin("2.0"); err != nil {
		t.Fatal(err)
	}
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	if want := "<?xml version=\"1.0\"?>\n<AIX_VPN\n    Version=\"2.0\"/>\n"; b.String() != want {
		t.Errorf("empty document:\n%s", b.String())
	}
	if err := w.End(); !errors.Is(err, errOrder) {
		t.Errorf("End twice: %v", err)
	}
	err := Write(&b, &Document{IKETunnels: []IKETunnel{{Name: "t", Local: IKEIdentity{ID: ID{Type: "Phone"}}}}})
	if err == nil || err.Error() != "vpnxml: cannot write an identity of unknown type Phone" {
		t.Errorf("unknown identity: %v", err)
	}
}

// failWriter accepts n bytes, then fails.
type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return f.n, os.ErrClosed
	}
	f.n -= len(p)
	return len(p), nil
}

func TestWriterError(t *testing.T) {
	doc := genDoc(2000)
	if err := Write(&failWriter{n: 100000}, doc); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Write to a failing writer: %v", err)
	}
	w := NewWriter(&failWriter{n: 10})
	w.Begin("2.0")
	var first error
	for i := range doc.IKETunnels {
		if err := w.WriteIKETunnel(&doc.IKETunnels[i]); err != nil {
			first = err
			break
		}
	}
	if !errors.Is(first, os.ErrClosed) || !errors.Is(w.End(), os.ErrClosed) {
		t.Errorf("sticky error: first %v, End %v", first, w.End())
	}
}
