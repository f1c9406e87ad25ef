package engine

import (
	"net/netip"
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

// The tunnel manager's view of a host: its phase 1 SAs carry phase 1
// tunnel numbers, its phase 2 SAs phase 2 numbers, and activations that
// did not produce an SA are kept as tunnel entries with their state.

// TunnelStatus is a tunnel manager state.
type TunnelStatus string

const (
	TunnelActive      TunnelStatus = "Active"
	TunnelNegotiating TunnelStatus = "Negotiating"
	TunnelFailed      TunnelStatus = "Failed"
	TunnelExpired     TunnelStatus = "Expired"
)

// nextTunnelNum hands out the next number of a phase (1 or 2) on this
// host. Numbers are fresh for each activation, as the tunnel manager's.
func (h *Host) nextTunnelNum(phase int) (uint32, error) {
	key := "tunnel_next_p1"
	if phase == 2 {
		key = "tunnel_next_p2"
	}
	n := uint32(1)
	if _, err := h.b.Get(key, &n); err != nil {
		return 0, err
	}
	return n, h.b.Put(key, n+1)
}

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

// AddPhase2SA stores a phase 2 SA.
func (h *Host) AddPhase2SA(sa *Phase2SA) error {
	t, err := h.b.CreateTable(p2saTable)
	if err != nil {
		return err
	}
	_, err = t.Append(sa)
	return err
}

// ScanPhase2SAs calls fn for each stored phase 2 SA in tunnel number
// order, expired ones included.
func (h *Host) ScanPhase2SAs(fn func(*Phase2SA) error) error {
	return h.b.Table(p2saTable).Scan(func(_ store.Seq, raw []byte) error {
		sa, err := decodeRow[Phase2SA](raw)
		if err != nil {
			return err
		}
		return fn(sa)
	})
}

// DeletePhase2SAs deletes the phase 2 SAs match selects and returns how
// many went.
func (h *Host) DeletePhase2SAs(match func(*Phase2SA) bool) (int, error) {
	return deleteRows(h.b.Table(p2saTable), match)
}

// UpdatePhase2SAs rewrites the phase 2 SAs fn changes.
func (h *Host) UpdatePhase2SAs(fn func(*Phase2SA) bool) error {
	return updateRows(h.b.Table(p2saTable), fn)
}

// TunnelEntry is an activation the tunnel manager knows but that has no
// SA: still negotiating, or failed.
type TunnelEntry struct {
	Phase     int          `json:"phase"`
	TunnelNum uint32       `json:"tunnel_num"`
	Status    TunnelStatus `json:"status"`
	Local     string       `json:"local"`
	Remote    string       `json:"remote"`
	LocalAddr netip.Addr   `json:"local_addr,omitzero"`
	RemAddr   netip.Addr   `json:"remote_addr,omitzero"`
	Policy    string       `json:"policy,omitempty"`
	Initiator bool         `json:"initiator"`
	When      time.Time    `json:"when"`
	Reason    string       `json:"reason,omitempty"`
}

const tunnelEntryTable = "tunnel_entries"

// AddTunnelEntry records an activation without an SA, numbering it.
func (h *Host) AddTunnelEntry(e *TunnelEntry) error {
	n, err := h.nextTunnelNum(e.Phase)
	if err != nil {
		return err
	}
	e.TunnelNum = n
	t, err := h.b.CreateTable(tunnelEntryTable)
	if err != nil {
		return err
	}
	_, err = t.Append(e)
	return err
}

// ScanTunnelEntries calls fn for each entry in order.
func (h *Host) ScanTunnelEntries(fn func(*TunnelEntry) error) error {
	return h.b.Table(tunnelEntryTable).Scan(func(_ store.Seq, raw []byte) error {
		e, err := decodeRow[TunnelEntry](raw)
		if err != nil {
			return err
		}
		return fn(e)
	})
}

// DeleteTunnelEntries deletes the entries match selects.
func (h *Host) DeleteTunnelEntries(match func(*TunnelEntry) bool) (int, error) {
	return deleteRows(h.b.Table(tunnelEntryTable), match)
}

func deleteRows[T any](t *store.Table, match func(*T) bool) (int, error) {
	var doomed []store.Seq
	err := t.Scan(func(s store.Seq, raw []byte) error {
		v, err := decodeRow[T](raw)
		if err != nil {
			return err
		}
		if match(v) {
			doomed = append(doomed, s)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, s := range doomed {
		if err := t.DeleteRow(s); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

func updateRows[T any](t *store.Table, fn func(*T) bool) error {
	type row struct {
		s store.Seq
		v *T
	}
	var changed []row
	err := t.Scan(func(s store.Seq, raw []byte) error {
		v, err := decodeRow[T](raw)
		if err != nil {
			return err
		}
		if fn(v) {
			changed = append(changed, row{s, v})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range changed {
		if err := t.PutRow(r.s, r.v); err != nil {
			return err
		}
	}
	return nil
}
