package engine

import (
	"net/netip"
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
	// TunnelNum is the SA's phase 1 tunnel number in the host's tunnel
	// manager (AIX's "Tun Id"); numbers are per host and per phase.
	TunnelNum uint32 `json:"tunnel_num"`
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
		sa, err := unmarshalSA(raw)
		if err != nil {
			return err
		}
		if sa.Expired(h.tx.now) {
			return nil
		}
		return fn(sa)
	})
}

// Phase1SAByCookies finds a live SA by its cookie pair through the index.
func (h *Host) Phase1SAByCookies(ckyI, ckyR uint64) (*Phase1SA, error) {
	t := h.b.Table(p1saTable)
	s, ok := t.Lookup(cookieKey(ckyI, ckyR))
	if !ok {
		return nil, &Error{Code: CodeNotFound}
	}
	sa, err := unmarshalSA(t.GetRowRaw(s))
	if err != nil {
		return nil, err
	}
	if sa.Expired(h.tx.now) {
		return nil, &Error{Code: CodeNotFound}
	}
	return sa, nil
}

// DeletePhase1SAByCookies deletes the SA with this cookie pair.
func (h *Host) DeletePhase1SAByCookies(ckyI, ckyR uint64) error {
	if _, err := h.Phase1SAByCookies(ckyI, ckyR); err != nil {
		return err
	}
	t := h.b.Table(p1saTable)
	key := cookieKey(ckyI, ckyR)
	s, _ := t.Lookup(key)
	sa, err := unmarshalSA(t.GetRowRaw(s))
	if err != nil {
		return err
	}
	if err := t.DeleteRow(s); err != nil {
		return err
	}
	if err := dropPairIndex(t, sa, s); err != nil {
		return err
	}
	return t.DeleteIndex(key)
}

// dropPairIndex forgets the pair index entry if it names the deleted row.
func dropPairIndex(t *store.Table, sa *Phase1SA, s store.Seq) error {
	key := pairKey(sa.Local.First, sa.Remote.First)
	if cur, ok := t.Lookup(key); ok && cur == s {
		return t.DeleteIndex(key)
	}
	return nil
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
		sa, err := unmarshalSA(raw)
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
		if err := t.PutRowRaw(r.s, r.sa.marshalBinary()); err != nil {
			return err
		}
	}
	return nil
}

// ScanAllPhase1SAs calls fn for every stored phase 1 SA, expired ones
// included, oldest (lowest tunnel number) first: the tunnel manager's
// view, which still lists expired tunnels.
func (h *Host) ScanAllPhase1SAs(fn func(*Phase1SA) error) error {
	return h.b.Table(p1saTable).Scan(func(_ store.Seq, raw []byte) error {
		sa, err := unmarshalSA(raw)
		if err != nil {
			return err
		}
		return fn(sa)
	})
}

// FlushPhase1SAs deletes every phase 1 SA.
func (h *Host) FlushPhase1SAs() error { return h.b.DropTable(p1saTable) }

// DeletePhase1SAs deletes the live SAs match selects, at most limit of
// them (0 = all), and returns how many went.
func (h *Host) DeletePhase1SAs(match func(*Phase1SA) bool, limit int) (int, error) {
	return h.deletePhase1SAs(match, limit, false)
}

// DeletePhase1SAsAll deletes the SAs match selects, expired ones included
// (the tunnel manager still lists those).
func (h *Host) DeletePhase1SAsAll(match func(*Phase1SA) bool) (int, error) {
	return h.deletePhase1SAs(match, 0, true)
}

func (h *Host) deletePhase1SAs(match func(*Phase1SA) bool, limit int, expiredToo bool) (int, error) {
	t := h.b.Table(p1saTable)
	var doomed []*Phase1SA
	var seqs []store.Seq
	err := t.ScanReverse(func(s store.Seq, raw []byte) error {
		if limit > 0 && len(doomed) >= limit {
			return nil
		}
		sa, err := unmarshalSA(raw)
		if err != nil {
			return err
		}
		if (expiredToo || !sa.Expired(h.tx.now)) && match(sa) {
			doomed, seqs = append(doomed, sa), append(seqs, s)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for i, s := range seqs {
		if err := t.DeleteRow(s); err != nil {
			return 0, err
		}
		if err := t.DeleteIndex(cookieKey(doomed[i].CookieI, doomed[i].CookieR)); err != nil {
			return 0, err
		}
		if err := dropPairIndex(t, doomed[i], s); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

// AddPhase1SA stores a new SA and indexes its cookie pair.
func (h *Host) AddPhase1SA(sa *Phase1SA) error {
	t, err := h.b.CreateTable(p1saTable)
	if err != nil {
		return err
	}
	s, err := t.AppendRaw(sa.marshalBinary())
	if err != nil {
		return err
	}
	if err := t.SetIndex(pairKey(sa.Local.First, sa.Remote.First), s); err != nil {
		return err
	}
	return t.SetIndex(cookieKey(sa.CookieI, sa.CookieR), s)
}

// pairKey indexes the newest SA of an address pair, so an ACQUIRE finds
// an SA to reuse without a scan.
func pairKey(local, remote netip.Addr) string {
	return "pair " + local.String() + " " + remote.String()
}

// NewestPhase1SA returns the newest live SA between two addresses, or nil.
func (h *Host) NewestPhase1SA(local, remote netip.Addr) (*Phase1SA, error) {
	t := h.b.Table(p1saTable)
	s, ok := t.Lookup(pairKey(local, remote))
	if !ok {
		return nil, nil
	}
	raw := t.GetRowRaw(s)
	if raw == nil {
		return nil, nil
	}
	sa, err := unmarshalSA(raw)
	if err != nil || sa.Expired(h.tx.now) {
		return nil, err
	}
	return sa, nil
}
