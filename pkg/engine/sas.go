package engine

import (
	"net/netip"

	"github.com/ikemu/ikemu/pkg/store"
)

// SAs is a host's security associations: the phase 1 (ISAKMP) SAs and
// the phase 2 (IPsec) SA pairs keyed from them.
type SAs struct{ h *Host }

// SAs is the host's sas.
func (h *Host) SAs() SAs { return SAs{h} }

// ScanPhase1 calls fn for each live phase 1 SA, newest first as
// in.iked lists them. SAs whose lifetime has run out at the lab clock's
// reading are gone, as the daemon would have deleted them.
func (v SAs) ScanPhase1(fn func(*Phase1SA) error) error {
	sas := phase1SAs()
	return sas.scanReverse(sas.of(v.h), func(_ store.Seq, sa *Phase1SA) error {
		if sa.Expired(v.h.tx.now) {
			return nil
		}
		return fn(sa)
	})
}

// Phase1ByCookies finds a live SA by its cookie pair through the index.
func (v SAs) Phase1ByCookies(ckyI, ckyR uint64) (*Phase1SA, error) {
	sas := phase1SAs()
	t := sas.of(v.h)
	s, ok, err := t.Lookup(cookieKey(ckyI, ckyR))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf(ErrNotFound, "no phase 1 SA with cookies %016x:%016x", ckyI, ckyR)
	}
	sa, err := sas.get(t, s)
	if err != nil {
		return nil, err
	}
	if sa == nil || sa.Expired(v.h.tx.now) {
		return nil, errorf(ErrNotFound, "no phase 1 SA with cookies %016x:%016x", ckyI, ckyR)
	}
	return sa, nil
}

