package wire

import "time"

// Retransmit is how a side repeats its last message when no answer
// comes: first after Init, each wait doubling up to Max, at most Limit
// repeats before the exchange times out (in.iked's retry_timer_init,
// retry_timer_max, retry_limit).
type Retransmit struct {
	Init, Max time.Duration
	Limit     int
}

// DefaultRetransmit is in.iked's default: 0.5 s doubling to 30 s, 5 retries.
var DefaultRetransmit = Retransmit{Init: 500 * time.Millisecond, Max: 30 * time.Second, Limit: 5}

// next is the wait after d.
func (r Retransmit) next(d time.Duration) time.Duration {
	d *= 2
	if r.Max > 0 && d > r.Max {
		d = r.Max
	}
	return d
}

func (r Retransmit) first() time.Duration {
	if r.Init <= 0 {
		return DefaultRetransmit.Init
	}
	return r.Init
}
