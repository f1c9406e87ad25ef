package isakmp

// IKE phase 1 attribute types (RFC 2409 appendix A). B marks a basic
// attribute, which MUST be sent TV; V a variable one, which may be TV when
// its value fits in two octets.
const (
	IKEAttrEncryption   AttributeType = 1  // B
	IKEAttrHash         AttributeType = 2  // B
	IKEAttrAuthMethod   AttributeType = 3  // B
	IKEAttrGroup        AttributeType = 4  // B, group description
	IKEAttrGroupType    AttributeType = 5  // B
	IKEAttrGroupPrime   AttributeType = 6  // V
	IKEAttrGroupGenOne  AttributeType = 7  // V
	IKEAttrGroupGenTwo  AttributeType = 8  // V
	IKEAttrGroupCurveA  AttributeType = 9  // V
	IKEAttrGroupCurveB  AttributeType = 10 // V
	IKEAttrLifeType     AttributeType = 11 // B
	IKEAttrLifeDuration AttributeType = 12 // V
	IKEAttrPRF          AttributeType = 13 // B
	IKEAttrKeyLength    AttributeType = 14 // B, bits
	IKEAttrFieldSize    AttributeType = 15 // B
	IKEAttrGroupOrder   AttributeType = 16 // V
)

// EncryptionAlgorithm is the value of IKEAttrEncryption.
type EncryptionAlgorithm uint16

// RFC 2409 appendix A; AES-CBC from RFC 3602, Camellia from RFC 4312.
const (
	EncryptionDESCBC      EncryptionAlgorithm = 1
	EncryptionIDEACBC     EncryptionAlgorithm = 2
	EncryptionBlowfishCBC EncryptionAlgorithm = 3
	EncryptionRC5CBC      EncryptionAlgorithm = 4
	Encryption3DESCBC     EncryptionAlgorithm = 5
	EncryptionCASTCBC     EncryptionAlgorithm = 6
	EncryptionAESCBC      EncryptionAlgorithm = 7
	EncryptionCamelliaCBC EncryptionAlgorithm = 8
)

// HashAlgorithm is the value of IKEAttrHash.
type HashAlgorithm uint16

// RFC 2409 appendix A; SHA-2 from RFC 4878's registry entries.
const (
	HashMD5    HashAlgorithm = 1
	HashSHA1   HashAlgorithm = 2
	HashTiger  HashAlgorithm = 3
	HashSHA256 HashAlgorithm = 4
	HashSHA384 HashAlgorithm = 5
	HashSHA512 HashAlgorithm = 6
)

// AuthMethod is the value of IKEAttrAuthMethod.
type AuthMethod uint16

// RFC 2409 appendix A.
const (
	AuthPreSharedKey         AuthMethod = 1
	AuthDSSSignature         AuthMethod = 2
	AuthRSASignature         AuthMethod = 3
	AuthRSAEncryption        AuthMethod = 4
	AuthRevisedRSAEncryption AuthMethod = 5
)

// GroupDescription is the value of IKEAttrGroup and IPsecAttrGroup.
type GroupDescription uint16

// RFC 2409 section 6 (1, 2, 3, 4), RFC 3526 (5, 14-18), RFC 5903 (19-21),
// RFC 5114 (22-26).
const (
	GroupMODP768      GroupDescription = 1
	GroupMODP1024     GroupDescription = 2
	GroupEC2N155      GroupDescription = 3
	GroupEC2N185      GroupDescription = 4
	GroupMODP1536     GroupDescription = 5
	GroupMODP2048     GroupDescription = 14
	GroupMODP3072     GroupDescription = 15
	GroupMODP4096     GroupDescription = 16
	GroupMODP6144     GroupDescription = 17
	GroupMODP8192     GroupDescription = 18
	GroupECP256       GroupDescription = 19
	GroupECP384       GroupDescription = 20
	GroupECP521       GroupDescription = 21
	GroupMODP1024S160 GroupDescription = 22
	GroupMODP2048S224 GroupDescription = 23
	GroupMODP2048S256 GroupDescription = 24
	GroupECP192       GroupDescription = 25
	GroupECP224       GroupDescription = 26
)

// LifeType is the value of IKEAttrLifeType and IPsecAttrLifeType (the two
// share their values).
type LifeType uint16

const (
	LifeSeconds   LifeType = 1
	LifeKilobytes LifeType = 2
)

// Lifetime is a life type followed by its duration.
type Lifetime struct {
	Type     LifeType
	Duration uint64
}

// IKEAttributes is the typed view of a KEY_IKE transform's attributes.
// Zero fields are absent.
type IKEAttributes struct {
	Encryption EncryptionAlgorithm
	KeyLength  uint16 // bits, for variable key length ciphers
	Hash       HashAlgorithm
	AuthMethod AuthMethod
	Group      GroupDescription
	Lifetimes  []Lifetime
}

// Attributes returns the attributes in the order RFC 2409's examples and
// common implementations send them: encryption, key length, hash,
// authentication, group, then each life type with its duration.
func (a IKEAttributes) Attributes() []Attribute {
	var as []Attribute
	add := func(t AttributeType, v uint16) {
		if v != 0 {
			as = append(as, TV(t, v))
		}
	}
	add(IKEAttrEncryption, uint16(a.Encryption))
	add(IKEAttrKeyLength, a.KeyLength)
	add(IKEAttrHash, uint16(a.Hash))
	add(IKEAttrAuthMethod, uint16(a.AuthMethod))
	add(IKEAttrGroup, uint16(a.Group))
	for _, l := range a.Lifetimes {
		as = append(as, TV(IKEAttrLifeType, uint16(l.Type)), UintAttr(IKEAttrLifeDuration, l.Duration))
	}
	return as
}

// ParseIKEAttributes reads the attributes of a KEY_IKE transform. It
// refuses what RFC 2409 appendix A forbids (a basic attribute sent TLV, a
// duration without a life type before it, a repeated attribute) and the
// attributes this view does not model (the group definition attributes of
// New Group Mode, PRF, field size): those give an *UnsupportedError with
// ATTRIBUTES-NOT-SUPPORTED, malformed ones BAD-PROPOSAL-SYNTAX.
func ParseIKEAttributes(as []Attribute) (IKEAttributes, error) {
	var r IKEAttributes
	var p attrParser
	for i, a := range as {
		switch a.Type {
		case IKEAttrEncryption:
			r.Encryption = EncryptionAlgorithm(p.basic(i, a))
		case IKEAttrKeyLength:
			r.KeyLength = p.basic(i, a)
		case IKEAttrHash:
			r.Hash = HashAlgorithm(p.basic(i, a))
		case IKEAttrAuthMethod:
			r.AuthMethod = AuthMethod(p.basic(i, a))
		case IKEAttrGroup:
			r.Group = GroupDescription(p.basic(i, a))
		case IKEAttrLifeType:
			r.Lifetimes = p.lifeType(i, a, r.Lifetimes)
		case IKEAttrLifeDuration:
			p.lifeDuration(i, a, r.Lifetimes)
		default:
			p.unsupported(i, a)
		}
		if p.err != nil {
			return IKEAttributes{}, p.err
		}
	}
	return r, p.finish(r.Lifetimes)
}
