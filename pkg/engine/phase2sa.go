package engine

import "time"

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
	Removed      bool         `json:"removed,omitempty"` // its phase 1 was removed: not refreshed
	Status       TunnelStatus `json:"status,omitempty"`
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
