package engine

import (
	"encoding/binary"
	"fmt"

	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// A phase 1 SA negotiated over the wire also keeps pkg/ikev1's view of
// it (the keys and the CBC state its Quick Modes and Informational
// exchanges start from), so that any process (a later acquire, ikemu
// serve, ikeadm del p1) can go on talking to the peer under it. One key
// of the host's bucket per SA, named by its cookies.

func wireSAKey(ckyI, ckyR uint64) string { return fmt.Sprintf("wiresa/%016x%016x", ckyI, ckyR) }

// putWireSA keeps sa under its cookies.
func (h *Host) putWireSA(sa *ikev1.SA) error {
	return h.b.Put(wireSAKey(binary.BigEndian.Uint64(sa.CookieI[:]), binary.BigEndian.Uint64(sa.CookieR[:])), sa)
}

// WireSA returns the wire state of the phase 1 SA with these cookies
// while the SA itself lives; nil when there is none (an SA negotiated in
// the lab, or gone).
func (h *Host) WireSA(ckyI, ckyR uint64) (*ikev1.SA, *Phase1SA, error) {
	p1, err := h.SAs().Phase1ByCookies(ckyI, ckyR)
	if err != nil || p1 == nil {
		return nil, nil, err
	}
	var sa ikev1.SA
	ok, err := h.b.Get(wireSAKey(ckyI, ckyR), &sa)
	if err != nil || !ok {
		return nil, p1, err
	}
	return &sa, p1, nil
}

// WireSAOf is WireSA by wire cookies.
func (h *Host) WireSAOf(hd isakmp.Header) (*ikev1.SA, *Phase1SA, error) {
	return h.WireSA(binary.BigEndian.Uint64(hd.InitiatorCookie[:]), binary.BigEndian.Uint64(hd.ResponderCookie[:]))
}

// ForgetWireSA removes the SA and its wire state (a Delete from the peer,
// or one this host sent).
func (h *Host) ForgetWireSA(ckyI, ckyR uint64) error {
	if err := h.b.Delete(wireSAKey(ckyI, ckyR)); err != nil {
		return err
	}
	return h.SAs().DeletePhase1ByCookies(ckyI, ckyR)
}
