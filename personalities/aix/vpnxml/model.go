package vpnxml

import "net/netip"

// Pos is where an element or attribute was read.
type Pos struct {
	Line       int    // line in the document; for text from an entity, the line of the reference
	Entity     string // innermost entity the text came from; "" for the document itself
	EntityLine int    // line inside that entity's replacement text
}

// AttrPos is where one attribute was read.
type AttrPos struct {
	Name string
	Pos  Pos
}

// Node records where an element and its attributes were read. Decode fills
// it so that Validate can point at the offending line; the Writer ignores it
// and documents built in Go leave it zero.
type Node struct {
	Pos   Pos
	Attrs []AttrPos // attributes in source order
}

// PosOf returns where attribute name was read, or the element's position
// when the attribute was not read (it is missing, or the node was built in Go).
func (n *Node) PosOf(name string) Pos {
	for _, a := range n.Attrs {
		if a.Name == name {
			return a.Pos
		}
	}
	return n.Pos
}

// Int is an optional integer attribute. Lifetimes need the flag because 0 is
// a meaningful value for them ("no kilobyte limit").
type Int struct {
	V   int
	Set bool
}

// IntOf returns a set Int.
func IntOf(v int) Int { return Int{V: v, Set: true} }

// Enumerated attribute values. The empty string means "attribute absent":
// the engine then applies its default (see the package documentation).
type (
	YesNo         string // IKE_Flags_*, IPSec_Flags_*
	Role          string // IKE_Role, IPSec_Role
	XchgMode      string // IKE_XchgMode
	IKEEncryption string // IKE_Encryption
	IKEHash       string // IKE_Hash
	AuthMethod    string // IKE_AuthenticationMethod
	ESPEncryption string // ESP_Encryption
	Integrity     string // ESP_Authentication, AH_Authentication
	EncapMode     string // ESP_EncapsulationMode, AH_EncapsulationMode
	KeyFormat     string // IKEPresharedKey Format
	AllowedType   string // one token of IKE_IPSecDefaultAllowedTypes
	IDType        string // the element name of an identity
)

const (
	Yes YesNo = "Yes"
	No  YesNo = "No"

	Initiator Role = "Initiator"
	Responder Role = "Responder"
	Both      Role = "Both"

	Main       XchgMode = "Main"
	Aggressive XchgMode = "Aggressive"

	IKEDES  IKEEncryption = "DES-CBC"
	IKE3DES IKEEncryption = "3DES-CBC"
	IKEAES  IKEEncryption = "AES-CBC"

	HashMD5    IKEHash = "MD5"
	HashSHA    IKEHash = "SHA"
	HashSHA256 IKEHash = "SHA2_256"

	PresharedKey AuthMethod = "Preshared_Key"
	RSASignature AuthMethod = "RSA_Signature"

	ESPDES     ESPEncryption = "ESP_DES"
	ESP3DES    ESPEncryption = "ESP_3DES"
	ESPAES     ESPEncryption = "ESP_AES"
	ESPNull    ESPEncryption = "ESP_NULL"
	ESPAESGCM  ESPEncryption = "ESP_AES_GCM"
	ESPAESGMAC ESPEncryption = "ESP_AES_GMAC"

	HMACMD5    Integrity = "HMAC-MD5"
	HMACSHA    Integrity = "HMAC-SHA"
	HMACSHA256 Integrity = "HMAC-SHA2-256"
	AESXCBC    Integrity = "AES-XCBC-MAC-96"

	Tunnel    EncapMode = "Tunnel"
	Transport EncapMode = "Transport"

	ASCII KeyFormat = "ASCII"
	Hex   KeyFormat = "Hex"

	IPv4Address      IDType = "IPV4_Address"
	IPv6Address      IDType = "IPV6_Address"
	IPv4Subnet       IDType = "IPV4_Subnet"
	IPv6Subnet       IDType = "IPV6_Subnet"
	IPv4AddressRange IDType = "IPV4_Address_Range"
	IPv6AddressRange IDType = "IPV6_Address_Range"
	FQDN             IDType = "FQDN"
	UserFQDN         IDType = "User_FQDN"
	X500DN           IDType = "X500DN"
	KeyID            IDType = "KeyID"
	// GroupRef is the IKEGroupRef element, which stands in a remote identity
	// for every member of the named IKEGroup.
	GroupRef IDType = "IKEGroupRef"
)

