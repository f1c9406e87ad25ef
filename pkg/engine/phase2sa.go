package engine

import (
	"bytes"
	"time"

	"github.com/ikemu/ikemu/pkg/ikev1"
)

// Phase2SA is a phase 2 (Quick Mode, IPsec) SA pair as one side holds it:
// AIX's data-management tunnel.
type Phase2SA struct {
	TunnelNum    uint32       `json:"tunnel_num"`
	P1TunnelNum  uint32       `json:"p1_tunnel_num"`
	CookieI      uint64       `json:"cky_i"`
	CookieR      uint64       `json:"cky_r"`
	Initiator    bool         `json:"initiator"`
	Created      time.Time    `json:"created"`
	LifetimeSecs uint32       `json:"lifetime_secs"`
	LifetimeKB   uint32       `json:"lifetime_kb,omitempty"`
	Local        AddrRange    `json:"local"`
	Remote       AddrRange    `json:"remote"`
	PolicyName   string       `json:"policy,omitempty"` // the phase 2 definition, if any
	Proposal     P2Transform  `json:"proposal"`
	PFS          int          `json:"pfs"`
	SPIIn        uint32       `json:"spi_in"`
	SPIOut       uint32       `json:"spi_out"`
	Keys         Phase2Keys   `json:"keys,omitzero"`     // rows stored before keys were kept have none
	Removed      bool         `json:"removed,omitempty"` // its phase 1 was removed: not refreshed
	Status       TunnelStatus `json:"status,omitempty"`
}

// Phase2Keys is the KEYMAT of both directions of a phase 2 SA pair,
// split into each direction's encryption and authentication keys.
// Secrets: only root or keymat-privileged output shows them.
type Phase2Keys struct {
	EncIn   []byte `json:"enc_in,omitempty"`
	AuthIn  []byte `json:"auth_in,omitempty"`
	EncOut  []byte `json:"enc_out,omitempty"`
	AuthOut []byte `json:"auth_out,omitempty"`
}

// splitKeymat divides one direction's KEYMAT (encryption key, then
// integrity key, as RFC 2409 section 5.5 orders it) by the transform's
// integrity key length.
func splitKeymat(keymat []byte, auth Hash) (enc, integ []byte) {
	n := min(authKeyLen(auth), len(keymat))
	cut := len(keymat) - n
	return bytes.Clone(keymat[:cut]), bytes.Clone(keymat[cut:])
}

// authKeyLen is the HMAC key length of an IPsec integrity algorithm.
func authKeyLen(h Hash) int {
	switch h {
	case HashMD5:
		return 16
	case HashSHA1:
		return 20
	case HashSHA256:
		return 32
	case HashSHA384:
		return 48
	case HashSHA512:
		return 64
	}
	return 0
}

// phase2KeysOf is the key material of a completed Quick Mode.
func phase2KeysOf(p *ikev1.Phase2) Phase2Keys {
	if p == nil {
		return Phase2Keys{}
	}
	var k Phase2Keys
	k.EncIn, k.AuthIn = splitKeymat(p.KeyIn, p.Suite.Auth)
	k.EncOut, k.AuthOut = splitKeymat(p.KeyOut, p.Suite.Auth)
	return k
}

// P2Transform is the negotiated IPsec protection of a phase 2 SA.
type P2Transform struct {
	Protocol    string `json:"protocol"` // "ESP" or "AH"
	Cipher      Cipher `json:"cipher,omitempty"`
	KeyBits     int    `json:"key_bits,omitempty"`
	Auth        Hash   `json:"auth,omitempty"`
	Encapsulate string `json:"mode"` // "Tunnel" or "Transport"
}

// Expires is when the SA's lifetime runs out.
func (sa *Phase2SA) Expires() time.Time {
	return sa.Created.Add(time.Duration(sa.LifetimeSecs) * time.Second)
}

// Expired reports whether the SA's lifetime has run out at now.
func (sa *Phase2SA) Expired(now time.Time) bool {
	return sa.LifetimeSecs != 0 && !now.Before(sa.Expires())
}

const p2saTable = "p2sa"
