package isakmp

// Domains of interpretation (RFC 2408 section 3.4, RFC 2407 section 4.2).
const (
	DOIISAKMP uint32 = 0 // generic ISAKMP SA, usable for any protocol
	DOIIPsec  uint32 = 1
)

// Situation bits of the IPsec DOI (RFC 2407 section 4.2).
const (
	SituationIdentityOnly uint32 = 0x01
	SituationSecrecy      uint32 = 0x02
	SituationIntegrity    uint32 = 0x04
)

// ProtocolID names the protocol of a proposal, notify or delete payload
// (RFC 2407 section 4.4.1).
type ProtocolID uint8

const (
	ProtocolISAKMP ProtocolID = 1
	ProtocolAH     ProtocolID = 2
	ProtocolESP    ProtocolID = 3
	ProtocolIPComp ProtocolID = 4
)

func (p ProtocolID) String() string {
	switch p {
	case ProtocolISAKMP:
		return "PROTO_ISAKMP"
	case ProtocolAH:
		return "PROTO_IPSEC_AH"
	case ProtocolESP:
		return "PROTO_IPSEC_ESP"
	case ProtocolIPComp:
		return "PROTO_IPCOMP"
	}
	return "PROTO(" + itoa(int(p)) + ")"
}