// DHGroup is a Diffie-Hellman group number (IKE_DHGroup); 0 means absent.
type DHGroup int

// KeyLength is an AES key length in bits (IKE_KeyLength, ESP_KeyLength);
// 0 means absent.
type KeyLength int

// PFS is a phase 2 Diffie-Hellman group (IPSec_InitiatorDHGroup,
// IPSec_ResponderDHGroup): a group number, NoPFS, or 0 for absent.
type PFS int

// NoPFS means "no perfect forward secrecy" (written 0 or NO_PFS).
const NoPFS PFS = -1

// Group returns the DH group number, 0 when there is no PFS.
func (p PFS) Group() int {
	if p < 0 {
		return 0
	}
	return int(p)
}

// Protocol is an IP protocol number (the Protocol selector of a phase 2
// identity); 0 means absent, i.e. any protocol.
type Protocol int

// Protocols with a name in the XML.
const (
	ICMP   Protocol = 1
	TCP    Protocol = 6
	UDP    Protocol = 17
	ICMPv6 Protocol = 58
)

// Document is one AIX_VPN document. Each kind of definition keeps the order
// in which it appeared; the order between kinds is not kept (references
// resolve by name, so it carries no meaning) and the Writer emits kinds in a
// fixed order.
type Document struct {
	Node
	Version          string // AIX_VPN Version, e.g. "2.0"; "" when absent
	IKEProtections   []IKEProtection
	IKEGroups        []IKEGroup
	IKETunnels       []IKETunnel
	PresharedKeys    []IKEPresharedKey
	IPSecProposals   []IPSecProposal
	IPSecProtections []IPSecProtection
	IPSecTunnels     []IPSecTunnel
}

// IKEProtection is a phase 1 (key management) policy.
type IKEProtection struct {
	Node
	Name                          string // IKE_ProtectionName
	Role                          Role   // IKE_Role
	XchgMode                      XchgMode
	KeyOverlap                    Int   // IKE_KeyOverlap, minutes
	UseCRL                        YesNo // IKE_Flags_UseCRL
	ResponderKeyRefreshMaxKB      Int
	ResponderKeyRefreshMinKB      Int
	ResponderKeyRefreshMaxMinutes Int
	ResponderKeyRefreshMinMinutes Int
	DefaultProtectionRef          string        // IKE_IPSecDefaultProtectionRef
	DefaultAllowedTypes           []AllowedType // IKE_IPSecDefaultAllowedTypes
	Transforms                    []IKETransform
}

// IKETransform is one phase 1 proposal, in order of preference.
type IKETransform struct {
	Node
	Encryption        IKEEncryption
	KeyLength         KeyLength
	Hash              IKEHash
	DHGroup           DHGroup
	AuthMethod        AuthMethod // IKE_AuthenticationMethod
	KeyRefreshMinutes Int
	KeyRefreshKB      Int
}

// IKETunnel is a phase 1 tunnel definition.
type IKETunnel struct {
	Node
	Name                   string // IKE_TunnelName
	ProtectionRef          string // IKE_ProtectionRef
	AutoStart              YesNo  // IKE_Flags_AutoStart
	MakeRuleWithOptionalIP YesNo  // IKE_Flags_MakeRuleWithOptionalIP
	Local                  IKEIdentity
	Remote                 IKEIdentity
}

// IKEIdentity is an IKELocalIdentity or IKERemoteIdentity element.
type IKEIdentity struct {
	Node
	// OptionalIP is the IP address that may accompany a non-address
	// identity (FQDN, User_FQDN, X500DN, KeyID); zero when absent.
	OptionalIP netip.Addr
	ID         ID
}

