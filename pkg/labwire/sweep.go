package labwire

import (
	"context"
	"net/netip"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/wire"
)

// sweepEvery is how often ikemu serve looks for wire SAs that a command
// deleted (ikeadm del p1, flush p1, ike cmd=remove) or that expired.
const sweepEvery = 500 * time.Millisecond

// sweep records the drops gathered since the last sweep and tells each peer of an orphaned wire SA with an ISAKMP Delete,
// then drops the wire state; it runs until ctx ends. Deletes are sent
// by the running server because the vendor commands that remove an SA
// only change the lab: no command waits on the network for a Delete,
// which nobody answers.
func (s *server) sweep(ctx context.Context, srv *wire.Server, port uint16) {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.flushDrops()
			s.sweepOnce(srv, port)
		}
	}
}

func (s *server) sweepOnce(srv *wire.Server, port uint16) {
	hosts := map[string]bool{}
	for _, h := range s.owners {
		hosts[h] = true
	}
	for host := range hosts {
		var orphans []engine.WireState
		err := s.l.View(func(tx *engine.Tx) error {
			h, err := tx.Host(host)
			if err != nil {
				return err
			}
			orphans, err = h.OrphanWireSAs()
			return err
		})
		if err != nil {
			s.logf("%s: looking for deleted wire SAs: %v", host, err)
			continue
		}
		if len(orphans) == 0 {
			continue
		}
		for _, w := range orphans {
			local := netip.AddrPortFrom(w.SA.Local.Unmap(), port)
			if s.owners[local.Addr()] != host {
				continue // an address this server does not bind
			}
			msg, err := w.SA.DeleteMessage(wireEntropy)
			if err == nil {
				err = srv.Send(local, netip.AddrPortFrom(w.SA.Remote.Unmap(), uint16(w.Port)), msg)
			}
			if err != nil {
				s.logf("%s: Delete of phase 1 SA 0x%x 0x%x to %s: %v", host, cookie64(w.SA.CookieI), cookie64(w.SA.CookieR), w.SA.Remote, err)
			} else {
				s.logf("%s: sent Delete of phase 1 SA 0x%016x 0x%016x to %s", host, cookie64(w.SA.CookieI), cookie64(w.SA.CookieR), w.SA.Remote)
			}
		}
		_ = s.l.Update(func(tx *engine.Tx) error {
			h, err := tx.Host(host)
			if err != nil {
				return err
			}
			for _, w := range orphans {
				if err := h.DropWireSA(w.SA.CookieI, w.SA.CookieR); err != nil {
					return err
				}
			}
			return nil
		})
	}
}
