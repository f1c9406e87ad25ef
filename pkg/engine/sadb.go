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
// Expiry is not recorded: lifetimes run out on the lab clock while no
// transaction runs, so Expiries computes them for a span of lab time.
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

// record appends an event and drops the one that falls out of the
// retained span.
func (v SADB) record(e *SADBEvent) error {
	rows := sadbEvents()
	t, err := rows.create(v.h)
	if err != nil {
		return err
	}
	e.At = v.h.tx.now
	s, err := rows.append(t, e)
	if err != nil || s <= sadbRetention {
		return err
	}
	return t.DeleteRow(s - sadbRetention)
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

// phase2Added records what in.iked's kernel tells of a new pair: the
// inbound SPI reserved (GETSPI), made mature (UPDATE), the outbound SA
// added (ADD).
func (v SADB) phase2Added(sa *Phase2SA) error {
	local, remote := v.outer(sa)
	bare := withoutPhase2Keys(sa)
	for _, k := range []struct {
		kind    SADBKind
		inbound bool
	}{{SADBGetSPI, true}, {SADBUpdate, true}, {SADBAdd, false}} {
		from, err := v.sender()
		if err != nil {
			return err
		}
		e := &SADBEvent{Kind: k.kind, Protocol: sa.Proposal.Protocol, PID: from.PID, Seq: from.Seq,
			Phase2: bare, Inbound: k.inbound, Local: local, Remote: remote}
		if err := v.record(e); err != nil {
			return err
		}
	}
	return nil
}

// phase2Deleted records the DELETE of each direction of a pair.
func (v SADB) phase2Deleted(sa *Phase2SA) error {
	local, remote := v.outer(sa)
	bare := withoutPhase2Keys(sa)
	for _, inbound := range []bool{false, true} {
		from, err := v.sender()
		if err != nil {
			return err
		}
		e := &SADBEvent{Kind: SADBDelete, Protocol: sa.Proposal.Protocol, PID: from.PID, Seq: from.Seq,
			Phase2: bare, Inbound: inbound, Local: local, Remote: remote}
		if err := v.record(e); err != nil {
			return err
		}
	}
	return nil
}

// manualChanged records the ADD, UPDATE or DELETE of a manual SA.
func (v SADB) manualChanged(kind SADBKind, sa *ManualSA) error {
	from, err := v.sender()
	if err != nil {
		return err
	}
	return v.record(&SADBEvent{Kind: kind, Protocol: sa.Protocol, PID: from.PID, Seq: from.Seq,
		Manual: withoutManualKeys(sa)})
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
// the host's SAs that ran out after from and no later than to (each
// direction of a pair on its own, soft before hard), and returns the
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
			bare := withoutPhase2Keys(sa)
			mk := func(inbound bool) *SADBEvent {
				return &SADBEvent{Kind: SADBExpire, Protocol: sa.Proposal.Protocol, Hard: true,
					Phase2: bare, Inbound: inbound, Local: local, Remote: remote}
			}
			return []*SADBEvent{mk(false), mk(true)}
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
