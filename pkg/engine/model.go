// Package engine is the vendor-neutral model of one emulated IKE host:
// policies, preshared keys, phase 1 SAs, statistics and daemon state.
// Personalities map their grammar and their text formats onto these types;
// the engine returns data, never text.
package engine

import (
	"net/netip"

	"github.com/ikemu/ikemu/pkg/ikealg"
)

// IDKind is the type of an identity or address selector. It is finer than
// the SADB identity types because both vendors distinguish IPv4 from IPv6
// and a prefix from a range when they write configuration back out.
type IDKind int

const (
	IDUnset IDKind = iota
	IDIPv4
	IDIPv6
	IDIPv4Prefix
	IDIPv6Prefix
	IDIPv4Range
	IDIPv6Range
	IDFQDN
	IDUserFQDN
	IDDN
	IDGN
	IDKeyID
)

// SADB identity type numbers (RFC 2367 and the Solaris extensions).
const (
	SADBIdentReserved  = 0
	SADBIdentPrefix    = 1
	SADBIdentFQDN      = 2
	SADBIdentUserFQDN  = 3
	SADBIdentDN        = 4
	SADBIdentGN        = 5
	SADBIdentKeyID     = 6
	SADBIdentAddrRange = 7
)

// SADB returns the SADB identity type a kind travels as. Plain addresses
// have no SADB identity type and travel as reserved (0).
func (k IDKind) SADB() int {
	switch k {
	case IDIPv4Prefix, IDIPv6Prefix:
		return SADBIdentPrefix
	case IDIPv4Range, IDIPv6Range:
		return SADBIdentAddrRange
	case IDFQDN:
		return SADBIdentFQDN
	case IDUserFQDN:
		return SADBIdentUserFQDN
	case IDDN:
		return SADBIdentDN
	case IDGN:
		return SADBIdentGN
	case IDKeyID:
		return SADBIdentKeyID
	}
	return SADBIdentReserved
}

// IsAddress reports whether the kind is an IP address, prefix or range.
func (k IDKind) IsAddress() bool {
	return k >= IDIPv4 && k <= IDIPv6Range
}

// ExchangeMode is an ISAKMP exchange type number (RFC 2408) with the
// Solaris door extensions for "both" and "any".
type ExchangeMode int

const (
	XchgUnspecified ExchangeMode = 0
	XchgBase        ExchangeMode = 1
	XchgMain        ExchangeMode = 2
	XchgAuthOnly    ExchangeMode = 3
	XchgAggressive  ExchangeMode = 4
	XchgMainAndAggr ExchangeMode = 240
	XchgAny         ExchangeMode = 256
)

// The algorithm types live in ikealg; the engine names them too.
type (
	AuthMethod = ikealg.AuthMethod
	Cipher     = ikealg.Cipher
	Hash       = ikealg.Hash
)

const (
	AuthPreshared     = ikealg.AuthPreshared
	AuthDSSSig        = ikealg.AuthDSSSig
	AuthRSASig        = ikealg.AuthRSASig
	AuthRSAEncrypt    = ikealg.AuthRSAEncrypt
	AuthRevRSAEncrypt = ikealg.AuthRevRSAEncrypt

	CipherNone     = ikealg.CipherNone
	CipherDES      = ikealg.CipherDES
	Cipher3DES     = ikealg.Cipher3DES
	CipherBlowfish = ikealg.CipherBlowfish
	CipherAES      = ikealg.CipherAES

	HashNone   = ikealg.HashNone
	HashMD5    = ikealg.HashMD5
	HashSHA1   = ikealg.HashSHA1
	HashSHA256 = ikealg.HashSHA256
	HashSHA384 = ikealg.HashSHA384
	HashSHA512 = ikealg.HashSHA512
)

// AddrRange is an inclusive address range; a single address has First == Last.
type AddrRange struct {
	First netip.Addr `json:"first"`
	Last  netip.Addr `json:"last"`
}
