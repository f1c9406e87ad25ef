package engine

import (
	"net/netip"
	"strconv"
	"time"
)

// ManualSA is one manually keyed IPsec SA (Solaris's ipseckey add): one
// direction, one SPI, its own keys. Both vendors' kernels hold such SAs
// beside the ones IKE negotiates; its keys are secrets like those of a
// phase 2 SA.
type ManualSA struct {
	Protocol  string     `json:"protocol"` // "ESP" or "AH"
	SPI       uint32     `json:"spi"`
	Src       netip.Addr `json:"src"`
	Dst       netip.Addr `json:"dst"`
	InnerSrc  AddrRange  `json:"inner_src,omitzero"` // tunnel mode only
	InnerDst  AddrRange  `json:"inner_dst,omitzero"`
	Auth      Hash       `json:"auth,omitempty"`
	Cipher    Cipher     `json:"cipher,omitempty"`
	AuthKey   []byte     `json:"auth_key,omitempty"`
	EncKey    []byte     `json:"enc_key,omitempty"`
	Replay    uint32     `json:"replay,omitempty"`
	Added     time.Time  `json:"added"`
	HardSecs  uint32     `json:"hard_secs,omitempty"`
	HardBytes uint64     `json:"hard_bytes,omitempty"`
	SoftSecs  uint32     `json:"soft_secs,omitempty"`
	SoftBytes uint64     `json:"soft_bytes,omitempty"`
	// Used is when the SA first carried or took traffic (zero: never),
	// which the kernel shows as the X_USED flag and the first-use time.
	Used time.Time `json:"used,omitzero"`
}

// Expired reports whether the SA's hard lifetime has run out at now.
func (sa *ManualSA) Expired(now time.Time) bool {
	return sa.HardSecs != 0 && !now.Before(sa.Added.Add(time.Duration(sa.HardSecs)*time.Second))
}

// ManualSAKey is what names a manual SA, as PF_KEY names one: protocol,
// SPI and destination.
type ManualSAKey struct {
	Protocol string
	SPI      uint32
	Dst      netip.Addr
}

func (k ManualSAKey) index() string {
	return "sa " + k.Protocol + " " + k.Dst.Unmap().String() + " " + strconv.FormatUint(uint64(k.SPI), 10)
}

// Key is the SA's name.
func (sa *ManualSA) Key() ManualSAKey {
	return ManualSAKey{Protocol: sa.Protocol, SPI: sa.SPI, Dst: sa.Dst}
}

const manualSATable = "manualsa"
