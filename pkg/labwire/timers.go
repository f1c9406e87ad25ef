package labwire

import (
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/wire"
)

// timersOf is a host's retransmission policy as in.iked runs it: its
// defaults (retry_timer_init 0.5 s, retry_timer_max 30 s, retry_limit 5)
// with whatever the host's ike.config sets. aix asks for AIX's isakmpd
// instead, which reads no ike.config and documents no IKE retransmission
// settings of its own: the defaults alone.
func timersOf(h *engine.Host, aix bool) (wire.Retransmit, error) {
	r := wire.DefaultRetransmit
	if aix {
		return r, nil
	}
	g, err := h.Policies().Global()
	if err != nil {
		return r, err
	}
	if g.RetryLimit != 0 {
		r.Limit = int(g.RetryLimit)
	}
	if g.RetryTimerInit > 0 {
		r.Init = g.RetryTimerInit
	}
	if g.RetryTimerMax > 0 {
		r.Max = g.RetryTimerMax
	}
	if r.Max < r.Init {
		// A maximum below the first wait would shorten the later ones.
		r.Max = r.Init
	}
	return r, nil
}
