package engine

import (
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

const p1saTable = "p1sa"

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
	// QMCreated and QMDeleted count the Quick Mode (phase 2) SAs keyed
	// from this SA.
	QMCreated uint32 `json:"qm_created"`
	QMDeleted uint32 `json:"qm_deleted"`
	// Keys is the keying material; both ends hold the same values.
	Keys Phase1Keys `json:"keys"`
}

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

// ScanPhase1SAs calls fn for each live phase 1 SA, newest first as
// in.iked lists them. SAs whose lifetime has run out at the lab clock's
// reading are gone, as the daemon would have deleted them.
func (h *Host) ScanPhase1SAs(fn func(*Phase1SA) error) error {
	return h.b.Table(p1saTable).ScanReverse(func(_ store.Seq, raw []byte) error {
		sa, err := decodeRow[Phase1SA](raw)
		if err != nil {
			return err
		}
		if sa.Expired(h.tx.now) {
			return nil
		}
		return fn(sa)
	})
}

// UpdatePhase1SAs rewrites every live SA that fn changes (fn returns true).
func (h *Host) UpdatePhase1SAs(fn func(*Phase1SA) bool) error {
	t := h.b.Table(p1saTable)
	type row struct {
		s  store.Seq
		sa *Phase1SA
	}
	var changed []row
	err := t.Scan(func(s store.Seq, raw []byte) error {
		sa, err := decodeRow[Phase1SA](raw)
		if err != nil {
			return err
		}
		if !sa.Expired(h.tx.now) && fn(sa) {
			changed = append(changed, row{s, sa})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range changed {
		if err := t.PutRow(r.s, r.sa); err != nil {
			return err
		}
	}
	return nil
}

// FlushPhase1SAs deletes every phase 1 SA.
func (h *Host) FlushPhase1SAs() error { return h.b.DropTable(p1saTable) }

// DeletePhase1SAs deletes the SAs match selects, at most limit of them
// (0 = all), and returns how many went.
func (h *Host) DeletePhase1SAs(match func(*Phase1SA) bool, limit int) (int, error) {
	t := h.b.Table(p1saTable)
	var doomed []store.Seq
	err := t.ScanReverse(func(s store.Seq, raw []byte) error {
		if limit > 0 && len(doomed) >= limit {
			return nil
		}
		sa, err := decodeRow[Phase1SA](raw)
		if err != nil {
			return err
		}
		if !sa.Expired(h.tx.now) && match(sa) {
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

// AddPhase1SA stores a new SA.
func (h *Host) AddPhase1SA(sa *Phase1SA) error {
	t, err := h.b.CreateTable(p1saTable)
	if err != nil {
		return err
	}
	_, err = t.Append(sa)
	return err
}
