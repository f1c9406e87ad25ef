package engine

// WireDrops are the datagrams the wire dropped for one host: by reason
// for the statistics, and per phase 1 SA (by cookie pair) for the error
// counters in.iked keeps on each SA.
type WireDrops struct {
	RX  RXDrops
	SAs map[[2]uint64]P1Errors
}

// CountOnSA adds e to the counters of the SA with cookies ckyI, ckyR.
func (d *WireDrops) CountOnSA(ckyI, ckyR uint64, e P1Errors) {
	if d.SAs == nil {
		d.SAs = map[[2]uint64]P1Errors{}
	}
	k := [2]uint64{ckyI, ckyR}
	d.SAs[k] = d.SAs[k].plus(e)
}

func (e P1Errors) plus(o P1Errors) P1Errors {
	return P1Errors{RXDecrypt: e.RXDecrypt + o.RXDecrypt, RXHash: e.RXHash + o.RXHash,
		RXOther: e.RXOther + o.RXOther, TX: e.TX + o.TX}
}

func (r RXDrops) plus(o RXDrops) RXDrops {
	return RXDrops{Malformed: r.Malformed + o.Malformed, UnknownCookie: r.UnknownCookie + o.UnknownCookie,
		Replays: r.Replays + o.Replays, Refused: r.Refused + o.Refused}
}

// RecordWireDrops adds d to the host's statistics and to the error
// counters of each SA it names that is still live (others are gone:
// their share is only in the statistics).
func (h *Host) RecordWireDrops(d WireDrops) error {
	if d.RX != (RXDrops{}) {
		if err := h.Daemons().UpdateStats(func(s *Stats) { s.RX = s.RX.plus(d.RX) }); err != nil {
			return err
		}
	}
	for k, e := range d.SAs {
		err := h.SAs().UpdatePhase1ByCookies(k[0], k[1], func(sa *Phase1SA) bool {
			sa.Errors = sa.Errors.plus(e)
			return true
		})
		if err != nil {
			return err
		}
	}
	return nil
}
