package preshared

import (
	"net/netip"

	"github.com/ikemu/ikemu/pkg/engine"
)

// MatchAddrs reports whether an entry answers an address-pair lookup
// (`get|del preshared <local> <remote>`, spec 6.5): both of its address
// identities must contain the given addresses, a missing prefix meaning
// the full length. An IPv4 lookup also considers v4-mapped IPv6 entries.
//
// The two addresses must be of one family; the daemon answers a mixed
// pair with "Id info invalid", which the caller should check first —
// MatchAddrs just reports false. v4-mapped arguments count as IPv4, as
// ikeadm converts them before asking. Identity (non-address) entries
// never match.
func MatchAddrs(k *engine.PresharedKey, local, remote netip.Addr) bool {
	return k != nil && k.MatchAddrs(local, remote)
}

// MatchIdents reports whether an entry answers an identity-pair lookup
// (`get|del preshared <type> <id> <type> <id>`): the SADB identity classes
// must agree and the strings must be equal, ignoring ASCII case when the
// entry's local identity is an FQDN or user FQDN (the daemon decides on
// the local type for both sides).
//
// Address entries belong to the plain-address class (keywords ip, ipv4,
// ipv6) and compare by the text they were written with in the file. Inline
// address entries keep no text and never match this way (the S11 daemon
// would dereference a NULL string there).
func MatchIdents(k *engine.PresharedKey, ltype engine.IDKind, lid string, rtype engine.IDKind, rid string) bool {
	if k == nil || k.LocalIDType.SADB() != ltype.SADB() || k.RemoteIDType.SADB() != rtype.SADB() {
		return false
	}
	lk, lok := identText(k.LocalIDType, k.LocalText, k.LocalID)
	rk, rok := identText(k.RemoteIDType, k.RemoteText, k.RemoteID)
	if !lok || !rok {
		return false
	}
	if k.LocalIDType == engine.IDFQDN || k.LocalIDType == engine.IDUserFQDN {
		return asciiLower(lk) == asciiLower(lid) && asciiLower(rk) == asciiLower(rid)
	}
	return lk == lid && rk == rid
}

// identText is the string the daemon holds for one side, if any.
func identText(kind engine.IDKind, text, id string) (string, bool) {
	if kind == engine.IDIPv4 || kind == engine.IDIPv6 {
		return text, text != ""
	}
	return id, true
}
