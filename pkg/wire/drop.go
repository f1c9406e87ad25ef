package wire

import (
	"net/netip"

	"github.com/ikemu/ikemu/pkg/isakmp"
)

// DropKind says why a datagram was dropped.
type DropKind int

const (
	DropMalformed     DropKind = iota + 1 // no ISAKMP header
	DropUnknownCookie                     // cookies of no exchange or SA
	DropReplay                            // a message already handled, received again
	DropRefused                           // a message the exchange refused (Err says why)
)

// Drop is one dropped datagram, for whoever keeps the vendors' RX error
// counters: Header is zero for DropMalformed.
type Drop struct {
	Kind          DropKind
	Local, Remote netip.AddrPort
	Header        isakmp.Header
	Err           error
}

// dropper counts drops and tells the optional hook.
type dropper struct {
	c    *Counters
	hook func(Drop)
}

func (d dropper) drop(kind DropKind, local, remote netip.AddrPort, h isakmp.Header, err error) {
	switch kind {
	case DropMalformed:
		d.c.Malformed.Add(1)
	case DropUnknownCookie:
		d.c.UnknownCookie.Add(1)
	case DropReplay:
		d.c.Replays.Add(1)
	default:
		d.c.Refused.Add(1)
	}
	if d.hook != nil {
		d.hook(Drop{Kind: kind, Local: local, Remote: remote, Header: h, Err: err})
	}
}
