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

// Selectors are identity selectors of one side of a policy: includes, and
// excludes (stored without the leading '!').
type Selectors struct {
	Include []string `json:"include,omitempty"`
	Exclude []string `json:"exclude,omitempty"`
}

// Transform is one phase 1 proposal transform, in preference order.
type Transform struct {
	Auth         AuthMethod `json:"auth"`
	Cipher       Cipher     `json:"cipher"`
	KeyMin       int        `json:"key_min,omitempty"` // bits; 0 = fixed by cipher
	KeyMax       int        `json:"key_max,omitempty"`
	Hash         Hash       `json:"hash"`
	Group        int        `json:"group"`
	LifetimeSecs uint32     `json:"lifetime_secs"`
	LifetimeKB   uint32     `json:"lifetime_kb,omitempty"`
}

// Phase1Policy is a phase 1 policy: a Solaris ike.config rule, or an AIX
// IKETunnel with its IKEProtection. Lifetimes are the effective
// (sanity-checked) values.
type Phase1Policy struct {
	Label          string       `json:"label"`
	KMCookie       uint32       `json:"kmc"`
	Mode           ExchangeMode `json:"mode"`
	LocalIDType    IDKind       `json:"local_id_type"`
	LocalAddrs     []AddrRange  `json:"local_addrs"`
	RemoteAddrs    []AddrRange  `json:"remote_addrs"`
	LocalIDs       Selectors    `json:"local_ids"`
	RemoteIDs      Selectors    `json:"remote_ids"`
	P1NonceLen     uint32       `json:"p1_nonce_len"`
	P2NonceLen     uint32       `json:"p2_nonce_len"`
	P2PFS          int          `json:"p2_pfs"`
	P2LifetimeSecs uint32       `json:"p2_lifetime_secs"`
	P2SoftSecs     uint32       `json:"p2_softlife_secs"`
	P2IdleSecs     uint32       `json:"p2_idletime_secs"`
	P2LifetimeKB   uint32       `json:"p2_lifetime_kb"`
	P2SoftKB       uint32       `json:"p2_softlife_kb"`
	Transforms     []Transform  `json:"transforms"`
	// Origin names the personality that defined the policy ("solaris",
	// "aix"), so a personality can tell its own definitions from the
	// other's where its vendor would.
	Origin string `json:"origin,omitempty"`
}

// ConfigDefaults are the global values recorded from the last
// configuration load; zero means "not set", so the hard default applies.
// get defaults compares them with the hard defaults.
type ConfigDefaults struct {
	P1LifetimeSecs uint32 `json:"p1_lifetime_secs,omitempty"`
	P1NonceLen     uint32 `json:"p1_nonce_len,omitempty"`
	P2LifetimeSecs uint32 `json:"p2_lifetime_secs,omitempty"`
	P2SoftSecs     uint32 `json:"p2_softlife_secs,omitempty"`
	P2IdleSecs     uint32 `json:"p2_idletime_secs,omitempty"`
	P2LifetimeKB   uint32 `json:"p2_lifetime_kb,omitempty"`
	P2SoftKB       uint32 `json:"p2_softlife_kb,omitempty"`
	P2NonceLen     uint32 `json:"p2_nonce_len,omitempty"`
	P2PFS          uint32 `json:"p2_pfs,omitempty"`
	MaxCerts       uint32 `json:"max_certs,omitempty"`
	NATTPort       uint32 `json:"nat_t_port,omitempty"`
	// The system values are learned from the kernel's ACQUIRE messages.
	SysP2LifetimeSecs  uint32 `json:"sys_p2_lifetime_secs,omitempty"`
	SysP2SoftSecs      uint32 `json:"sys_p2_softlife_secs,omitempty"`
	SysP2LifetimeBytes uint32 `json:"sys_p2_lifetime_bytes,omitempty"`
	SysP2SoftBytes     uint32 `json:"sys_p2_softlife_bytes,omitempty"`
}

// GlobalConfig is what a configuration file holds besides its policies.
type GlobalConfig struct {
	Recorded    ConfigDefaults `json:"recorded"`
	CertRoot    []string       `json:"cert_root,omitempty"`
	CertTrust   []string       `json:"cert_trust,omitempty"`
	CertReq     []string       `json:"cert_request,omitempty"`
	PKCS11Path  string         `json:"pkcs11_path,omitempty"`
	IgnoreCRLs  bool           `json:"ignore_crls,omitempty"`
	UseHTTP     bool           `json:"use_http,omitempty"`
	LDAPServer  string         `json:"ldap_server,omitempty"`
	Proxy       string         `json:"proxy,omitempty"`
	Socks       string         `json:"socks,omitempty"`
	ExpireTimer uint32         `json:"expire_timer,omitempty"`
	RetryLimit  uint32         `json:"retry_limit,omitempty"`
}

// PresharedKey is one preshared key entry. Address identities carry an
// address and an optional prefix length; other identities carry a string.
type PresharedKey struct {
	Mode         ExchangeMode `json:"mode"`
	LocalIDType  IDKind       `json:"local_id_type"`
	LocalAddr    netip.Addr   `json:"local_addr,omitzero"`
	LocalPlen    int          `json:"local_plen"` // -1 = no prefix given
	LocalID      string       `json:"local_id,omitempty"`
	RemoteIDType IDKind       `json:"remote_id_type"`
	RemoteAddr   netip.Addr   `json:"remote_addr,omitzero"`
	RemotePlen   int          `json:"remote_plen"`
	RemoteID     string       `json:"remote_id,omitempty"`
	// LocalText and RemoteText are the identities as originally written,
	// which the Solaris writer reproduces.
	LocalText  string `json:"local_text,omitempty"`
	RemoteText string `json:"remote_text,omitempty"`
	Key        []byte `json:"key"`
	KeyBits    int    `json:"key_bits"`
	Origin     string `json:"origin,omitempty"`
}
