package engine

import (
	"fmt"
	"net/netip"
	"time"
)

// EventKind says what happened on a host.
type EventKind int

const (
	// EventDiagnostic is a daemon's own account of what it is doing or
	// why something failed, in the engine's words, under a debug category.
	EventDiagnostic EventKind = iota + 1
	// EventNote is a line a personality has its vendor's daemon log;
	// only that vendor's log renders it.
	EventNote
	EventPhase1Initiated   // Local, Remote, Rule
	EventProposalSelected  // Xform
	EventPhase1Established // Local, Remote, Initiator, cookies
	EventPhase1Failed      // Remote, Initiator, Failure, Detail
	EventPhase2Established // LocalRange, RemoteRange, Tunnel, SPIs
)

// Event is one thing that happened on a host during a transaction. The
// engine collects events in order; each personality renders them in its
// vendor's words (in.iked's debug file, AIX's syslog) after the
// transaction ends, with the daemons' logging state as it was when the
// event happened.
type Event struct {
	Host string
	Time time.Time
	Kind EventKind
	// Category is the debug category the event falls in (Debug*).
	Category uint32
	// Level and Program place a note in AIX's syslog.
	Level   SyslogLevel
	Program string
	// Vendor names the personality that wrote a note.
	Vendor string
	// Detail is a diagnostic's or a note's text, or a failure's reason.
	Detail string

	Local, Remote           netip.Addr
	LocalRange, RemoteRange AddrRange
	Initiator               bool
	CookieI, CookieR        uint64
	Rule                    string
	Xform                   Transform
	Failure                 FailureKind
	Tunnel                  uint32
	SPIIn, SPIOut           uint32

	// Log is the host's logging state when the event happened.
	Log *LogState
}

// ChangesState reports whether the event tells of a change that lands
// only when its transaction commits. Diagnostics, notes and failures
// are what a daemon says either way.
func (e *Event) ChangesState() bool {
	return e.Kind == EventPhase1Established || e.Kind == EventPhase2Established
}

// LogState is where and how much a host's daemons log: the IKE daemon's
// debug level and file, the syslog configuration, and the process ids
// lines carry.
type LogState struct {
	IKERunning bool
	IKEPID     int
	Debug      uint32
	DebugFile  string
	Syslog     SyslogConfig
	PIDs       map[string]int // SRC subsystems by name
}

// Events returns the events of the transaction so far, in order.
func (t *Tx) Events() []Event { return t.events }

// Emit records an event on the host, stamped with the lab time and the
// host's logging state. Personalities emit notes; the engine emits the
// rest.
func (h *Host) Emit(e Event) {
	e.Host, e.Time = h.Info.Name, h.tx.now
	st, err := h.logState()
	if err != nil {
		return // an unreadable daemon record logs nothing, as before
	}
	e.Log = st
	h.tx.events = append(h.tx.events, e)
}

// diag emits a diagnostic in category cat.
func (h *Host) diag(cat uint32, format string, args ...any) {
	h.Emit(Event{Kind: EventDiagnostic, Category: cat, Detail: fmt.Sprintf(format, args...)})
}

// logState is the host's logging state, read once per transaction and
// again only after the daemons' records change.
func (h *Host) logState() (*LogState, error) {
	if st, ok := h.tx.cache.logStates[h.Info.Name]; ok {
		return st, nil
	}
	d, err := h.Daemons().IKE()
	if err != nil {
		return nil, err
	}
	sl, err := h.Daemons().Syslog()
	if err != nil {
		return nil, err
	}
	subs, err := h.Daemons().Subsystems()
	if err != nil {
		return nil, err
	}
	// The daemons log under the process ids they are shown with: a
	// serving process's while one serves the host.
	pid, err := h.Daemons().ShownPID(d.PID)
	if err != nil {
		return nil, err
	}
	st := &LogState{IKERunning: d.Running, IKEPID: pid, Debug: d.Debug, DebugFile: d.DebugFile,
		Syslog: sl, PIDs: make(map[string]int, len(subs))}
	for name, s := range subs {
		if st.PIDs[name], err = h.Daemons().ShownPID(s.PID); err != nil {
			return nil, err
		}
	}
	if h.tx.cache.logStates == nil {
		h.tx.cache.logStates = map[string]*LogState{}
	}
	h.tx.cache.logStates[h.Info.Name] = st
	return st, nil
}
