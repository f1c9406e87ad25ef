package isakmp

import "strconv"

// ExchangeType is the Exchange Type of the ISAKMP header.
type ExchangeType uint8

// Exchange types of RFC 2408 section 3.1 and, from the DOI-specific range,
// RFC 2409's Quick Mode and New Group Mode (RFC 2407 section 4.7).
const (
	ExchangeNone               ExchangeType = 0
	ExchangeBase               ExchangeType = 1
	ExchangeIdentityProtection ExchangeType = 2 // IKE Main Mode
	ExchangeAuthOnly           ExchangeType = 3
	ExchangeAggressive         ExchangeType = 4
	ExchangeInformational      ExchangeType = 5
	ExchangeQuickMode          ExchangeType = 32
	ExchangeNewGroupMode       ExchangeType = 33
)

// ExchangeMainMode is IKE's name for Identity Protection.
const ExchangeMainMode = ExchangeIdentityProtection

func (t ExchangeType) String() string {
	switch t {
	case ExchangeNone:
		return "NONE"
	case ExchangeBase:
		return "Base"
	case ExchangeIdentityProtection:
		return "Identity Protection"
	case ExchangeAuthOnly:
		return "Authentication Only"
	case ExchangeAggressive:
		return "Aggressive"
	case ExchangeInformational:
		return "Informational"
	case ExchangeQuickMode:
		return "Quick Mode"
	case ExchangeNewGroupMode:
		return "New Group Mode"
	}
	return "EXCHANGE(" + strconv.Itoa(int(t)) + ")"
}
