package engine

import (
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

const p1saTable = "p1sa"

// Phase1SA is an IKE (ISAKMP) security association as one side holds it.
type Phase1SA struct {
	CookieI      uint64       `json:"cky_i"`
	CookieR      uint64       `json:"cky_r"`
	Initiator    bool         `json:"initiator"`
	Mode         ExchangeMode `json:"mode"`
	Created      time.Time    `json:"created"`
	LifetimeSecs uint32       `json:"lifetime_secs"`
	Local        AddrRange    `json:"local"`
	Remote       AddrRange    `json:"remote"`
	PolicyLabel  string       `json:"policy,omitempty"`
}

// Expired reports whether the SA's lifetime has run out at now.
func (sa *Phase1SA) Expired(now time.Time) bool {
	if sa.LifetimeSecs == 0 {
		return false
	}
	return !now.Before(sa.Created.Add(time.Duration(sa.LifetimeSecs) * time.Second))
}

// ScanPhase1SAs calls fn for each phase 1 SA, newest first as in.iked
// lists them.
func (h *Host) ScanPhase1SAs(fn func(*Phase1SA) error) error {
	return h.b.Table(p1saTable).ScanReverse(func(_ store.Seq, raw []byte) error {
		sa, err := decodeRow[Phase1SA](raw)
		if err != nil {
			return err
		}
		return fn(sa)
	})
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
		if match(sa) {
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
