package engine

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"slices"
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

// SADB is the host's record of what happened to its IPsec SAs, as the
// kernel tells its PF_KEY sockets (ipseckey monitor follows it). The
// table is bounded: it keeps the newest sadbRetention events (up to
// sadbTrim more between two trims), so a busy lab never grows with it.
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
	sadbTrim       = 512 // the table trims itself back in steps this big
	// sadbStateKey holds sadbState; its ACQUIRE sequence counts down
	// from 0xffffffff as illumos's keysock does.
	sadbStateKey = "sadb_state"
)

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
	from := max(n+1, last-min(last, sadbRetention+sadbTrim)+1)
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

// sadbState is the host's SADB bookkeeping, one small binary record:
// how far expiries are recorded (Upto) and the first known deadline
// after it (Next), the IKE daemon's last message number and the
// kernel's last ACQUIRE sequence (0: none yet).
type sadbState struct {
	Upto, Next time.Time
	Seq        uint32
	AcquireSeq uint32
}

func (v SADB) state() (sadbState, error) {
	var st sadbState
	_, err := sadbStateRecord().get(v.h.b, &st)
	return st, err
}

// origin says who sends an event's message.
type origin int

const (
	fromSender  origin = iota // the transaction's tool, else the IKE daemon
	fromAcquire               // the kernel's ACQUIRE
)

// record appends an event at the transaction's time, after the
// expiries due by then, and notes the deadlines of the SA it adds.
func (v SADB) record(e *SADBEvent, from origin, deadlines ...time.Time) error {
	st, err := v.state()
	if err != nil {
		return err
	}
	if err := v.sweep(&st); err != nil {
		return err
	}
	switch s := v.h.tx.sadbSender; {
	case from == fromAcquire:
		if st.AcquireSeq == 0 {
			st.AcquireSeq = 0xffffffff
		}
		st.AcquireSeq--
		e.PID, e.Seq = 0, st.AcquireSeq
	case s != nil:
		e.PID, e.Seq = s.PID, s.Seq
	default:
		ls, err := v.h.logState()
		if err != nil {
			return err
		}
		e.PID = ls.PIDs["tmd"]
		if ls.IKERunning {
			e.PID = ls.IKEPID
		}
		st.Seq++
		e.Seq = st.Seq
	}
	e.At = v.h.tx.now
	if err := v.appendEvent(e); err != nil {
		return err
	}
	for _, d := range deadlines {
		if st.Next.IsZero() || d.Before(st.Next) {
			st.Next = d
		}
	}
	return sadbStateRecord().put(v.h.b, &st)
}

// appendEvent appends an event and, past sadbTrim events more than it
// retains, drops the oldest.
func (v SADB) appendEvent(e *SADBEvent) error {
	rows := sadbEvents()
	t, err := rows.create(v.h)
	if err != nil {
		return err
	}
	if _, err := rows.append(t, e); err != nil {
		return err
	}
	if t.Len() <= sadbRetention+sadbTrim {
		return nil
	}
	return t.DropOldest(t.Len() - sadbRetention)
}

// Swept is the lab time up to which the host's expiries are recorded as
// events; a follower computes the later ones (Expiries).
func (v SADB) Swept() (time.Time, error) {
	st, err := v.state()
	return st.Upto, err
}

// sweep records in st the EXPIREs due since the last sweep. It scans the
// SAs only when a known deadline has passed.
func (v SADB) sweep(st *sadbState) error {
	now := v.h.tx.now
	if !st.Upto.IsZero() && now.After(st.Upto) && !st.Next.IsZero() && !now.Before(st.Next) {
		next, err := v.Expiries(st.Upto, now, v.appendEvent)
		if err != nil {
			return err
		}
		st.Next = next
	}
	st.Upto = now
	return nil
}

// sweepNow records the EXPIREs due before SAs go without an event of
// their own (expired ones, a flush).
func (v SADB) sweepNow() error {
	st, err := v.state()
	if err != nil || st.Upto.Equal(v.h.tx.now) {
		return err
	}
	if err := v.sweep(&st); err != nil {
		return err
	}
	return sadbStateRecord().put(v.h.b, &st)
}

