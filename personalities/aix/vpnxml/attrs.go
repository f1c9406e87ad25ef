package vpnxml

import "net/netip"

// Value sets of the enumerated attributes, in the order the DTD and the
// error messages list them. Read-only after package initialisation.
var (
	yesNo          = []YesNo{Yes, No}
	roles          = []Role{Initiator, Responder, Both}
	xchgModes      = []XchgMode{Main, Aggressive}
	ikeEncryptions = []IKEEncryption{IKEDES, IKE3DES, IKEAES}
	ikeHashes      = []IKEHash{HashMD5, HashSHA, HashSHA256}
	authMethods    = []AuthMethod{PresharedKey, RSASignature}
	dhGroups       = []DHGroup{1, 2, 5, 14, 19, 20, 24}
	keyLengths     = []KeyLength{128, 192, 256}
	espEncryptions = []ESPEncryption{ESPDES, ESP3DES, ESPAES, ESPNull, ESPAESGCM, ESPAESGMAC}
	integrities    = []Integrity{HMACMD5, HMACSHA, HMACSHA256, AESXCBC}
	encapModes     = []EncapMode{Tunnel, Transport}
	keyFormats     = []KeyFormat{ASCII, Hex}
)

// The attribute tables, one per element, in canonical order: the order of
// the ikedb -g output (spec 3.4/3.5), which is the order the Writer uses.

var rootAttrs = []attr[Document]{
	stringAttr("Version", false, checkVersion, func(d *Document) *string { return &d.Version }),
}

var ikeProtectionAttrs = []attr[IKEProtection]{
	nameAttr("IKE_ProtectionName", true, func(p *IKEProtection) *string { return &p.Name }),
	enumAttr("IKE_Role", false, roles, func(p *IKEProtection) *Role { return &p.Role }),
	enumAttr("IKE_XchgMode", false, xchgModes, func(p *IKEProtection) *XchgMode { return &p.XchgMode }),
	intAttr("IKE_KeyOverlap", false, 0, maxOverlap, func(p *IKEProtection) *Int { return &p.KeyOverlap }),
	enumAttr("IKE_Flags_UseCRL", false, yesNo, func(p *IKEProtection) *YesNo { return &p.UseCRL }),
	intAttr("IKE_ResponderKeyRefreshMaxKB", false, 0, maxKB, func(p *IKEProtection) *Int { return &p.ResponderKeyRefreshMaxKB }),
	intAttr("IKE_ResponderKeyRefreshMinKB", false, 0, maxKB, func(p *IKEProtection) *Int { return &p.ResponderKeyRefreshMinKB }),
	intAttr("IKE_ResponderKeyRefreshMaxMinutes", false, 1, maxMinutes, func(p *IKEProtection) *Int { return &p.ResponderKeyRefreshMaxMinutes }),
	intAttr("IKE_ResponderKeyRefreshMinMinutes", false, 1, maxMinutes, func(p *IKEProtection) *Int { return &p.ResponderKeyRefreshMinMinutes }),
	nameAttr("IKE_IPSecDefaultProtectionRef", false, func(p *IKEProtection) *string { return &p.DefaultProtectionRef }),
	allowedTypesAttr("IKE_IPSecDefaultAllowedTypes", func(p *IKEProtection) *[]AllowedType { return &p.DefaultAllowedTypes }),
}

var ikeTransformAttrs = []attr[IKETransform]{
	enumAttr("IKE_Encryption", true, ikeEncryptions, func(t *IKETransform) *IKEEncryption { return &t.Encryption }),
	numEnumAttr("IKE_KeyLength", false, keyLengths, func(t *IKETransform) *KeyLength { return &t.KeyLength }),
	enumAttr("IKE_Hash", true, ikeHashes, func(t *IKETransform) *IKEHash { return &t.Hash }),
	numEnumAttr("IKE_DHGroup", true, dhGroups, func(t *IKETransform) *DHGroup { return &t.DHGroup }),
	enumAttr("IKE_AuthenticationMethod", true, authMethods, func(t *IKETransform) *AuthMethod { return &t.AuthMethod }),
	intAttr("IKE_KeyRefreshMinutes", false, 1, maxMinutes, func(t *IKETransform) *Int { return &t.KeyRefreshMinutes }),
	intAttr("IKE_KeyRefreshKB", false, 0, maxKB, func(t *IKETransform) *Int { return &t.KeyRefreshKB }),
}

