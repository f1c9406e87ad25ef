package engine

import (
	"time"
)

// Phase1SA is an IKE (ISAKMP) security association as one side holds it.
type Phase1SA struct {
	CookieI   uint64       `json:"cky_i"`
	CookieR   uint64       `json:"cky_r"`
	Initiator bool         `json:"initiator"`
	Mode      ExchangeMode `json:"mode"`
	Created   time.Time    `json:"created"`
	// Xform is the negotiated transform: KeyMax carries the negotiated key
	// length in bits, LifetimeSecs the agreed lifetime.
	Xform       Transform `json:"xform"`
	PFS         int       `json:"pfs"`
	Local       AddrRange `json:"local"`
	Remote      AddrRange `json:"remote"`
	LocalPort   int       `json:"local_port"`
	RemotePort  int       `json:"remote_port"`
	PolicyLabel string    `json:"policy,omitempty"`
	// TunnelNum is the SA's phase 1 tunnel number in the host's tunnel
	// manager (AIX's "Tun Id"); numbers are per host and per phase.
	TunnelNum uint32 `json:"tunnel_num"`
	// QMCreated and QMDeleted count the Quick Mode (phase 2) SAs keyed
	// from this SA.
	QMCreated uint32 `json:"qm_created"`
	QMDeleted uint32 `json:"qm_deleted"`
	// Errors are what in.iked counts against the SA (dump p1's ERRS
	// lines): messages under its cookies that were dropped.
	Errors P1Errors `json:"errors,omitzero"`
	// Keys is the keying material; both ends hold the same values.
	Keys Phase1Keys `json:"keys"`
}

// P1Errors are a phase 1 SA's error counters (in.iked's
// ike_p1_errors_t): received messages that did not decrypt, whose hash
// did not match, or were dropped otherwise (replays, messages after the
// exchange ended), and messages that could not be sent.
type P1Errors struct {
	RXDecrypt uint32 `json:"rx_decrypt,omitempty"`
	RXHash    uint32 `json:"rx_hash,omitempty"`
	RXOther   uint32 `json:"rx_other,omitempty"`
	TX        uint32 `json:"tx,omitempty"`
}

// RX is the sum of the receive errors.
func (e P1Errors) RX() uint32 { return e.RXDecrypt + e.RXHash + e.RXOther }

// Phase1Keys is the keying material of a phase 1 SA.
type Phase1Keys struct {
	PSK     []byte `json:"psk,omitempty"`
	SKEYID  []byte `json:"skeyid"`
	SKEYIDd []byte `json:"skeyid_d"`
	SKEYIDa []byte `json:"skeyid_a"`
	SKEYIDe []byte `json:"skeyid_e"`
	EncKey  []byte `json:"enc_key"`
	IV      []byte `json:"iv"`
}

// Expires is when the SA's lifetime runs out (zero time: never).
func (sa *Phase1SA) Expires() time.Time {
	if sa.Xform.LifetimeSecs == 0 {
		return time.Time{}
	}
	return sa.Created.Add(time.Duration(sa.Xform.LifetimeSecs) * time.Second)
}

// Expired reports whether the SA's lifetime has run out at now.
func (sa *Phase1SA) Expired(now time.Time) bool {
	exp := sa.Expires()
	return !exp.IsZero() && !now.Before(exp)
}
