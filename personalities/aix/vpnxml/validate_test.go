package vpnxml

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// One-line definitions to build test documents from.
const (
	vIKEProt   = `<IKEProtection IKE_ProtectionName="P1"><IKETransform IKE_Encryption="AES-CBC" IKE_Hash="SHA" IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/></IKEProtection>` + "\n"
	vIKETun    = `<IKETunnel IKE_TunnelName="T1" IKE_ProtectionRef="P1"><IKELocalIdentity><IPV4_Address Value="10.0.0.1"/></IKELocalIdentity><IKERemoteIdentity><IPV4_Address Value="10.0.0.2"/></IKERemoteIdentity></IKETunnel>` + "\n"
	vProposal  = `<IPSecProposal IPSec_ProposalName="PR"><IPSecESPProtocol ESP_Encryption="ESP_AES" ESP_Authentication="HMAC-SHA"/></IPSecProposal>` + "\n"
	vIPSecProt = `<IPSecProtection IPSec_ProtectionName="P2" IPSec_ProposalRefs="PR"/>` + "\n"
	vIPSecTun  = `<IPSecTunnel IPSec_TunnelName="T2" IKE_TunnelName="T1" IPSec_ProtectionRef="P2"><IPSecLocalIdentity><IPV4_Address Value="10.0.0.1"/></IPSecLocalIdentity><IPSecRemoteIdentity><IPV4_Address Value="10.0.0.2"/></IPSecRemoteIdentity></IPSecTunnel>` + "\n"
	vBase      = vIKEProt + vIKETun + vProposal + vIPSecProt + vIPSecTun // lines 3-7
)