var ikeTunnelAttrs = []attr[IKETunnel]{
	nameAttr("IKE_TunnelName", true, func(t *IKETunnel) *string { return &t.Name }),
	nameAttr("IKE_ProtectionRef", true, func(t *IKETunnel) *string { return &t.ProtectionRef }),
	enumAttr("IKE_Flags_AutoStart", false, yesNo, func(t *IKETunnel) *YesNo { return &t.AutoStart }),
	enumAttr("IKE_Flags_MakeRuleWithOptionalIP", false, yesNo, func(t *IKETunnel) *YesNo { return &t.MakeRuleWithOptionalIP }),
}

// ikeIdentityAttrs serve IKELocalIdentity and IKERemoteIdentity. The
// optional IP may be of either family, so it is parsed by hand.
var ikeIdentityAttrs = []attr[IKEIdentity]{{
	name: "OptionalIP", dtd: "CDATA",
	parse: func(e *IKEIdentity, s string) string {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return "value \"" + s + "\" is not an IPv4 or IPv6 address"
		}
		e.OptionalIP = a
		return ""
	},
	format: formatAddr(func(e *IKEIdentity) *netip.Addr { return &e.OptionalIP }),
}}

var presharedKeyAttrs = []attr[IKEPresharedKey]{
	stringAttr("Value", true, checkKeyValue, func(k *IKEPresharedKey) *string { return &k.Value }),
	enumAttr("Format", false, keyFormats, func(k *IKEPresharedKey) *KeyFormat { return &k.Format }),
}

var keyIdentityAttrs = []attr[KeyIdentity]{}

var ikeGroupAttrs = []attr[IKEGroup]{
	nameAttr("IKE_GroupName", true, func(g *IKEGroup) *string { return &g.Name }),
}

var ipsecProposalAttrs = []attr[IPSecProposal]{
	nameAttr("IPSec_ProposalName", true, func(p *IPSecProposal) *string { return &p.Name }),
}

var espAttrs = []attr[ESPProtocol]{
	enumAttr("ESP_Encryption", true, espEncryptions, func(p *ESPProtocol) *ESPEncryption { return &p.Encryption }),
	numEnumAttr("ESP_KeyLength", false, keyLengths, func(p *ESPProtocol) *KeyLength { return &p.KeyLength }),
	enumAttr("ESP_Authentication", false, integrities, func(p *ESPProtocol) *Integrity { return &p.Authentication }),
	enumAttr("ESP_EncapsulationMode", false, encapModes, func(p *ESPProtocol) *EncapMode { return &p.EncapsulationMode }),
	intAttr("ESP_KeyRefreshMinutes", false, 1, maxMinutes, func(p *ESPProtocol) *Int { return &p.KeyRefreshMinutes }),
	intAttr("ESP_KeyRefreshKB", false, 0, maxKB, func(p *ESPProtocol) *Int { return &p.KeyRefreshKB }),
}

var ahAttrs = []attr[AHProtocol]{
	enumAttr("AH_Authentication", true, integrities, func(p *AHProtocol) *Integrity { return &p.Authentication }),
	enumAttr("AH_EncapsulationMode", false, encapModes, func(p *AHProtocol) *EncapMode { return &p.EncapsulationMode }),
	intAttr("AH_KeyRefreshMinutes", false, 1, maxMinutes, func(p *AHProtocol) *Int { return &p.KeyRefreshMinutes }),
	intAttr("AH_KeyRefreshKB", false, 0, maxKB, func(p *AHProtocol) *Int { return &p.KeyRefreshKB }),
}

