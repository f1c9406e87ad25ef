package engine

import (
	"net/netip"
	"time"
)

// SADBKind is what happened to a host's SADB, in PF_KEY's terms (RFC
// 2367): the message the kernel sends its PF_KEY sockets about it.
type SADBKind string

const (
	SADBUpdate  SADBKind = "update"  // an SA was replaced
	SADBAdd     SADBKind = "add"     // an SA (or a negotiated pair) was added
	SADBDelete  SADBKind = "delete"  // an SA was deleted
	SADBFlush   SADBKind = "flush"   // every SA of a type was deleted
	SADBExpire  SADBKind = "expire"  // an SA's soft or hard lifetime ran out
	SADBAcquire SADBKind = "acquire" // outbound traffic needs an SA
)

// SADBEvent is one change of a host's SADB as the kernel reports it to
// its PF_KEY sockets: who asked for it (PID and Seq, as the request
// carried them; 0 for the kernel's own), when (lab clock), and the SA,
// or the flow an ACQUIRE asks an SA for. Keys are never kept: the
// messages the kernel sends all sockets carry none.
type SADBEvent struct {
	Kind     SADBKind  `json:"kind"`
	Protocol string    `json:"protocol,omitempty"` // "ESP" or "AH"; "" for all types (flush)
	Seq      uint32    `json:"seq"`
	PID      int       `json:"pid"`
	At       time.Time `json:"at"`
	// Phase2 is a negotiated pair, both directions in one event, between
	// the outer addresses Local and Remote.
	Phase2 *Phase2SA  `json:"phase2,omitempty"`
	Local  netip.Addr `json:"local,omitzero"`
	Remote netip.Addr `json:"remote,omitzero"`
	Manual *ManualSA  `json:"manual,omitempty"`
	// Hard tells an expire's hard lifetime from its soft one.
	Hard    bool            `json:"hard,omitempty"`
	Acquire *AcquireRequest `json:"acquire,omitempty"`
}

// AcquireRequest is what an ACQUIRE asks for: an SA for the flow, with one
// of the proposals the policy allows.
type AcquireRequest struct {
	Flow      Traffic    `json:"flow"`
	Proposals []Proposal `json:"proposals"`
}

// withoutPhase2Keys and withoutManualKeys copy an SA for an event,
// keys left out.
func withoutPhase2Keys(sa *Phase2SA) *Phase2SA {
	c := *sa
	c.Keys = Phase2Keys{}
	return &c
}

func withoutManualKeys(sa *ManualSA) *ManualSA {
	c := *sa
	c.AuthKey, c.EncKey = nil, nil
	return &c
}
