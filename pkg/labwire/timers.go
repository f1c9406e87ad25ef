package labwire

import (
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/wire"
)

// timersOf is a host's retransmission policy: in.iked's defaults
// (retry_timer_init 0.5 s, retry_timer_max 30 s, retry_limit 5) with the
// host's configured retry_limit. AIX hosts share them: every lab host
// runs in.iked's configuration beside AIX's daemons, and AIX documents no
// IKE retransmission settings of its own.
func timersOf(h *engine.Host) (wire.Retransmit, error) {
	r := wire.Retransmit{Init: 500 * time.Millisecond, Max: 30 * time.Second, Limit: 5}
	g, err := h.Policies().Global()
	if err != nil {
		return r, err
	}
	if g.RetryLimit != 0 {
		r.Limit = int(g.RetryLimit)
	}
	return r, nil
}
