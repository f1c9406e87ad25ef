package vpnxml

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// exampleDoc is what the spec 3.5 example (testdata/example.xml) holds,
// with the line of every element and attribute.
func exampleDoc() *Document {
	id := func(line int, a string) ID {
		return ID{Node: node(line, "Value"), Type: IPv4Address, Addr: addr(a)}
	}
	return &Document{
		Node:    node(2, "Version"),
		Version: "2.0",
		IKEProtections: []IKEProtection{{
			Node: node(4, "IKE_ProtectionName", "IKE_Role", "IKE_XchgMode", "IKE_KeyOverlap",
				"IKE_Flags_UseCRL", "IKE_ResponderKeyRefreshMaxKB", "IKE_ResponderKeyRefreshMinKB",
				"IKE_ResponderKeyRefreshMaxMinutes", "IKE_ResponderKeyRefreshMinMinutes"),
			Name: "P1Pol", Role: Both, XchgMode: Main, KeyOverlap: IntOf(5), UseCRL: No,
			ResponderKeyRefreshMaxKB: IntOf(200), ResponderKeyRefreshMinKB: IntOf(1),
			ResponderKeyRefreshMaxMinutes: IntOf(480), ResponderKeyRefreshMinMinutes: IntOf(1),
			Transforms: []IKETransform{{
				Node: node(14, "IKE_Encryption", "IKE_Hash", "IKE_DHGroup",
					"IKE_AuthenticationMethod", "IKE_KeyRefreshMinutes"),
				Encryption: IKE3DES, Hash: HashSHA, DHGroup: 2, AuthMethod: PresharedKey,
				KeyRefreshMinutes: IntOf(480),
			}},
		}},
		IKETunnels: []IKETunnel{{
			Node: node(21, "IKE_TunnelName", "IKE_ProtectionRef", "IKE_Flags_AutoStart",
				"IKE_Flags_MakeRuleWithOptionalIP"),
			Name: "P1Tun", ProtectionRef: "P1Pol", AutoStart: No, MakeRuleWithOptionalIP: No,
			Local:  IKEIdentity{Node: node(26), ID: id(27, "10.1.1.1")},
			Remote: IKEIdentity{Node: node(30), ID: id(31, "10.1.1.2")},
		}},
		PresharedKeys: []IKEPresharedKey{{
			Node:  node(35, "Value", "Format"),
			Value: "sharedsecret", Format: ASCII,
			Identity: KeyIdentity{Node: node(38), ID: id(39, "10.1.1.2")},
		}},
		IPSecProposals: []IPSecProposal{{
			Node: node(43, "IPSec_ProposalName"),
			Name: "P2Prop",
			ESP: &ESPProtocol{
				Node: node(45, "ESP_Encryption", "ESP_Authentication", "ESP_EncapsulationMode",
					"ESP_KeyRefreshMinutes", "ESP_KeyRefreshKB"),
				Encryption: ESP3DES, Authentication: HMACMD5, EncapsulationMode: Tunnel,
				KeyRefreshMinutes: IntOf(30), KeyRefreshKB: IntOf(0),
			},
		}},
		IPSecProtections: []IPSecProtection{{
			Node: node(52, "IPSec_ProtectionName", "IPSec_ProposalRefs", "IPSec_Role",
				"IPSec_KeyOverlap", "IPSec_InitiatorDHGroup", "IPSec_ResponderDHGroup",
				"IPSec_Flags_UseLifeSize"),
			Name: "P2Pol", ProposalRefs: []string{"P2Prop"}, Role: Both, KeyOverlap: IntOf(5),
			InitiatorDHGroup: NoPFS, ResponderDHGroup: NoPFS, UseLifeSize: No,
		}},
		IPSecTunnels: []IPSecTunnel{{
			Node: node(60, "IPSec_TunnelName", "IKE_TunnelName", "IPSec_ProtectionRef",
				"IPSec_Flags_AutoStart", "IPSec_Flags_OnDemand"),
			Name: "P2Tun", IKETunnelName: "P1Tun", ProtectionRef: "P2Pol", AutoStart: No, OnDemand: No,
			Local:  IPSecIdentity{Node: node(66), ID: id(67, "10.1.1.1")},
			Remote: IPSecIdentity{Node: node(70), ID: id(71, "10.1.1.2")},
		}},
	}
}

