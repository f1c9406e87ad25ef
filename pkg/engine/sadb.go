package engine

import (
	"errors"
	"net/netip"
	"slices"
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

// SADB is the host's record of what happened to its IPsec SAs, as the
// kernel tells its PF_KEY sockets (ipseckey monitor follows it). The
// table is bounded: each event past the newest sadbRetention drops the
// oldest, so a busy lab never grows with it.
//
// Lifetimes run out on the lab clock while no transaction runs, so
// their EXPIREs are recorded late: each change of the host's SAs first
// records those that ran out since the last one (sweep), stamped with
// when they ran out, and a follower computes those since then itself
// (Swept, Expiries). Nothing is lost to a deletion that follows an
// expiry before a follower looks.
type SADB struct{ h *Host }

// SADB is the host's SADB event view.
func (h *Host) SADB() SADB { return SADB{h} }

const (
	sadbEventTable = "sadbevents"
	sadbRetention  = 4096
	// sadbSeqKey counts the messages the host's IKE daemon sends;
	// sadbAcquireKey the kernel's ACQUIRE sequence, which counts down
	// from 0xffffffff as illumos's keysock does.
	sadbSeqKey     = "sadb_seq"
	sadbAcquireKey = "sadb_acquire_seq"
	sadbSweepKey   = "sadb_sweep"
)

// sadbSweep is how far the host's expiries are recorded: every lifetime
// that ran out by Upto, and the first deadline after it that is known
// (zero: none).
type sadbSweep struct {
	Upto time.Time `json:"upto"`
	Next time.Time `json:"next,omitzero"`
}

// SADBSender is the process whose PF_KEY requests a transaction's SADB
// changes are: its pid and the sequence number its message carried.
type SADBSender struct {
	PID int
	Seq uint32
}

// SetSADBSender names the process the transaction's SADB changes come
// from (a tool such as ipseckey); without one they come from the host's
// IKE daemon.
func (t *Tx) SetSADBSender(s SADBSender) { t.sadbSender = &s }

// Last is the number of the newest event, 0 if none was recorded.
func (v SADB) Last() (uint64, error) {
	var last uint64
	errStop := errors.New("stop")
	err := v.h.b.Table(sadbEventTable).ScanReverse(func(s store.Seq, _ []byte) error {
		last = uint64(s)
		return errStop
	})
	if err != nil && !errors.Is(err, errStop) {
		return 0, err
	}
	return last, nil
}

// Since calls fn with each event recorded after number n, in order, and
// its number. Events the table no longer keeps are skipped.
func (v SADB) Since(n uint64, fn func(uint64, *SADBEvent) error) error {
	last, err := v.Last()
	if err != nil || last <= n {
		return err
	}
	rows := sadbEvents()
	t := rows.of(v.h)
	from := max(n+1, last-min(last, sadbRetention)+1)
	for s := from; s <= last; s++ {
		e, err := rows.get(t, store.Seq(s))
		if err != nil {
			return err
		}
		if e == nil {
			continue
		}
		if err := fn(s, e); err != nil {
			return err
		}
	}
	return nil
}

// record appends an event at the transaction's time, after the
// expiries due by then.
func (v SADB) record(e *SADBEvent) error {
	if err := v.sweep(); err != nil {
		return err
	}
	e.At = v.h.tx.now
	return v.appendEvent(e)
}

// appendEvent appends an event and drops the one that falls out of the
// retained span.
func (v SADB) appendEvent(e *SADBEvent) error {
	rows := sadbEvents()
	t, err := rows.create(v.h)
	if err != nil {
		return err
	}
	s, err := rows.append(t, e)
	if err != nil || s <= sadbRetention {
		return err
	}
	return t.DeleteRow(s - sadbRetention)
}

// Swept is the lab time up to which the host's expiries are recorded as
// events; a follower computes the later ones (Expiries).
func (v SADB) Swept() (time.Time, error) {
	var sw sadbSweep
	_, err := sadbSweepRecord().get(v.h.b, &sw)
	return sw.Upto, err
}

// sweep records the EXPIREs due since the last sweep. It scans the SAs
// only when a known deadline has passed.
func (v SADB) sweep() error {
	var sw sadbSweep
	if _, err := sadbSweepRecord().get(v.h.b, &sw); err != nil {
		return err
	}
	now := v.h.tx.now
	if sw.Upto.Equal(now) {
		return nil
	}
	if !sw.Upto.IsZero() && now.After(sw.Upto) && !sw.Next.IsZero() && !now.Before(sw.Next) {
		next, err := v.Expiries(sw.Upto, now, v.appendEvent)
		if err != nil {
			return err
		}
		sw.Next = next
	}
	sw.Upto = now
	return sadbSweepRecord().put(v.h.b, &sw)
}

// due notes a new SA's first deadline, so the sweep after it passes
// looks.
func (v SADB) due(at time.Time) error {
	var sw sadbSweep
	if _, err := sadbSweepRecord().get(v.h.b, &sw); err != nil {
		return err
	}
	if !sw.Next.IsZero() && !at.Before(sw.Next) {
		return nil
	}
	sw.Next = at
	return sadbSweepRecord().put(v.h.b, &sw)
}

// sender is who the transaction's changes come from: the tool that set
// itself, else the host's IKE daemon with its next message number.
func (v SADB) sender() (SADBSender, error) {
	if s := v.h.tx.sadbSender; s != nil {
		return *s, nil
	}
	st, err := v.h.logState()
	if err != nil {
		return SADBSender{}, err
	}
	pid := st.PIDs["tmd"]
	if st.IKERunning {
		pid = st.IKEPID
	}
	var seq uint32
	if _, err := counterRecord(sadbSeqKey).get(v.h.b, &seq); err != nil {
		return SADBSender{}, err
	}
	seq++
	return SADBSender{PID: pid, Seq: seq}, counterRecord(sadbSeqKey).put(v.h.b, &seq)
}

// phase2Added records a negotiated pair's arrival.
func (v SADB) phase2Added(sa *Phase2SA) error { return v.phase2Changed(SADBAdd, sa) }

// phase2Deleted records a pair's removal.
func (v SADB) phase2Deleted(sa *Phase2SA) error { return v.phase2Changed(SADBDelete, sa) }

func (v SADB) phase2Changed(kind SADBKind, sa *Phase2SA) error {
	from, err := v.sender()
	if err != nil {
		return err
	}
	local, remote := v.outer(sa)
	err = v.record(&SADBEvent{Kind: kind, Protocol: sa.Proposal.Protocol, PID: from.PID, Seq: from.Seq,
		Phase2: withoutPhase2Keys(sa), Local: local, Remote: remote})
	if err != nil || kind != SADBAdd || sa.LifetimeSecs == 0 {
		return err
	}
	return v.due(sa.Expires())
}

// manualChanged records the ADD, UPDATE or DELETE of a manual SA.
func (v SADB) manualChanged(kind SADBKind, sa *ManualSA) error {
	from, err := v.sender()
	if err != nil {
		return err
	}
	err = v.record(&SADBEvent{Kind: kind, Protocol: sa.Protocol, PID: from.PID, Seq: from.Seq,
		Manual: withoutManualKeys(sa)})
	for _, secs := range []uint32{sa.SoftSecs, sa.HardSecs} {
		if err == nil && kind != SADBDelete && secs != 0 {
			err = v.due(sa.Added.Add(time.Duration(secs) * time.Second))
		}
	}
	return err
}

// acquired records the kernel's ACQUIRE for a flow: the proposals of the
// rule's IPsec alternatives, or the built-in one without a rule.
func (v SADB) acquired(t Traffic, rule *IPsecRule) error {
	var props []Proposal
	if rule == nil {
		props = []Proposal{{ESP: &IPsecTransform{Cipher: CipherAES, KeyBits: 128, Auth: HashSHA1, Transport: true}}}
	} else {
		for _, a := range rule.Actions {
			if a.Kind == IPsecApply {
				props = append(props, actionProposals(a, !rule.TunnelMode, 0, 0)...)
			}
		}
	}
	proto := "ESP"
	if len(props) > 0 && props[0].ESP == nil {
		proto = "AH"
	}
	seq := uint32(0xffffffff)
	if _, err := counterRecord(sadbAcquireKey).get(v.h.b, &seq); err != nil {
		return err
	}
	seq--
	if err := counterRecord(sadbAcquireKey).put(v.h.b, &seq); err != nil {
		return err
	}
	return v.record(&SADBEvent{Kind: SADBAcquire, Protocol: proto, Seq: seq,
		Acquire: &AcquireRequest{Flow: t, Proposals: props}})
}

// Flush deletes the host's SAs of a protocol ("" for all) and records one
// FLUSH for them, as the kernel answers one.
func (v SADB) Flush(protocol string) error {
	if err := v.sweep(); err != nil {
		return err
	}
	_, err := v.h.SAs().deletePhase2(func(sa *Phase2SA) bool {
		return protocol == "" || (sa.Proposal.Protocol == "AH") == (protocol == "AH")
	}, false)
	if err != nil {
		return err
	}
	_, err = v.h.ManualSAs().Flush(func(sa *ManualSA) bool {
		return protocol == "" || (sa.Protocol == "AH") == (protocol == "AH")
	})
	if err != nil {
		return err
	}
	from, err := v.sender()
	if err != nil {
		return err
	}
	return v.record(&SADBEvent{Kind: SADBFlush, Protocol: protocol, PID: from.PID, Seq: from.Seq})
}

// Expiries calls fn, oldest first, with an EXPIRE for each lifetime of
// the host's SAs that ran out after from and no later than to (one for
// a pair, soft before hard), and returns the
// first deadline after to (zero if none), so a follower need not look
// again before then unless new events come.
func (v SADB) Expiries(from, to time.Time, fn func(*SADBEvent) error) (time.Time, error) {
	var due []*SADBEvent
	var next time.Time
	consider := func(at time.Time, e func() []*SADBEvent) {
		switch {
		case at.After(from) && !at.After(to):
			for _, x := range e() {
				x.At = at
				due = append(due, x)
			}
		case at.After(to) && (next.IsZero() || at.Before(next)):
			next = at
		}
	}
	err := v.h.SAs().ScanPhase2(func(sa *Phase2SA) error {
		if sa.LifetimeSecs == 0 {
			return nil
		}
		consider(sa.Expires(), func() []*SADBEvent {
			local, remote := v.outer(sa)
			return []*SADBEvent{{Kind: SADBExpire, Protocol: sa.Proposal.Protocol, Hard: true,
				Phase2: withoutPhase2Keys(sa), Local: local, Remote: remote}}
		})
		return nil
	})
	if err != nil {
		return time.Time{}, err
	}
	rows := manualSARows()
	err = rows.scan(rows.of(v.h), func(_ store.Seq, sa *ManualSA) error {
		for _, l := range []struct {
			secs uint32
			hard bool
		}{{sa.SoftSecs, false}, {sa.HardSecs, true}} {
			if l.secs != 0 {
				consider(sa.Added.Add(time.Duration(l.secs)*time.Second), func() []*SADBEvent {
					return []*SADBEvent{{Kind: SADBExpire, Protocol: sa.Protocol, Hard: l.hard, Manual: withoutManualKeys(sa)}}
				})
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, err
	}
	slices.SortStableFunc(due, func(a, b *SADBEvent) int { return a.At.Compare(b.At) })
	for _, e := range due {
		if err := fn(e); err != nil {
			return time.Time{}, err
		}
	}
	return next, nil
}

// outer is the address pair a phase 2 SA runs between: its selectors in
// transport mode, its phase 1 SA's addresses in tunnel mode (the
// selectors' once that is gone).
func (v SADB) outer(sa *Phase2SA) (local, remote netip.Addr) {
	local, remote = sa.Local.First, sa.Remote.First
	if sa.Proposal.Encapsulate != "Tunnel" {
		return local, remote
	}
	if p1, err := v.h.SAs().Phase1ByCookies(sa.CookieI, sa.CookieR); err == nil && p1 != nil {
		local, remote = p1.Local.First, p1.Remote.First
	}
	return local, remote
}