var ipsecProtectionAttrs = []attr[IPSecProtection]{
	nameAttr("IPSec_ProtectionName", true, func(p *IPSecProtection) *string { return &p.Name }),
	namesAttr("IPSec_ProposalRefs", true, func(p *IPSecProtection) *[]string { return &p.ProposalRefs }),
	enumAttr("IPSec_Role", false, roles, func(p *IPSecProtection) *Role { return &p.Role }),
	intAttr("IPSec_KeyOverlap", false, 0, maxOverlap, func(p *IPSecProtection) *Int { return &p.KeyOverlap }),
	pfsAttr("IPSec_InitiatorDHGroup", "0", func(p *IPSecProtection) *PFS { return &p.InitiatorDHGroup }),
	pfsAttr("IPSec_ResponderDHGroup", "NO_PFS", func(p *IPSecProtection) *PFS { return &p.ResponderDHGroup }),
	enumAttr("IPSec_Flags_UseLifeSize", false, yesNo, func(p *IPSecProtection) *YesNo { return &p.UseLifeSize }),
	intAttr("IPSec_ResponderKeyRefreshMaxKB", false, 0, maxKB, func(p *IPSecProtection) *Int { return &p.ResponderKeyRefreshMaxKB }),
	intAttr("IPSec_ResponderKeyRefreshMinKB", false, 0, maxKB, func(p *IPSecProtection) *Int { return &p.ResponderKeyRefreshMinKB }),
	intAttr("IPSec_ResponderKeyRefreshMaxMinutes", false, 1, maxMinutes, func(p *IPSecProtection) *Int { return &p.ResponderKeyRefreshMaxMinutes }),
	intAttr("IPSec_ResponderKeyRefreshMinMinutes", false, 1, maxMinutes, func(p *IPSecProtection) *Int { return &p.ResponderKeyRefreshMinMinutes }),
}

var ipsecTunnelAttrs = []attr[IPSecTunnel]{
	nameAttr("IPSec_TunnelName", true, func(t *IPSecTunnel) *string { return &t.Name }),
	nameAttr("IKE_TunnelName", true, func(t *IPSecTunnel) *string { return &t.IKETunnelName }),
	nameAttr("IPSec_ProtectionRef", true, func(t *IPSecTunnel) *string { return &t.ProtectionRef }),
	enumAttr("IPSec_Flags_AutoStart", false, yesNo, func(t *IPSecTunnel) *YesNo { return &t.AutoStart }),
	enumAttr("IPSec_Flags_OnDemand", false, yesNo, func(t *IPSecTunnel) *YesNo { return &t.OnDemand }),
}

var ipsecIdentityAttrs = []attr[IPSecIdentity]{
	portAttr("Port", func(e *IPSecIdentity) *int { return &e.Port }),
	protocolAttr("Protocol", func(e *IPSecIdentity) *Protocol { return &e.Protocol }),
}

func idAddr(id *ID) *netip.Addr { return &id.Addr }
func idMask(id *ID) *netip.Addr { return &id.Mask }
func idTo(id *ID) *netip.Addr   { return &id.To }
func idText(id *ID) *string     { return &id.Text }

// Attribute tables of the identity elements, which share the ID struct.
var (
	ipv4AddressAttrs = []attr[ID]{addrAttr("Value", true, false, idAddr)}
	ipv6AddressAttrs = []attr[ID]{addrAttr("Value", true, true, idAddr)}
	ipv4SubnetAttrs  = []attr[ID]{addrAttr("Value", true, false, idAddr), maskAttr("Netmask", true, false, idMask)}
	ipv6SubnetAttrs  = []attr[ID]{addrAttr("Value", true, true, idAddr), maskAttr("Netmask", true, true, idMask)}
	ipv4RangeAttrs   = []attr[ID]{addrAttr("From", true, false, idAddr), addrAttr("To", true, false, idTo)}
	ipv6RangeAttrs   = []attr[ID]{addrAttr("From", true, true, idAddr), addrAttr("To", true, true, idTo)}
	fqdnAttrs        = []attr[ID]{stringAttr("Value", true, checkFQDN, idText)}
	userFQDNAttrs    = []attr[ID]{stringAttr("Value", true, checkUserFQDN, idText)}
	x500DNAttrs      = []attr[ID]{stringAttr("Value", true, checkX500DN, idText)}
	keyIDAttrs       = []attr[ID]{stringAttr("Value", true, checkKeyID, idText)}
	groupRefAttrs    = []attr[ID]{nameAttr("IKE_GroupName", true, idText)}
)

// idAttrs returns the attribute table of an identity element, nil for an
// unknown type.
func idAttrs(t IDType) []attr[ID] {
	switch t {
	case IPv4Address:
		return ipv4AddressAttrs
	case IPv6Address:
		return ipv6AddressAttrs
	case IPv4Subnet:
		return ipv4SubnetAttrs
	case IPv6Subnet:
		return ipv6SubnetAttrs
	case IPv4AddressRange:
		return ipv4RangeAttrs
	case IPv6AddressRange:
		return ipv6RangeAttrs
	case FQDN:
		return fqdnAttrs
	case UserFQDN:
		return userFQDNAttrs
	case X500DN:
		return x500DNAttrs
	case KeyID:
		return keyIDAttrs
	case GroupRef:
		return groupRefAttrs
	}
	return nil
}