func TestDecodeExample(t *testing.T) {
	in, err := os.ReadFile("testdata/example.xml")
	if err != nil {
		t.Fatal(err)
	}
	got := decodeString(t, string(in), DecodeOptions{})
	if diff := cmp.Diff(exampleDoc(), got, cmpAddr); diff != "" {
		t.Errorf("Decode(example) mismatch (-want +got):\n%s", diff)
	}
	if errs := Validate(got, nil); len(errs) > 0 {
		t.Errorf("Validate(example) = %v", errStrings(errs))
	}
	if out := writeString(t, got); out != string(in) {
		t.Errorf("Write(Decode(example)) differs from the example:\n%s", out)
	}
}

// TestDecodeCompactLayout reads attributes that share lines, which most
// hand-written files do, and checks the lines recorded for them.
func TestDecodeCompactLayout(t *testing.T) {
	in := wrap(`  <IKEGroup IKE_GroupName="dhcp">
    <FQDN Value="a.example.com"/><User_FQDN
        Value="ops@example.com"/>
    <X500DN Value="CN=host, O=Example, C=US"/>
    <IPV6_Address Value="2001:db8::1"/>
  </IKEGroup>
  <IKETunnel IKE_TunnelName="T" IKE_ProtectionRef="P"
      IKE_Flags_AutoStart="Yes"><IKELocalIdentity OptionalIP="192.0.2.1"><KeyID Value="key-1"/></IKELocalIdentity>
    <IKERemoteIdentity><IKEGroupRef IKE_GroupName="dhcp"/></IKERemoteIdentity>
  </IKETunnel>
  <IPSecTunnel IPSec_TunnelName="T2" IKE_TunnelName="T" IPSec_ProtectionRef="P2">
    <IPSecLocalIdentity Port="80" Protocol="TCP"><IPV4_Subnet Value="10.0.0.0" Netmask="255.255.255.0"/></IPSecLocalIdentity>
    <IPSecRemoteIdentity Protocol="50"><IPV6_Address_Range From="2001:db8::1" To="2001:db8::ff"/></IPSecRemoteIdentity>
  </IPSecTunnel>
`)
	got := decodeString(t, in, DecodeOptions{})
	at := func(line int) Pos { return Pos{Line: line} }
	want := &Document{
		Node:    Node{Pos: at(2), Attrs: []AttrPos{{"Version", at(2)}}},
		Version: "2.0",
		IKEGroups: []IKEGroup{{
			Node: Node{Pos: at(3), Attrs: []AttrPos{{"IKE_GroupName", at(3)}}},
			Name: "dhcp",
			Members: []ID{
				{Node: Node{Pos: at(4), Attrs: []AttrPos{{"Value", at(4)}}}, Type: FQDN, Text: "a.example.com"},
				{Node: Node{Pos: at(4), Attrs: []AttrPos{{"Value", at(5)}}}, Type: UserFQDN, Text: "ops@example.com"},
				{Node: Node{Pos: at(6), Attrs: []AttrPos{{"Value", at(6)}}}, Type: X500DN, Text: "CN=host, O=Example, C=US"},
				{Node: Node{Pos: at(7), Attrs: []AttrPos{{"Value", at(7)}}}, Type: IPv6Address, Addr: addr("2001:db8::1")},
			},
		}},
		IKETunnels: []IKETunnel{{
			Node: Node{Pos: at(9), Attrs: []AttrPos{{"IKE_TunnelName", at(9)}, {"IKE_ProtectionRef", at(9)}, {"IKE_Flags_AutoStart", at(10)}}},
			Name: "T", ProtectionRef: "P", AutoStart: Yes,
			Local: IKEIdentity{Node: Node{Pos: at(10), Attrs: []AttrPos{{"OptionalIP", at(10)}}}, OptionalIP: addr("192.0.2.1"),
				ID: ID{Node: Node{Pos: at(10), Attrs: []AttrPos{{"Value", at(10)}}}, Type: KeyID, Text: "key-1"}},
			Remote: IKEIdentity{Node: Node{Pos: at(11)},
				ID: ID{Node: Node{Pos: at(11), Attrs: []AttrPos{{"IKE_GroupName", at(11)}}}, Type: GroupRef, Text: "dhcp"}},
		}},
		IPSecTunnels: []IPSecTunnel{{
			Node: Node{Pos: at(13), Attrs: []AttrPos{{"IPSec_TunnelName", at(13)}, {"IKE_TunnelName", at(13)}, {"IPSec_ProtectionRef", at(13)}}},
			Name: "T2", IKETunnelName: "T", ProtectionRef: "P2",
			Local: IPSecIdentity{Node: Node{Pos: at(14), Attrs: []AttrPos{{"Port", at(14)}, {"Protocol", at(14)}}}, Port: 80, Protocol: TCP,
				ID: ID{Node: Node{Pos: at(14), Attrs: []AttrPos{{"Value", at(14)}, {"Netmask", at(14)}}}, Type: IPv4Subnet,
					Addr: addr("10.0.0.0"), Mask: addr("255.255.255.0")}},
			Remote: IPSecIdentity{Node: Node{Pos: at(15), Attrs: []AttrPos{{"Protocol", at(15)}}}, Protocol: 50,
				ID: ID{Node: Node{Pos: at(15), Attrs: []AttrPos{{"From", at(15)}, {"To", at(15)}}}, Type: IPv6AddressRange,
					Addr: addr("2001:db8::1"), To: addr("2001:db8::ff")}},
		}},
	}
	if diff := cmp.Diff(want, got, cmpAddr); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeTolerated(t *testing.T) {
	// Things XML allows and ikedb accepts: comments, processing
	// instructions, an external DOCTYPE, CRLF line ends, blanks around
	// enumerated values, an empty root, US-ASCII and ISO-8859-1 input.
	for name, in := range map[string]string{
		"doctype":  "<?xml version=\"1.0\"?>\n<!DOCTYPE AIX_VPN SYSTEM \"ikedb.dtd\">\n<AIX_VPN/>\n",
		"comments": "<!-- c -->\n<AIX_VPN><!-- c --><?pi x?></AIX_VPN>\n<!-- c -->\n",
		"crlf":     "<AIX_VPN\r\n    Version=\"2.0\">\r\n</AIX_VPN>\r\n",
		"ascii":    "<?xml version=\"1.0\" encoding=\"US-ASCII\"?><AIX_VPN/>",
		"nodecl":   "<AIX_VPN></AIX_VPN>",
	} {
		if _, err := Decode(strings.NewReader(in), DecodeOptions{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	doc := decodeString(t, wrap(`<IKEProtection IKE_ProtectionName="P" IKE_Role=" Both
"><IKETransform IKE_Encryption="AES-CBC" IKE_KeyLength="256" IKE_Hash="SHA2_256" IKE_DHGroup=" 14 " IKE_AuthenticationMethod="RSA_Signature"/></IKEProtection>`), DecodeOptions{})
	if p := doc.IKEProtections[0]; p.Role != Both || p.Transforms[0].DHGroup != 14 {
		t.Errorf("blanks around enumerations: got %+v", p)
	}
	latin1 := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<AIX_VPN><IKEGroup IKE_GroupName=\"g\"><X500DN Value=\"CN=Jos\xe9\"/></IKEGroup></AIX_VPN>"
	doc = decodeString(t, latin1, DecodeOptions{})
	if got := doc.IKEGroups[0].Members[0].Text; got != "CN=José" {
		t.Errorf("ISO-8859-1: got %q", got)
	}
}

// TestDecodeErrors covers every class of decode error with its exact
// message. Bodies start on line 3 (see wrap).
func TestDecodeErrors(t *testing.T) {
	tr := func(attrs string) string {
		return "<IKEProtection IKE_ProtectionName=\"P\">\n<IKETransform " + attrs + "/>\n</IKEProtection>\n"
	}
	const okTr = `IKE_Encryption="DES-CBC" IKE_Hash="MD5" IKE_DHGroup="1" IKE_AuthenticationMethod="Preshared_Key"`
	tests := []struct{ name, in, want string }{
		// well-formedness
		{"empty", "", "line 1: no AIX_VPN element: the document is empty"},
		{"blank", "\n\n", "line 3: no AIX_VPN element: the document is empty"},
		{"syntax", wrap("<IKEGroup IKE_GroupName=\"g\">\n<FQDN Value=\"a\"/>\n</IKETunnel>\n"), "line 5: XML syntax error: element <IKEGroup> closed by </IKETunnel>"},
		{"unclosed", "<AIX_VPN>\n<IKEGroup IKE_GroupName=\"g\">\n", "line 3: XML syntax error: unexpected EOF"},
		{"attributes run together", wrap("<IPSecProtection IPSec_ProtectionName=\"p\"IPSec_ProposalRefs=\"a\"/>\n"),
			"line 3: XML syntax error: attributes must be separated by white space"},
		{"bad quote", wrap("<IKEGroup IKE_GroupName=g/>\n"), "line 3: XML syntax error: unquoted or missing attribute value in element"},
		{"undefined entity", wrap("<IKEGroup IKE_GroupName=\"&gw;\"/>\n"), "line 3: undefined entity &gw;"},
		{"bad char ref", wrap("<IKEGroup IKE_GroupName=\"&#0;\"/>\n"), "line 3: XML syntax error: illegal character code U+0000"},
		{"encoding", "<?xml version=\"1.0\" encoding=\"EBCDIC\"?><AIX_VPN/>",
			"line 1: opening charset \"EBCDIC\": not supported; use UTF-8, US-ASCII or ISO-8859-1"},
		{"reserved char", wrap("\uE000\n"), "line 3: reserved character U+E000 or U+E001 in the document"},
		// document structure
		{"root", "<?xml version=\"1.0\"?>\n<VPN/>\n", "line 2: VPN: the root element must be AIX_VPN"},
		{"namespace root", "<AIX_VPN xmlns=\"urn:x\"/>", "line 1: urn:x:AIX_VPN: the root element must be AIX_VPN"},
		{"text before", "\nhello <AIX_VPN/>", "line 2: text before the root element"},
		{"text after", "<AIX_VPN/>\n\nhello\n", "line 3: text after the end of AIX_VPN"},
		{"element after", "<AIX_VPN/>\n<AIX_VPN/>\n", "line 2: AIX_VPN: element after the end of AIX_VPN"},
		{"internal subset", "<!DOCTYPE AIX_VPN [\n<!ENTITY a \"b\">\n]>\n<AIX_VPN/>",
			"line 1: internal DOCTYPE subsets are not supported; declare entities in an entity file (ikedb -e)"},
		{"declaration", "<!ELEMENT x EMPTY>\n<AIX_VPN/>", "line 1: unexpected declaration <!ELEMENT"},
		{"declaration inside", wrap("<!DOCTYPE x>\n"), "line 3: AIX_VPN: declarations are not allowed inside elements"},
		// elements
		{"unknown element", wrap("<IKETunel/>\n"), "line 3: AIX_VPN: unknown element IKETunel"},
		{"misplaced element", wrap("<IKETransform/>\n"), "line 3: AIX_VPN: element IKETransform is not allowed here"},
		{"text in element", wrap("<IKEGroup IKE_GroupName=\"g\">\n\n  oops</IKEGroup>\n"), "line 5: IKEGroup: text \"oops\" is not allowed here"},
		{"child of leaf", wrap("<IPSecProtection IPSec_ProtectionName=\"p\" IPSec_ProposalRefs=\"a\">\n<FQDN Value=\"x\"/></IPSecProtection>\n"),
			"line 4: IPSecProtection: element FQDN is not allowed here"},
		{"missing child", wrap("<IKEProtection IKE_ProtectionName=\"P\">\n</IKEProtection>\n"), "line 3: IKEProtection: missing IKETransform"},
		{"missing second child", wrap("<IKETunnel IKE_TunnelName=\"T\" IKE_ProtectionRef=\"P\">\n<IKELocalIdentity><FQDN Value=\"a\"/></IKELocalIdentity>\n</IKETunnel>\n"),
			"line 3: IKETunnel: missing IKERemoteIdentity"},
		{"order", wrap("<IKETunnel IKE_TunnelName=\"T\" IKE_ProtectionRef=\"P\">\n<IKELocalIdentity><FQDN Value=\"a\"/></IKELocalIdentity>\n<IKERemoteIdentity><FQDN Value=\"a\"/></IKERemoteIdentity>\n<IKELocalIdentity><FQDN Value=\"a\"/></IKELocalIdentity>\n</IKETunnel>\n"),
			"line 6: IKETunnel: element IKELocalIdentity must come before IKERemoteIdentity"},
		{"skipped first", wrap("<IKETunnel IKE_TunnelName=\"T\" IKE_ProtectionRef=\"P\">\n<IKERemoteIdentity><FQDN Value=\"a\"/></IKERemoteIdentity>\n</IKETunnel>\n"),
			"line 4: IKETunnel: missing IKELocalIdentity"},
		{"two identities", wrap("<IPSecTunnel IPSec_TunnelName=\"T\" IKE_TunnelName=\"T\" IPSec_ProtectionRef=\"P\">\n<IPSecLocalIdentity>\n<IPV4_Address Value=\"10.0.0.1\"/>\n<IPV4_Address Value=\"10.0.0.2\"/>\n</IPSecLocalIdentity>\n"),
			"line 6: IPSecLocalIdentity: more than one identity element"},
		{"empty identity", wrap("<IKEPresharedKey Value=\"k\">\n<PresharedKeyIdentity/>\n</IKEPresharedKey>\n"),
			"line 4: PresharedKeyIdentity: missing identity element"},
		{"phase 2 id in phase 1", wrap("<IKETunnel IKE_TunnelName=\"T\" IKE_ProtectionRef=\"P\">\n<IKELocalIdentity>\n<IPV4_Subnet Value=\"10.0.0.0\" Netmask=\"255.0.0.0\"/>\n"),
			"line 5: IKELocalIdentity: element IPV4_Subnet is not allowed here"},
		{"group as local", wrap("<IPSecTunnel IPSec_TunnelName=\"T\" IKE_TunnelName=\"T\" IPSec_ProtectionRef=\"P\">\n<IPSecLocalIdentity><IKEGroupRef IKE_GroupName=\"g\"/>\n"),
			"line 4: IPSecLocalIdentity: element IKEGroupRef is not allowed here"},
		{"key id in group", wrap("<IKEGroup IKE_GroupName=\"g\">\n<KeyID Value=\"k\"/>\n"), "line 4: IKEGroup: element KeyID is not allowed here"},
		{"empty group", wrap("<IKEGroup IKE_GroupName=\"g\"/>\n"), "line 3: IKEGroup: missing member identity"},
		{"empty proposal", wrap("<IPSecProposal IPSec_ProposalName=\"p\">\n</IPSecProposal>\n"), "line 3: IPSecProposal: missing IPSecESPProtocol or IPSecAHProtocol"},
		{"two ESP", wrap("<IPSecProposal IPSec_ProposalName=\"p\">\n<IPSecESPProtocol ESP_Encryption=\"ESP_DES\"/>\n<IPSecESPProtocol ESP_Encryption=\"ESP_DES\"/>\n"),
			"line 5: IPSecProposal: more than one IPSecESPProtocol"},
		{"AH before ESP", wrap("<IPSecProposal IPSec_ProposalName=\"p\">\n<IPSecAHProtocol AH_Authentication=\"HMAC-SHA\"/>\n<IPSecESPProtocol ESP_Encryption=\"ESP_DES\"/>\n"),
			"line 5: IPSecProposal: element IPSecESPProtocol must come before IPSecAHProtocol"},
		// attributes
		{"unknown attribute", wrap("<IKEGroup\n    IKE_GroupName=\"g\"\n    Colour=\"red\">\n"), "line 5: IKEGroup: attribute Colour: unknown attribute"},
		{"prefixed attribute", wrap("<IKEGroup xmlns:x=\"urn:x\" IKE_GroupName=\"g\">\n"), "line 3: IKEGroup: attribute xmlns:x: unknown attribute"},
		{"duplicate attribute", wrap("<IKEGroup IKE_GroupName=\"g\"\n IKE_GroupName=\"h\">\n"), "line 4: IKEGroup: attribute IKE_GroupName: attribute given more than once"},
		{"missing attribute", wrap("<IKEGroup>\n"), "line 3: IKEGroup: attribute IKE_GroupName: required attribute is missing"},
		{"missing version ok, bad version", "<AIX_VPN Version=\"two\"/>", "line 1: AIX_VPN: attribute Version: value \"two\" is not a version number such as 2.0"},
		// value domains
		{"dh group", wrap(tr(`IKE_Encryption="DES-CBC" IKE_Hash="MD5" IKE_DHGroup="7" IKE_AuthenticationMethod="Preshared_Key"`)),
			`line 4: IKETransform: attribute IKE_DHGroup: value "7" is not one of 1, 2, 5, 14, 19, 20, 24`},
		{"enum case", wrap(tr(`IKE_Encryption="des-cbc"`)),
			`line 4: IKETransform: attribute IKE_Encryption: value "des-cbc" is not one of DES-CBC, 3DES-CBC, AES-CBC`},
		{"key length", wrap(tr(okTr + ` IKE_KeyLength="512"`)), `line 4: IKETransform: attribute IKE_KeyLength: value "512" is not one of 128, 192, 256`},
		{"not integer", wrap(tr(okTr + ` IKE_KeyRefreshMinutes="8h"`)), `line 4: IKETransform: attribute IKE_KeyRefreshMinutes: value "8h" is not an integer`},
		{"signed integer", wrap(tr(okTr + ` IKE_KeyRefreshKB="-1"`)), `line 4: IKETransform: attribute IKE_KeyRefreshKB: value "-1" is not an integer`},
		{"out of range", wrap(tr(okTr + ` IKE_KeyRefreshMinutes="0"`)), `line 4: IKETransform: attribute IKE_KeyRefreshMinutes: value "0" is out of range 1-43200`},
		{"name", wrap("<IKEGroup IKE_GroupName=\"my group\">\n"), `line 3: IKEGroup: attribute IKE_GroupName: value "my group" is not a valid name: use 1-64 letters, digits, '_', '-' and '.'`},
		{"long name", wrap("<IKEGroup IKE_GroupName=\"" + strings.Repeat("n", 65) + "\">\n"),
			`line 3: IKEGroup: attribute IKE_GroupName: value "` + strings.Repeat("n", 65) + `" is not a valid name: use 1-64 letters, digits, '_', '-' and '.'`},
		{"ipv4", wrap("<IKEGroup IKE_GroupName=\"g\">\n<IPV4_Address Value=\"10.1.1\"/>\n"), `line 4: IPV4_Address: attribute Value: value "10.1.1" is not an IPv4 address`},
		{"ipv4 leading zero", wrap("<IKEGroup IKE_GroupName=\"g\">\n<IPV4_Address Value=\"10.01.1.1\"/>\n"), `line 4: IPV4_Address: attribute Value: value "10.01.1.1" is not an IPv4 address`},
		{"ipv6 given v4", wrap("<IKEGroup IKE_GroupName=\"g\">\n<IPV6_Address Value=\"10.1.1.1\"/>\n"), `line 4: IPV6_Address: attribute Value: value "10.1.1.1" is not an IPv6 address`},
		{"ipv6 zone", wrap("<IKEGroup IKE_GroupName=\"g\">\n<IPV6_Address Value=\"fe80::1%en0\"/>\n"), `line 4: IPV6_Address: attribute Value: value "fe80::1%en0" is not an IPv6 address`},
		{"netmask", wrap("<IPSecTunnel IPSec_TunnelName=\"T\" IKE_TunnelName=\"T\" IPSec_ProtectionRef=\"P\">\n<IPSecLocalIdentity><IPV4_Subnet Value=\"10.0.0.0\"\n Netmask=\"255.0.255.0\"/>\n"),
			`line 5: IPV4_Subnet: attribute Netmask: value "255.0.255.0" is not an IPv4 netmask`},
		{"ipv6 netmask", wrap("<IPSecTunnel IPSec_TunnelName=\"T\" IKE_TunnelName=\"T\" IPSec_ProtectionRef=\"P\">\n<IPSecLocalIdentity><IPV6_Subnet Value=\"2001:db8::\" Netmask=\"64\"/>\n"),
			`line 4: IPV6_Subnet: attribute Netmask: value "64" is not an IPv6 netmask`},
		{"fqdn", wrap("<IKEGroup IKE_GroupName=\"g\">\n<FQDN Value=\"a..b\"/>\n"), `line 4: FQDN: attribute Value: value "a..b" is not a domain name`},
		{"user fqdn", wrap("<IKEGroup IKE_GroupName=\"g\">\n<User_FQDN Value=\"example.com\"/>\n"), `line 4: User_FQDN: attribute Value: value "example.com" is not a user@domain name`},
		{"x500", wrap("<IKEGroup IKE_GroupName=\"g\">\n<X500DN Value=\"just text\"/>\n"), `line 4: X500DN: attribute Value: value "just text" is not an X.500 distinguished name`},
		{"key id", wrap("<IKEPresharedKey Value=\"k\"><PresharedKeyIdentity><KeyID Value=\"\"/>\n"), `line 3: KeyID: attribute Value: value "" is not a key ID of 1-255 printable characters`},
		{"key value", wrap("<IKEPresharedKey Value=\"\">\n"), `line 3: IKEPresharedKey: attribute Value: the key must be 1-512 printable characters`},
		{"key value control", wrap("<IKEPresharedKey Value=\"se&#x7F;cret\">\n"), `line 3: IKEPresharedKey: attribute Value: the key must be 1-512 printable characters`},
		{"allowed types", wrap("<IKEProtection IKE_ProtectionName=\"P\" IKE_IPSecDefaultAllowedTypes=\"Local_IPV4_Address Remote_FQDN\">\n"),
			`line 3: IKEProtection: attribute IKE_IPSecDefaultAllowedTypes: value "Remote_FQDN" is not one of Local_IPV4_Address, Local_IPV6_Address, Local_IPV4_Subnet, Local_IPV6_Subnet, Local_IPV4_Address_Range, Local_IPV6_Address_Range, Remote_IPV4_Address, Remote_IPV6_Address, Remote_IPV4_Subnet, Remote_IPV6_Subnet, Remote_IPV4_Address_Range, Remote_IPV6_Address_Range`},
		{"allowed types twice", wrap("<IKEProtection IKE_ProtectionName=\"P\" IKE_IPSecDefaultAllowedTypes=\"Local_IPV4_Address\n Local_IPV4_Address\">\n"),
			`line 3: IKEProtection: attribute IKE_IPSecDefaultAllowedTypes: value "Local_IPV4_Address" is listed more than once`},
		{"empty refs", wrap("<IPSecProtection IPSec_ProtectionName=\"p\" IPSec_ProposalRefs=\" \"/>\n"),
			`line 3: IPSecProtection: attribute IPSec_ProposalRefs: value " " is an empty list`},
		{"pfs", wrap("<IPSecProtection IPSec_ProtectionName=\"p\" IPSec_ProposalRefs=\"a\" IPSec_ResponderDHGroup=\"none\"/>\n"),
			`line 3: IPSecProtection: attribute IPSec_ResponderDHGroup: value "none" is not one of 0, NO_PFS, 1, 2, 5, 14, 19, 20, 24`},
		{"port", wrap("<IPSecTunnel IPSec_TunnelName=\"T\" IKE_TunnelName=\"T\" IPSec_ProtectionRef=\"P\">\n<IPSecLocalIdentity Port=\"0\">\n"),
			`line 4: IPSecLocalIdentity: attribute Port: value "0" is not a port number 1-65535`},
		{"protocol", wrap("<IPSecTunnel IPSec_TunnelName=\"T\" IKE_TunnelName=\"T\" IPSec_ProtectionRef=\"P\">\n<IPSecLocalIdentity Protocol=\"sctp\">\n"),
			`line 4: IPSecLocalIdentity: attribute Protocol: value "sctp" is not a protocol name (tcp, udp, icmp, icmpv6) or number 1-255`},
		{"optional ip", wrap("<IKETunnel IKE_TunnelName=\"T\" IKE_ProtectionRef=\"P\">\n<IKELocalIdentity OptionalIP=\"host\">\n"),
			`line 4: IKELocalIdentity: attribute OptionalIP: value "host" is not an IPv4 or IPv6 address`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.in), DecodeOptions{})
			if err == nil {
				t.Fatalf("Decode succeeded, want %q", tc.want)
			}
			if _, ok := err.(*Error); !ok {
				t.Errorf("error is %T, want *Error", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %q\nwant %q", err.Error(), tc.want)
			}
		})
	}
}

// errReader fails after its data.
type errReader struct{ data string }

func (r *errReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, os.ErrDeadlineExceeded
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestDecodeReadError(t *testing.T) {
	_, err := Decode(&errReader{data: "<AIX_VPN>\n<IKEGroup"}, DecodeOptions{})
	if err == nil || !strings.Contains(err.Error(), "line 2: ") || !strings.Contains(err.Error(), os.ErrDeadlineExceeded.Error()) {
		t.Errorf("got %v", err)
	}
}