// bigGroup returns 11 distinct members of 100 bytes each.
func bigGroup() string {
	var b strings.Builder
	for i := range 11 {
		b.WriteString(`<X500DN Value="CN=` + strings.Repeat("x", 95) + fmt.Sprintf("%02d", i) + `"/>`)
	}
	return b.String()
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		body string
		db   Lookup
		want []string
	}{
		{"clean", vBase, nil, nil},
		{"duplicates", vBase + vBase + `<IKEGroup IKE_GroupName="G"><FQDN Value="a"/></IKEGroup>` + "\n" + `<IKEGroup IKE_GroupName="G"><FQDN Value="a"/></IKEGroup>` + "\n", nil, []string{
			`line 8: IKEProtection: attribute IKE_ProtectionName: "P1" is already defined at line 3`,
			`line 9: IKETunnel: attribute IKE_TunnelName: "T1" is already defined at line 4`,
			`line 10: IPSecProposal: attribute IPSec_ProposalName: "PR" is already defined at line 5`,
			`line 11: IPSecProtection: attribute IPSec_ProtectionName: "P2" is already defined at line 6`,
			`line 12: IPSecTunnel: attribute IPSec_TunnelName: "T2" is already defined at line 7`,
			`line 14: IKEGroup: attribute IKE_GroupName: "G" is already defined at line 13`,
		}},
		{"preshared key clash", `<IKEPresharedKey Value="a"><PresharedKeyIdentity><FQDN Value="peer"/></PresharedKeyIdentity></IKEPresharedKey>` + "\n" +
			`<IKEPresharedKey Value="b"><PresharedKeyIdentity><FQDN Value="peer"/></PresharedKeyIdentity></IKEPresharedKey>` + "\n" +
			`<IKEPresharedKey Value="c"><PresharedKeyIdentity><FQDN Value="peer2"/></PresharedKeyIdentity></IKEPresharedKey>` + "\n", nil, []string{
			`line 4: PresharedKeyIdentity: a key for FQDN peer is already defined at line 3`,
		}},
		{"unresolved", vIKETun + vIPSecProt + vIPSecTun, nil, []string{
			`line 3: IKETunnel: attribute IKE_ProtectionRef: no IKEProtection named "P1" in the file or the database`,
			`line 4: IPSecProtection: attribute IPSec_ProposalRefs: no IPSecProposal named "PR" in the file or the database`,
		}},
		{"unresolved phase 2", vIPSecTun, nil, []string{
			`line 3: IPSecTunnel: attribute IKE_TunnelName: no IKETunnel named "T1" in the file or the database`,
			`line 3: IPSecTunnel: attribute IPSec_ProtectionRef: no IPSecProtection named "P2" in the file or the database`,
		}},
		{"resolved in database", vIKETun + vIPSecProt + vIPSecTun, fakeDB{"IKEProtection:P1": true, "IPSecProposal:PR": true}, nil},
		{"resolved in database 2", vIPSecTun + `<IKETunnel IKE_TunnelName="T" IKE_ProtectionRef="P1"><IKELocalIdentity><FQDN Value="a"/></IKELocalIdentity><IKERemoteIdentity><IKEGroupRef IKE_GroupName="G"/></IKERemoteIdentity></IKETunnel>` + "\n",
			fakeDB{"IKETunnel:T1": true, "IPSecProtection:P2": true, "IKEProtection:P1": true, "IKEGroup:G": true}, nil},
		{"group unresolved", `<IKETunnel IKE_TunnelName="T" IKE_ProtectionRef="P1"><IKELocalIdentity><FQDN Value="a"/></IKELocalIdentity><IKERemoteIdentity>
<IKEGroupRef IKE_GroupName="G"/></IKERemoteIdentity></IKETunnel>` + "\n", fakeDB{"IKEProtection:P1": true}, []string{
			`line 4: IKEGroupRef: attribute IKE_GroupName: no IKEGroup named "G" in the file or the database`,
		}},
		{"default protection", vProposal + `<IPSecProtection IPSec_ProtectionName="_defIPSprot_v4" IPSec_ProposalRefs="PR"/>
<IKEProtection IKE_ProtectionName="P1" IKE_IPSecDefaultProtectionRef="_defIPSprot_v4" IKE_IPSecDefaultAllowedTypes="Local_IPV4_Address Remote_IPV4_Subnet"><IKETransform IKE_Encryption="AES-CBC" IKE_Hash="SHA" IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/></IKEProtection>
`, nil, nil},
		{"default protection rules", vBase + `<IKEProtection IKE_ProtectionName="D1"
 IKE_IPSecDefaultProtectionRef="P2"
 IKE_IPSecDefaultAllowedTypes="Local_IPV4_Address"><IKETransform IKE_Encryption="AES-CBC" IKE_Hash="SHA" IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/></IKEProtection>
<IKEProtection IKE_ProtectionName="D2" IKE_IPSecDefaultProtectionRef="_defIPSprot_x"><IKETransform IKE_Encryption="AES-CBC" IKE_Hash="SHA" IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/></IKEProtection>
<IKEProtection IKE_ProtectionName="D3" IKE_IPSecDefaultAllowedTypes="Local_IPV4_Address"><IKETransform IKE_Encryption="AES-CBC" IKE_Hash="SHA" IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/></IKEProtection>
`, fakeDB{"IPSecProtection:_defIPSprot_x": false}, []string{
			`line 9: IKEProtection: attribute IKE_IPSecDefaultProtectionRef: "P2" does not begin with _defIPSprot_, which a default IPSecProtection's name must`,
			`line 11: IKEProtection: attribute IKE_IPSecDefaultProtectionRef: no IPSecProtection named "_defIPSprot_x" in the file or the database`,
			`line 11: IKEProtection: attribute IKE_IPSecDefaultAllowedTypes: required with IKE_IPSecDefaultProtectionRef`,
			`line 12: IKEProtection: attribute IKE_IPSecDefaultAllowedTypes: allowed only with IKE_IPSecDefaultProtectionRef`,
		}},
		{"algorithms", `<IKEProtection IKE_ProtectionName="P"><IKETransform IKE_Encryption="3DES-CBC" IKE_KeyLength="256" IKE_Hash="SHA" IKE_DHGroup="2" IKE_AuthenticationMethod="Preshared_Key"/></IKEProtection>
<IPSecProposal IPSec_ProposalName="a"><IPSecESPProtocol ESP_Encryption="ESP_3DES" ESP_KeyLength="128"/></IPSecProposal>
<IPSecProposal IPSec_ProposalName="b"><IPSecESPProtocol ESP_Encryption="ESP_NULL"/><IPSecAHProtocol AH_Authentication="HMAC-SHA"/></IPSecProposal>
<IPSecProposal IPSec_ProposalName="c"><IPSecESPProtocol ESP_Encryption="ESP_AES_GCM" ESP_KeyLength="256"
 ESP_Authentication="HMAC-SHA"/></IPSecProposal>
<IPSecProposal IPSec_ProposalName="d"><IPSecESPProtocol ESP_Encryption="ESP_NULL" ESP_Authentication="HMAC-SHA2-256"/></IPSecProposal>
`, nil, []string{
			`line 3: IKETransform: attribute IKE_KeyLength: allowed only with IKE_Encryption AES-CBC`,
			`line 4: IPSecESPProtocol: attribute ESP_KeyLength: allowed only with ESP_AES, ESP_AES_GCM or ESP_AES_GMAC`,
			`line 5: IPSecESPProtocol: attribute ESP_Authentication: required with ESP_Encryption ESP_NULL, or ESP protects nothing`,
			`line 7: IPSecESPProtocol: attribute ESP_Authentication: not allowed with ESP_Encryption ESP_AES_GCM, which provides its own integrity`,
		}},
		{"responder ranges", `<IKEProtection IKE_ProtectionName="P" IKE_ResponderKeyRefreshMaxKB="100" IKE_ResponderKeyRefreshMinKB="200"
 IKE_ResponderKeyRefreshMaxMinutes="60" IKE_ResponderKeyRefreshMinMinutes="60"><IKETransform IKE_Encryption="AES-CBC" IKE_Hash="SHA" IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/></IKEProtection>
` + vProposal + `<IPSecProtection IPSec_ProtectionName="Q" IPSec_ProposalRefs="PR" IPSec_ResponderKeyRefreshMaxMinutes="30"
 IPSec_ResponderKeyRefreshMinMinutes="31" IPSec_ResponderKeyRefreshMaxKB="5" IPSec_ResponderKeyRefreshMinKB="5"/>
`, nil, []string{
			`line 3: IKEProtection: attribute IKE_ResponderKeyRefreshMinKB: value 200 is greater than IKE_ResponderKeyRefreshMaxKB 100`,
			`line 7: IPSecProtection: attribute IPSec_ResponderKeyRefreshMinMinutes: value 31 is greater than IPSec_ResponderKeyRefreshMaxMinutes 30`,
		}},
		{"key formats", `<IKEPresharedKey Value="0x1234" Format="Hex"><PresharedKeyIdentity><KeyID Value="a"/></PresharedKeyIdentity></IKEPresharedKey>
<IKEPresharedKey Value="123" Format="Hex"><PresharedKeyIdentity><KeyID Value="b"/></PresharedKeyIdentity></IKEPresharedKey>
<IKEPresharedKey Value="0A1b"
  Format="Hex"><PresharedKeyIdentity><KeyID Value="c"/></PresharedKeyIdentity></IKEPresharedKey>
<IKEPresharedKey Value="geheimnis€"><PresharedKeyIdentity><KeyID Value="d"/></PresharedKeyIdentity></IKEPresharedKey>
<IKEPresharedKey Value="secret with spaces" Format="ASCII"><PresharedKeyIdentity><KeyID Value="e"/></PresharedKeyIdentity></IKEPresharedKey>
`, nil, []string{
			`line 3: IKEPresharedKey: attribute Value: with Format Hex the key must be an even number of hexadecimal digits`,
			`line 4: IKEPresharedKey: attribute Value: with Format Hex the key must be an even number of hexadecimal digits`,
			`line 7: IKEPresharedKey: attribute Value: with Format ASCII the key must be printable ASCII characters`,
		}},
		{"identities", vIKEProt + vIPSecProt + vProposal + `<IKETunnel IKE_TunnelName="T1" IKE_ProtectionRef="P1"><IKELocalIdentity
 OptionalIP="10.0.0.1"><IPV4_Address Value="10.0.0.1"/></IKELocalIdentity><IKERemoteIdentity OptionalIP="::1"><FQDN Value="peer"/></IKERemoteIdentity></IKETunnel>
<IKETunnel IKE_TunnelName="T2" IKE_ProtectionRef="P1"><IKELocalIdentity><IPV4_Address Value="10.0.0.1"/></IKELocalIdentity><IKERemoteIdentity>
<IPV6_Address Value="::2"/></IKERemoteIdentity></IKETunnel>
<IPSecTunnel IPSec_TunnelName="S1" IKE_TunnelName="T1" IPSec_ProtectionRef="P2"><IPSecLocalIdentity Port="22"><IPV4_Address_Range From="10.0.0.9"
 To="10.0.0.1"/></IPSecLocalIdentity><IPSecRemoteIdentity Port="53" Protocol="udp"><IPV6_Subnet Value="2001:db8::" Netmask="ffff:ffff::"/></IPSecRemoteIdentity></IPSecTunnel>
`, nil, []string{
			`line 7: IKELocalIdentity: attribute OptionalIP: allowed only with FQDN, User_FQDN, X500DN or KeyID identities`,
			`line 9: IKERemoteIdentity: an IPv6 remote identity cannot pair with an IPv4 local identity`,
			`line 10: IPSecLocalIdentity: attribute Port: allowed only with Protocol tcp or udp`,
			`line 11: IPV4_Address_Range: attribute To: value "10.0.0.1" is lower than From "10.0.0.9"`,
			`line 11: IPSecRemoteIdentity: an IPv6 remote identity cannot pair with an IPv4 local identity`,
		}},
		{"groups", vIKEProt + vIPSecProt + vProposal + vIKETun + `<IKEGroup IKE_GroupName="G">
<FQDN Value="a.example.com"/><IPV4_Address Value="10.0.0.1"/>
<FQDN Value="a.example.com"/></IKEGroup>
<IKEGroup IKE_GroupName="Big">` + bigGroup() + `</IKEGroup>
<IPSecTunnel IPSec_TunnelName="S1" IKE_TunnelName="T1" IPSec_ProtectionRef="P2"><IPSecLocalIdentity><IPV4_Address Value="10.0.0.1"/></IPSecLocalIdentity><IPSecRemoteIdentity>
<IKEGroupRef IKE_GroupName="G"/></IPSecRemoteIdentity></IPSecTunnel>
`, nil, []string{
			`line 9: IKEGroup: member FQDN a.example.com is listed more than once`,
			`line 10: IKEGroup: the members take 1100 bytes; a group holds at most 1024`,
			`line 12: IKEGroupRef: attribute IKE_GroupName: group "G" cannot be a phase 2 identity: its member FQDN a.example.com is not an IP address`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := decodeString(t, wrap(tc.body), DecodeOptions{})
			got := errStrings(Validate(doc, tc.db))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidateBuilt checks documents built in Go, which never went through
// Decode: the value domains and the structure are checked again, and
// messages have no line.
func TestValidateBuilt(t *testing.T) {
	doc := &Document{
		Version: "2",
		IKEProtections: []IKEProtection{
			{Name: "P", Role: "both", KeyOverlap: IntOf(-1), Transforms: []IKETransform{{Encryption: IKEAES, Hash: HashSHA, DHGroup: 7, AuthMethod: PresharedKey}}},
			{Name: "Q"},
		},
		IKETunnels: []IKETunnel{{Name: "bad name", ProtectionRef: "P",
			Local:  IKEIdentity{ID: ID{Type: IPv4Subnet, Addr: addr("10.0.0.0"), Mask: addr("255.0.0.0")}},
			Remote: IKEIdentity{ID: ID{Type: FQDN, Text: "peer", Addr: addr("10.0.0.1")}},
		}},
		IKEGroups:      []IKEGroup{{Name: "G"}},
		PresharedKeys:  []IKEPresharedKey{{Value: "k", Identity: KeyIdentity{ID: ID{Type: "Phone"}}}},
		IPSecProposals: []IPSecProposal{{Name: "PR"}},
		IPSecProtections: []IPSecProtection{{Name: "P2", ProposalRefs: []string{"PR", "PR"},
			InitiatorDHGroup: 3}},
		IPSecTunnels: []IPSecTunnel{{Name: "S", IKETunnelName: "T", ProtectionRef: "P2",
			Local:  IPSecIdentity{ID: ID{Type: IPv4Address, Addr: netip.AddrFrom16(addr("10.0.0.1").As16())}},
			Remote: IPSecIdentity{Protocol: 300}}},
	}
	want := []string{
		`AIX_VPN: attribute Version: value "2" is not a version number such as 2.0`,
		`IKEProtection: attribute IKE_Role: value "both" is not one of Initiator, Responder, Both`,
		`IKEProtection: attribute IKE_KeyOverlap: value "-1" is not an integer`,
		`IKETransform: attribute IKE_DHGroup: value "7" is not one of 1, 2, 5, 14, 19, 20, 24`,
		`IKEProtection: missing IKETransform`,
		`IKEGroup: missing member identity`,
		`IKETunnel: attribute IKE_TunnelName: value "bad name" is not a valid name: use 1-64 letters, digits, '_', '-' and '.'`,
		`IKELocalIdentity: element IPV4_Subnet is not allowed here`,
		`FQDN: holds a value for an attribute this element does not have`,
		`PresharedKeyIdentity: unknown element Phone`,
		`IPSecProposal: missing IPSecESPProtocol or IPSecAHProtocol`,
		`IPSecProtection: attribute IPSec_ProposalRefs: value "PR" is listed more than once`,
		`IPSecProtection: attribute IPSec_InitiatorDHGroup: value "3" is not one of 0, NO_PFS, 1, 2, 5, 14, 19, 20, 24`,
		`IPSecTunnel: attribute IKE_TunnelName: no IKETunnel named "T" in the file or the database`,
		`IPV4_Address: attribute Value: value "::ffff:10.0.0.1" is not an IPv4 address`,
		`IPSecRemoteIdentity: attribute Protocol: value "300" is not a protocol name (tcp, udp, icmp, icmpv6) or number 1-255`,
		`IPSecRemoteIdentity: missing identity element`,
	}
	if diff := cmp.Diff(want, errStrings(Validate(doc, nil))); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
	// A value that parses back differently would not survive a put.
	doc = &Document{IKEProtections: []IKEProtection{{Name: "P", Role: " Both",
		Transforms: []IKETransform{{Encryption: IKEAES, Hash: HashSHA, DHGroup: 2, AuthMethod: PresharedKey}}}}}
	want = []string{`IKEProtection: attribute IKE_Role: value " Both" is not written as "Both"`}
	if diff := cmp.Diff(want, errStrings(Validate(doc, nil))); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
}

func TestSwapIdentities(t *testing.T) {
	doc := decodeString(t, wrap(vBase), DecodeOptions{})
	if errs := SwapIdentities(doc); errs != nil {
		t.Fatalf("SwapIdentities: %v", errStrings(errs))
	}
	if got := doc.IKETunnels[0].Local.ID.Addr; got != addr("10.0.0.2") {
		t.Errorf("IKE local after swap = %v", got)
	}
	if got := doc.IPSecTunnels[0].Remote.ID.Addr; got != addr("10.0.0.1") {
		t.Errorf("IPSec remote after swap = %v", got)
	}
	doc = decodeString(t, wrap(vBase+`<IKETunnel IKE_TunnelName="T" IKE_ProtectionRef="P1"><IKELocalIdentity><FQDN Value="a"/></IKELocalIdentity><IKERemoteIdentity>
<IKEGroupRef IKE_GroupName="G"/></IKERemoteIdentity></IKETunnel>
`), DecodeOptions{})
	want := []string{`line 9: IKERemoteIdentity: cannot swap local and remote identities: the remote identity is group "G"`}
	if diff := cmp.Diff(want, errStrings(SwapIdentities(doc))); diff != "" {
		t.Errorf("SwapIdentities (-want +got):\n%s", diff)
	}
	if got := doc.IKETunnels[0].Local.ID.Addr; got != addr("10.0.0.1") {
		t.Errorf("a refused swap changed the document")
	}
}
