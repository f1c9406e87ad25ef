package engine

import "net/netip"

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

// MatchAddrs reports whether both of the key's address identities contain
// the given addresses (no prefix length: the full length); an IPv4 pair
// also matches v4-mapped IPv6 entries. Identity keys never match.
func (k *PresharedKey) MatchAddrs(local, remote netip.Addr) bool {
	local, remote = local.WithZone("").Unmap(), remote.WithZone("").Unmap()
	if !local.IsValid() || !remote.IsValid() || local.Is4() != remote.Is4() {
		return false
	}
	return addrSideContains(k.LocalIDType, k.LocalAddr, k.LocalPlen, local) &&
		addrSideContains(k.RemoteIDType, k.RemoteAddr, k.RemotePlen, remote)
}

func addrSideContains(kind IDKind, a netip.Addr, plen int, want netip.Addr) bool {
	if kind != IDIPv4 && kind != IDIPv6 {
		return false
	}
	a = a.WithZone("")
	if want.Is4() {
		a = a.Unmap()
	}
	if !a.IsValid() || a.Is4() != want.Is4() {
		return false
	}
	if plen < 0 || plen > a.BitLen() {
		plen = a.BitLen()
	}
	p, err := a.Prefix(plen)
	return err == nil && p.Contains(want)
}