// IKEPresharedKey is a preshared key, keyed by the peer identity.
type IKEPresharedKey struct {
	Node
	Value    string
	Format   KeyFormat
	Identity KeyIdentity
}

// KeyIdentity is the PresharedKeyIdentity element.
type KeyIdentity struct {
	Node
	ID ID
}

// IKEGroup is a named list of identities usable as a remote identity.
type IKEGroup struct {
	Node
	Name    string // IKE_GroupName
	Members []ID
}

// IPSecProposal is a phase 2 proposal: ESP, AH, or both.
type IPSecProposal struct {
	Node
	Name string // IPSec_ProposalName
	ESP  *ESPProtocol
	AH   *AHProtocol
}

// ESPProtocol is the IPSecESPProtocol element.
type ESPProtocol struct {
	Node
	Encryption        ESPEncryption
	KeyLength         KeyLength
	Authentication    Integrity
	EncapsulationMode EncapMode
	KeyRefreshMinutes Int
	KeyRefreshKB      Int
}

// AHProtocol is the IPSecAHProtocol element.
type AHProtocol struct {
	Node
	Authentication    Integrity
	EncapsulationMode EncapMode
	KeyRefreshMinutes Int
	KeyRefreshKB      Int
}

// IPSecProtection is a phase 2 (data management) policy.
type IPSecProtection struct {
	Node
	Name                          string   // IPSec_ProtectionName
	ProposalRefs                  []string // IPSec_ProposalRefs, in preference order
	Role                          Role
	KeyOverlap                    Int
	InitiatorDHGroup              PFS
	ResponderDHGroup              PFS
	UseLifeSize                   YesNo // IPSec_Flags_UseLifeSize
	ResponderKeyRefreshMaxKB      Int
	ResponderKeyRefreshMinKB      Int
	ResponderKeyRefreshMaxMinutes Int
	ResponderKeyRefreshMinMinutes Int
}

// IPSecTunnel is a phase 2 tunnel definition.
type IPSecTunnel struct {
	Node
	Name          string // IPSec_TunnelName
	IKETunnelName string // IKE_TunnelName: the phase 1 tunnel it runs under
	ProtectionRef string // IPSec_ProtectionRef
	AutoStart     YesNo  // IPSec_Flags_AutoStart
	OnDemand      YesNo  // IPSec_Flags_OnDemand
	Local         IPSecIdentity
	Remote        IPSecIdentity
}

// IPSecIdentity is an IPSecLocalIdentity or IPSecRemoteIdentity element.
type IPSecIdentity struct {
	Node
	Port     int      // 0 when absent (any port)
	Protocol Protocol // 0 when absent (any protocol)
	ID       ID
}

// ID is one identity element. Which fields are used depends on Type:
//
//	IPV4_Address, IPV6_Address               Addr (Value)
//	IPV4_Subnet, IPV6_Subnet                 Addr (Value), Mask (Netmask)
//	IPV4_Address_Range, IPV6_Address_Range   Addr (From), To (To)
//	FQDN, User_FQDN, X500DN, KeyID           Text (Value)
//	IKEGroupRef                              Text (IKE_GroupName)
type ID struct {
	Node
	Type IDType
	Addr netip.Addr
	Mask netip.Addr
	To   netip.Addr
	Text string
}

// IsAddress reports whether the identity names IP addresses (a host, subnet
// or range) rather than a name or a group.
func (t IDType) IsAddress() bool {
	switch t {
	case IPv4Address, IPv6Address, IPv4Subnet, IPv6Subnet, IPv4AddressRange, IPv6AddressRange:
		return true
	}
	return false
}

// IsIPv6 reports whether an address identity type is an IPv6 one.
func (t IDType) IsIPv6() bool {
	return t == IPv6Address || t == IPv6Subnet || t == IPv6AddressRange
}