// phase2Added records a negotiated pair's arrival; p1, if known, is its
// phase 1 SA.
func (v SADB) phase2Added(sa *Phase2SA, p1 *Phase1SA) error {
	var deadlines []time.Time
	if sa.LifetimeSecs != 0 {
		deadlines = append(deadlines, sa.Expires())
	}
	e := v.phase2Event(SADBAdd, sa, p1)
	return v.record(e, fromSender, deadlines...)
}

// phase2Deleted records a pair's removal.
func (v SADB) phase2Deleted(sa *Phase2SA) error {
	return v.record(v.phase2Event(SADBDelete, sa, nil), fromSender)
}

func (v SADB) phase2Event(kind SADBKind, sa *Phase2SA, p1 *Phase1SA) *SADBEvent {
	local, remote := v.outer(sa, p1)
	return &SADBEvent{Kind: kind, Protocol: sa.Proposal.Protocol, Phase2: withoutPhase2Keys(sa),
		Local: local, Remote: remote}
}

// manualChanged records the ADD, UPDATE or DELETE of a manual SA.
func (v SADB) manualChanged(kind SADBKind, sa *ManualSA) error {
	var deadlines []time.Time
	for _, secs := range []uint32{sa.SoftSecs, sa.HardSecs} {
		if kind != SADBDelete && secs != 0 {
			deadlines = append(deadlines, sa.Added.Add(time.Duration(secs)*time.Second))
		}
	}
	e := &SADBEvent{Kind: kind, Protocol: sa.Protocol, Manual: withoutManualKeys(sa)}
	return v.record(e, fromSender, deadlines...)
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
	e := &SADBEvent{Kind: SADBAcquire, Protocol: proto, Acquire: &AcquireRequest{Flow: t, Proposals: props}}
	return v.record(e, fromAcquire)
}

// Flush deletes the host's SAs of a protocol ("" for all) and records one
// FLUSH for them, as the kernel answers one.
func (v SADB) Flush(protocol string) error {
	if err := v.sweepNow(); err != nil {
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
	return v.record(&SADBEvent{Kind: SADBFlush, Protocol: protocol}, fromSender)
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
			local, remote := v.outer(sa, nil)
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
func (v SADB) outer(sa *Phase2SA, p1 *Phase1SA) (local, remote netip.Addr) {
	local, remote = sa.Local.First, sa.Remote.First
	if sa.Proposal.Encapsulate != "Tunnel" {
		return local, remote
	}
	// The negotiation's own phase 1 SA spares decoding the stored one.
	if p1 == nil || p1.CookieI != sa.CookieI || p1.CookieR != sa.CookieR || p1.Expired(v.h.tx.now) {
		var err error
		if p1, err = v.h.SAs().Phase1ByCookies(sa.CookieI, sa.CookieR); err != nil {
			p1 = nil
		}
	}
	if p1 != nil {
		local, remote = p1.Local.First, p1.Remote.First
	}
	return local, remote
}

// sadbStateCodec keeps sadbState in 24 bytes: the two times in
// nanoseconds (0: none), the two sequence numbers.
type sadbStateCodec struct{}

func (sadbStateCodec) encode(st *sadbState) ([]byte, error) {
	b := make([]byte, 24)
	binary.BigEndian.PutUint64(b, uint64(unixNano(st.Upto)))
	binary.BigEndian.PutUint64(b[8:], uint64(unixNano(st.Next)))
	binary.BigEndian.PutUint32(b[16:], st.Seq)
	binary.BigEndian.PutUint32(b[20:], st.AcquireSeq)
	return b, nil
}

func (sadbStateCodec) decode(raw []byte) (*sadbState, error) {
	if len(raw) != 24 {
		return nil, errorf(ErrDamaged, "SADB state of %d bytes", len(raw))
	}
	return &sadbState{Upto: fromUnixNano(int64(binary.BigEndian.Uint64(raw))),
		Next: fromUnixNano(int64(binary.BigEndian.Uint64(raw[8:]))),
		Seq:  binary.BigEndian.Uint32(raw[16:]), AcquireSeq: binary.BigEndian.Uint32(raw[20:])}, nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
