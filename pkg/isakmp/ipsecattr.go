package isakmp

// IPsec DOI attribute types (RFC 2407 section 4.5). B marks a basic
// attribute, V a variable one.
const (
	IPsecAttrLifeType      AttributeType = 1 // B, SA life type
	IPsecAttrLifeDuration  AttributeType = 2 // V, SA life duration
	IPsecAttrGroup         AttributeType = 3 // B, group description (PFS)
	IPsecAttrEncapsulation AttributeType = 4 // B
	IPsecAttrAuthAlgorithm AttributeType = 5 // B
	IPsecAttrKeyLength     AttributeType = 6 // B, bits
	IPsecAttrKeyRounds     AttributeType = 7 // B
	IPsecAttrCompDictSize  AttributeType = 8 // B
	IPsecAttrCompPrivAlg   AttributeType = 9 // V
)

// EncapsulationMode is the value of IPsecAttrEncapsulation.
type EncapsulationMode uint16

// RFC 2407 section 4.5; the UDP-encapsulated modes are RFC 3947's.
const (
	EncapsulationTunnel       EncapsulationMode = 1
	EncapsulationTransport    EncapsulationMode = 2
	EncapsulationUDPTunnel    EncapsulationMode = 3
	EncapsulationUDPTransport EncapsulationMode = 4
)

// AuthAlgorithm is the value of IPsecAttrAuthAlgorithm.
type AuthAlgorithm uint16

// RFC 2407 section 4.5; HMAC-SHA-2 from RFC 4868's registry entries.
const (
	AuthAlgHMACMD5    AuthAlgorithm = 1
	AuthAlgHMACSHA1   AuthAlgorithm = 2
	AuthAlgDESMAC     AuthAlgorithm = 3
	AuthAlgKPDK       AuthAlgorithm = 4
	AuthAlgHMACSHA256 AuthAlgorithm = 5
	AuthAlgHMACSHA384 AuthAlgorithm = 6
	AuthAlgHMACSHA512 AuthAlgorithm = 7
)

// IPsecAttributes is the typed view of an AH or ESP transform's attributes
// in Quick Mode. Zero fields are absent.
type IPsecAttributes struct {
	Lifetimes     []Lifetime
	Group         GroupDescription // PFS group
	Encapsulation EncapsulationMode
	AuthAlgorithm AuthAlgorithm
	KeyLength     uint16 // bits
}

// Attributes returns the attributes: life types with their durations, then
// encapsulation, authentication algorithm, key length and group.
func (a IPsecAttributes) Attributes() []Attribute {
	var as []Attribute
	for _, l := range a.Lifetimes {
		as = append(as, TV(IPsecAttrLifeType, uint16(l.Type)), UintAttr(IPsecAttrLifeDuration, l.Duration))
	}
	add := func(t AttributeType, v uint16) {
		if v != 0 {
			as = append(as, TV(t, v))
		}
	}
	add(IPsecAttrEncapsulation, uint16(a.Encapsulation))
	add(IPsecAttrAuthAlgorithm, uint16(a.AuthAlgorithm))
	add(IPsecAttrKeyLength, a.KeyLength)
	add(IPsecAttrGroup, uint16(a.Group))
	return as
}

// ParseIPsecAttributes reads the attributes of an AH or ESP transform,
// with the same rules as ParseIKEAttributes. Key rounds and the
// compression attributes are not modelled and give ATTRIBUTES-NOT-SUPPORTED.
func ParseIPsecAttributes(as []Attribute) (IPsecAttributes, error) {
	var r IPsecAttributes
	var p attrParser
	for i, a := range as {
		switch a.Type {
		case IPsecAttrLifeType:
			r.Lifetimes = p.lifeType(i, a, r.Lifetimes)
		case IPsecAttrLifeDuration:
			p.lifeDuration(i, a, r.Lifetimes)
		case IPsecAttrGroup:
			r.Group = GroupDescription(p.basic(i, a))
		case IPsecAttrEncapsulation:
			r.Encapsulation = EncapsulationMode(p.basic(i, a))
		case IPsecAttrAuthAlgorithm:
			r.AuthAlgorithm = AuthAlgorithm(p.basic(i, a))
		case IPsecAttrKeyLength:
			r.KeyLength = p.basic(i, a)
		default:
			p.unsupported(i, a)
		}
		if p.err != nil {
			return IPsecAttributes{}, p.err
		}
	}
	return r, p.finish(r.Lifetimes)
}
