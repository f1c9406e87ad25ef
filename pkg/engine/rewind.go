package engine

import "time"

// The lab clock can be moved back. An SA must then never live longer than
// its lifetime nor come back after it expired: a move from now to t
// revives the SAs created after t (they would come from the future, with
// more than their lifetime left) and those expired by now that are still
// live at t. A move forward revives none.

// revivedBy reports whether moving the clock from now to t revives sa.
func (sa *Phase1SA) revivedBy(now, t time.Time) bool {
	return sa.Created.After(t) || (sa.Expired(now) && !sa.Expired(t))
}

// revivedBy reports whether moving the clock from now to t revives sa.
func (sa *Phase2SA) revivedBy(now, t time.Time) bool {
	return sa.Created.After(t) || (sa.Expired(now) && !sa.Expired(t))
}

// RevivedSAs counts SAs a clock move revives, by phase.
type RevivedSAs struct {
	Phase1, Phase2 int
}

// Total is both phases together.
func (r RevivedSAs) Total() int { return r.Phase1 + r.Phase2 }

// CountRevived counts the host's stored SAs, expired ones included,
// that moving the clock to t would revive.
func (v SAs) CountRevived(t time.Time) (RevivedSAs, error) {
	var r RevivedSAs
	err := v.ScanAllPhase1(func(sa *Phase1SA) error {
		if sa.revivedBy(v.h.tx.now, t) {
			r.Phase1++
		}
		return nil
	})
	if err != nil {
		return RevivedSAs{}, err
	}
	err = v.ScanPhase2(func(sa *Phase2SA) error {
		if sa.revivedBy(v.h.tx.now, t) {
			r.Phase2++
		}
		return nil
	})
	return r, err
}

// DeleteRevived deletes the SAs moving the clock to t would revive, as
// in.iked deletes an SA whose lifetime ran out, and counts them.
func (v SAs) DeleteRevived(t time.Time) (RevivedSAs, error) {
	n1, err := v.DeletePhase1All(func(sa *Phase1SA) bool { return sa.revivedBy(v.h.tx.now, t) })
	if err != nil {
		return RevivedSAs{}, err
	}
	n2, err := v.DeletePhase2(func(sa *Phase2SA) bool { return sa.revivedBy(v.h.tx.now, t) })
	return RevivedSAs{Phase1: n1, Phase2: n2}, err
}
