package wire

import "sync/atomic"

// Counters are what a Link or Server saw, for the statistics and the
// RX error lines of the vendors' views.
type Counters struct {
	Received      atomic.Uint64 // datagrams read
	Malformed     atomic.Uint64 // no ISAKMP header: dropped
	UnknownCookie atomic.Uint64 // cookies of no exchange or SA: dropped
	Replays       atomic.Uint64 // a message already handled, received again
	Refused       atomic.Uint64 // messages the exchange refused (bad hash, cannot decrypt...)
	Retransmits   atomic.Uint64 // messages this side sent again
	Sent          atomic.Uint64
}

// RXErrors is the sum of the receive-side errors.
func (c *Counters) RXErrors() uint64 {
	return c.Malformed.Load() + c.UnknownCookie.Load() + c.Refused.Load()
}