// DeletePhase1ByCookies deletes the SA with this cookie pair.
func (v SAs) DeletePhase1ByCookies(ckyI, ckyR uint64) error {
	if _, err := v.Phase1ByCookies(ckyI, ckyR); err != nil {
		return err
	}
	sas := phase1SAs()
	t := sas.of(v.h)
	key := cookieKey(ckyI, ckyR)
	s, _, err := t.Lookup(key)
	if err != nil {
		return err
	}
	sa, err := sas.get(t, s)
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

// UpdatePhase1ByCookies rewrites the live SA with this cookie pair if fn
// changes it (returns true); an absent or expired SA is left alone. One
// index lookup and one row, however many SAs the host holds.
func (v SAs) UpdatePhase1ByCookies(ckyI, ckyR uint64, fn func(*Phase1SA) bool) error {
	sas := phase1SAs()
	t := sas.of(v.h)
	s, ok, err := t.Lookup(cookieKey(ckyI, ckyR))
	if err != nil || !ok {
		return err
	}
	sa, err := sas.get(t, s)
	if err != nil || sa == nil {
		return err
	}
	if sa.Expired(v.h.tx.now) || !fn(sa) {
		return nil
	}
	return sas.put(t, s, sa)
}

// UpdatePhase1 rewrites every live SA that fn changes (fn returns true).
func (v SAs) UpdatePhase1(fn func(*Phase1SA) bool) error {
	sas := phase1SAs()
	t := sas.of(v.h)
	type row struct {
		s  store.Seq
		sa *Phase1SA
	}
	var changed []row
	err := sas.scan(t, func(s store.Seq, sa *Phase1SA) error {
		if !sa.Expired(v.h.tx.now) && fn(sa) {
			changed = append(changed, row{s, sa})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range changed {
		if err := sas.put(t, r.s, r.sa); err != nil {
			return err
		}
	}
	return nil
}

// ScanAllPhase1 calls fn for every stored phase 1 SA, expired ones
// included, oldest (lowest tunnel number) first: the tunnel manager's
// view, which still lists expired tunnels.
func (v SAs) ScanAllPhase1(fn func(*Phase1SA) error) error {
	sas := phase1SAs()
	return sas.scan(sas.of(v.h), func(_ store.Seq, sa *Phase1SA) error { return fn(sa) })
}

// CountPhase1 and CountPhase2 are the numbers of stored SAs, expired
// ones included, from the tables' kept counts: a listing sizes its
// views by them.
func (v SAs) CountPhase1() int { return phase1SAs().of(v.h).Len() }

func (v SAs) CountPhase2() int { return phase2SAs().of(v.h).Len() }

// FlushPhase1 deletes every phase 1 SA.
func (v SAs) FlushPhase1() error { return v.h.b.DropTable(p1saTable) }

// DeletePhase1 deletes the live SAs match selects, at most limit of
// them (0 = all), and returns how many went.
func (v SAs) DeletePhase1(match func(*Phase1SA) bool, limit int) (int, error) {
	return v.deletePhase1(match, limit, false)
}

// DeletePhase1All deletes the SAs match selects, expired ones included
// (the tunnel manager still lists those).
func (v SAs) DeletePhase1All(match func(*Phase1SA) bool) (int, error) {
	return v.deletePhase1(match, 0, true)
}

func (v SAs) deletePhase1(match func(*Phase1SA) bool, limit int, expiredToo bool) (int, error) {
	sas := phase1SAs()
	t := sas.of(v.h)
	var doomed []*Phase1SA
	var seqs []store.Seq
	err := sas.scanReverse(t, func(s store.Seq, sa *Phase1SA) error {
		if limit > 0 && len(doomed) >= limit {
			return nil
		}
		if (expiredToo || !sa.Expired(v.h.tx.now)) && match(sa) {
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

// AddPhase1 stores a new SA and indexes its cookie pair.
func (v SAs) AddPhase1(sa *Phase1SA) error {
	sas := phase1SAs()
	t, err := sas.create(v.h)
	if err != nil {
		return err
	}
	s, err := sas.append(t, sa)
	if err != nil {
		return err
	}
	if err := t.AddSeqIndex(pairKey(sa.Local.First, sa.Remote.First), s); err != nil {
		return err
	}
	return t.SetIndex(cookieKey(sa.CookieI, sa.CookieR), s)
}

// NewestPhase1 returns the newest live SA between two addresses, or nil.
// The pair's SAs are walked newest first through the pair index, so an
// older live SA is found once a newer one is deleted or has expired.
func (v SAs) NewestPhase1(local, remote netip.Addr) (*Phase1SA, error) {
	t := v.h.b.Table(p1saTable)
	key := pairKey(local, remote)
	var found *Phase1SA
	visited := false
	err := t.ScanSeqIndexReverse(key, func(s store.Seq) (bool, error) {
		visited = true
		sa, err := v.liveRow(t, s)
		found = sa
		return sa == nil, err
	})
	if err != nil || visited {
		return found, err
	}
	// A lab written before the pair index kept every SA knows only the
	// newest SA of the pair.
	if s, ok, err := t.Lookup(key); ok || err != nil {
		if err != nil {
			return nil, err
		}
		return v.liveRow(t, s)
	}
	return nil, nil
}

// liveRow decodes row s if it is there and live, else returns nil.
func (v SAs) liveRow(t *store.Table, s store.Seq) (*Phase1SA, error) {
	sa, err := phase1SAs().get(t, s)
	if err != nil || sa == nil || sa.Expired(v.h.tx.now) {
		return nil, err
	}
	return sa, nil
}

// AddPhase2 stores a phase 2 SA and files it under its traffic.
func (v SAs) AddPhase2(sa *Phase2SA) error { return v.addPhase2(sa, nil) }

// addPhase2 is AddPhase2 by a negotiation that holds the phase 1 SA.
func (v SAs) addPhase2(sa *Phase2SA, p1 *Phase1SA) error {
	sas := phase2SAs()
	t, err := sas.create(v.h)
	if err != nil {
		return err
	}
	_, marked, err := t.Lookup(trafficIndexed)
	if err != nil {
		return err
	}
	if !marked && t.Len() == 0 {
		// A table this build started has every SA in the traffic index.
		if err := t.SetIndex(trafficIndexed, 1); err != nil {
			return err
		}
	}
	s, err := sas.append(t, sa)
	if err != nil {
		return err
	}
	if err := v.h.SADB().phase2Added(sa, p1); err != nil {
		return err
	}
	return t.AddSeqIndex(trafficKey(sa.Local, sa.Remote), s)
}

// trafficIndexed marks a phase 2 table whose every SA is in the traffic
// index; a lab written before the index had none.
const trafficIndexed = "traffic indexed"

// trafficKey files phase 2 SAs by the traffic they protect. The ranges
// of a stored SA never change.
func trafficKey(local, remote AddrRange) string {
	return "traffic " + rangeKey(local) + " " + rangeKey(remote)
}

func rangeKey(r AddrRange) string { return r.First.String() + "-" + r.Last.String() }

// OldestLivePhase2 returns the oldest live phase 2 SA protecting exactly
// local <-> remote, or nil: an index walk over that traffic's SAs, not a
// scan of every SA.
func (v SAs) OldestLivePhase2(local, remote AddrRange) (*Phase2SA, error) {
	sas := phase2SAs()
	t := sas.of(v.h)
	_, indexed, err := t.Lookup(trafficIndexed)
	if err != nil {
		return nil, err
	}
	if !indexed {
		return v.scanLivePhase2(local, remote)
	}
	var found *Phase2SA
	err = t.ScanSeqIndexReverse(trafficKey(local, remote), func(s store.Seq) (bool, error) {
		sa, err := sas.get(t, s)
		if err != nil || sa == nil {
			return err == nil, err
		}
		if !sa.Expired(v.h.tx.now) {
			found = sa
		}
		return true, nil
	})
	return found, err
}

// scanLivePhase2 is OldestLivePhase2 for a table without the index.
func (v SAs) scanLivePhase2(local, remote AddrRange) (*Phase2SA, error) {
	var found *Phase2SA
	err := v.ScanPhase2(func(sa *Phase2SA) error {
		if found == nil && !sa.Expired(v.h.tx.now) && sa.Local == local && sa.Remote == remote {
			found = sa
		}
		return nil
	})
	return found, err
}

// ScanPhase2 calls fn for each stored phase 2 SA in tunnel number
// order, expired ones included.
func (v SAs) ScanPhase2(fn func(*Phase2SA) error) error {
	sas := phase2SAs()
	return sas.scan(sas.of(v.h), func(_ store.Seq, sa *Phase2SA) error { return fn(sa) })
}

// DeletePhase2 deletes the phase 2 SAs match selects and returns how
// many went; each direction's DELETE is an SADB event.
func (v SAs) DeletePhase2(match func(*Phase2SA) bool) (int, error) {
	return v.deletePhase2(match, true)
}

func (v SAs) deletePhase2(match func(*Phase2SA) bool, events bool) (int, error) {
	sas := phase2SAs()
	t := sas.of(v.h)
	type doomed struct {
		s   store.Seq
		key string
	}
	var gone []doomed
	var told []*Phase2SA
	err := sas.scan(t, func(s store.Seq, sa *Phase2SA) error {
		if match(sa) {
			gone = append(gone, doomed{s, trafficKey(sa.Local, sa.Remote)})
			if events && !sa.Expired(v.h.tx.now) {
				told = append(told, sa)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if len(gone) > 0 {
		// What ran out before goes on record while the SAs are there.
		if err := v.h.SADB().sweepNow(); err != nil {
			return 0, err
		}
	}
	for _, sa := range told {
		if err := v.h.SADB().phase2Deleted(sa); err != nil {
			return 0, err
		}
	}
	for _, d := range gone {
		if err := t.DeleteRow(d.s); err != nil {
			return 0, err
		}
		if err := t.DeleteSeqIndex(d.key, d.s); err != nil {
			return 0, err
		}
	}
	return len(gone), nil
}

// UpdatePhase2 rewrites the phase 2 SAs fn changes.
func (v SAs) UpdatePhase2(fn func(*Phase2SA) bool) error {
	sas := phase2SAs()
	return updateRows(sas, sas.of(v.h), fn)
}

const p1saTable = "p1sa"

// dropPairIndex takes the deleted row out of its pair's index, and out of
// the single-entry pair index of older labs.
func dropPairIndex(t *store.Table, sa *Phase1SA, s store.Seq) error {
	key := pairKey(sa.Local.First, sa.Remote.First)
	if err := t.DeleteSeqIndex(key, s); err != nil {
		return err
	}
	if cur, ok, err := t.Lookup(key); err != nil || (ok && cur == s) {
		if err != nil {
			return err
		}
		return t.DeleteIndex(key)
	}
	return nil
}

// pairKey indexes every SA of an address pair in row order, so an
// ACQUIRE finds the newest live one to reuse without a scan.
func pairKey(local, remote netip.Addr) string {
	return "pair " + local.String() + " " + remote.String()
}
