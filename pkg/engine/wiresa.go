package engine

import (
	"encoding/binary"
	"errors"

	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
	"github.com/ikemu/ikemu/pkg/store"
)

// A phase 1 SA negotiated over the wire also keeps pkg/ikev1's view of
// it (the keys and the CBC state its Quick Modes and Informational
// exchanges start from) and the peer's port, so that any process (a
// later acquire, ikemu serve) can go on talking to the peer under it.
// One row per SA in the host's wire SA table, indexed by cookies. A row
// whose phase 1 SA is gone (deleted by ikeadm or ike, expired) is an
// orphan: ikemu serve tells the peer with a Delete, then drops it.

const wireSATable = "wiresas"

// WireState is one wire SA's row.
type WireState struct {
	SA   ikev1.SA `json:"sa"`
	Port int      `json:"port"` // the peer's UDP port
}

// putWireSA keeps sa under its cookies.
func (h *Host) putWireSA(sa *ikev1.SA, port int) error {
	rows := wireStates()
	t, err := rows.create(h)
	if err != nil {
		return err
	}
	s, err := rows.append(t, &WireState{SA: *sa, Port: port})
	if err != nil {
		return err
	}
	return t.SetIndex(wireKey(sa.CookieI, sa.CookieR), s)
}

func wireKey(ckyI, ckyR [8]byte) string { return string(ckyI[:]) + string(ckyR[:]) }

// WireSAOf returns the wire state of the live phase 1 SA the header's
// cookies name, with the SA; nil when there is none (an SA negotiated in
// the lab, or gone).
func (h *Host) WireSAOf(hd isakmp.Header) (*ikev1.SA, *Phase1SA, error) {
	return h.wireSA(hd.InitiatorCookie, hd.ResponderCookie)
}

// WireSA is WireSAOf by the engine's cookies.
func (h *Host) WireSA(ckyI, ckyR uint64) (*ikev1.SA, *Phase1SA, error) {
	var i, r [8]byte
	binary.BigEndian.PutUint64(i[:], ckyI)
	binary.BigEndian.PutUint64(r[:], ckyR)
	return h.wireSA(i, r)
}

func (h *Host) wireSA(i, r [8]byte) (*ikev1.SA, *Phase1SA, error) {
	p1, err := h.livePhase1(i, r)
	if err != nil || p1 == nil {
		return nil, nil, err
	}
	rows := wireStates()
	t := rows.of(h)
	s, ok, err := t.Lookup(wireKey(i, r))
	if err != nil || !ok {
		return nil, p1, err
	}
	w, err := rows.get(t, s)
	if err != nil || w == nil {
		return nil, p1, err
	}
	return &w.SA, p1, nil
}

// ForgetWireSA removes the SA and its wire state (the peer deleted it).
func (h *Host) ForgetWireSA(ckyI, ckyR [8]byte) error {
	if err := h.DropWireSA(ckyI, ckyR); err != nil {
		return err
	}
	return h.SAs().DeletePhase1ByCookies(binary.BigEndian.Uint64(ckyI[:]), binary.BigEndian.Uint64(ckyR[:]))
}

// DropWireSA removes a wire state, leaving the SA (if any) alone.
func (h *Host) DropWireSA(ckyI, ckyR [8]byte) error {
	t := wireStates().of(h)
	s, ok, err := t.Lookup(wireKey(ckyI, ckyR))
	if err != nil || !ok {
		return err
	}
	if err := t.DeleteRow(s); err != nil {
		return err
	}
	return t.DeleteIndex(wireKey(ckyI, ckyR))
}

// OrphanWireSAs are the wire states whose phase 1 SA is gone or expired.
func (h *Host) OrphanWireSAs() ([]WireState, error) {
	var out []WireState
	rows := wireStates()
	err := rows.scan(rows.of(h), func(_ store.Seq, w *WireState) error {
		p1, err := h.livePhase1(w.SA.CookieI, w.SA.CookieR)
		if err != nil {
			return err
		}
		if p1 == nil {
			out = append(out, *w)
		}
		return nil
	})
	return out, err
}

// livePhase1 is the live phase 1 SA with these cookies, or nil.
func (h *Host) livePhase1(i, r [8]byte) (*Phase1SA, error) {
	p1, err := h.SAs().Phase1ByCookies(binary.BigEndian.Uint64(i[:]), binary.BigEndian.Uint64(r[:]))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return p1, err
}
