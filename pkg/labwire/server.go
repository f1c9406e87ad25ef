package labwire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/wire"
)

// ServeConfig is what `ikemu serve` serves: the named hosts (none: every
// host of the lab) on UDP port Port (0: 500); Log gets one line per
// exchange and per bound address.
type ServeConfig struct {
	Hosts []string
	Port  uint16
	Log   func(string)
	// Daemon is the served hosts' IKE daemon (in.iked): it rereads its
	// configuration on each value from Reload (SIGHUP), and stops when
	// the serving ends.
	Daemon engine.DaemonDriver
	Reload <-chan os.Signal
}

// Serve binds every served host's address that exists in this network
// namespace and answers wire peers until ctx ends. Meanwhile this
// process is the served hosts' daemons' process (claim); when it ends,
// they stop.
func Serve(ctx context.Context, l *lab.Lab, cfg ServeConfig) error {
	if cfg.Port == 0 {
		cfg.Port = engine.DefaultWirePort
	}
	owners, timers, err := served(l, cfg.Hosts)
	if err != nil {
		return err
	}
	present, err := localAddrs()
	if err != nil {
		return err
	}
	var binds []netip.AddrPort
	for a := range owners {
		if present[a] {
			binds = append(binds, netip.AddrPortFrom(a, cfg.Port))
		}
	}
	if len(binds) == 0 {
		return errors.New("no address of the served hosts exists in this network namespace")
	}
	slices.SortFunc(binds, func(a, b netip.AddrPort) int { return a.Compare(b) })
	s := &server{l: l, owners: owners, hosts: boundHosts(owners, binds), log: cfg.Log, daemon: cfg.Daemon}
	if err := s.claim(); err != nil {
		return err
	}
	srv, err := wire.Listen(binds, s.factory, func(a netip.Addr) wire.Retransmit { return timers[owners[a]] }, s.ended)
	if err != nil {
		s.release()
		return err
	}
	srv.Dropped = func(d wire.Drop) { s.drops.add(owners[d.Local.Addr()], d) }
	for _, a := range srv.Addrs() {
		s.logf("%s: listening on %s", owners[a.Addr()], a)
	}
	s.logf("process %d: SIGHUP rereads the configuration, SIGINT or SIGTERM stops", os.Getpid())
	sweepCtx, stopSweep := context.WithCancel(ctx)
	var background sync.WaitGroup
	background.Go(func() { s.sweep(sweepCtx, srv, cfg.Port) })
	background.Go(func() { s.reloads(sweepCtx, cfg.Reload) })
	err = srv.Serve(ctx)
	stopSweep()
	background.Wait()
	s.flushDrops()
	err = errors.Join(err, s.stopDaemons())
	c := &srv.Counters
	s.logf("stopped: %d received, %d RX errors (%d malformed, %d unknown cookies, %d refused), %d replays, %d retransmitted",
		c.Received.Load(), c.RXErrors(), c.Malformed.Load(), c.UnknownCookie.Load(), c.Refused.Load(),
		c.Replays.Load(), c.Retransmits.Load())
	return err
}

// served maps each served address to its host, with each host's timers.
func served(l *lab.Lab, names []string) (map[netip.Addr]string, map[string]wire.Retransmit, error) {
	owners := map[netip.Addr]string{}
	timers := map[string]wire.Retransmit{}
	err := l.View(func(tx *engine.Tx) error {
		hosts, err := tx.Hosts()
		if err != nil {
			return err
		}
		for _, n := range names {
			if !slices.ContainsFunc(hosts, func(h engine.HostInfo) bool { return h.Name == n }) {
				return fmt.Errorf("no host %q in the lab", n)
			}
		}
		for _, info := range hosts {
			if len(names) > 0 && !slices.Contains(names, info.Name) {
				continue
			}
			h, err := tx.Host(info.Name)
			if err != nil {
				return err
			}
			if timers[info.Name], err = timersOf(h, false); err != nil {
				return err
			}
			for _, a := range info.Addrs {
				owners[a.Unmap()] = info.Name
			}
		}
		return nil
	})
	return owners, timers, err
}

// localAddrs are the addresses of this network namespace's interfaces.
func localAddrs() (map[netip.Addr]bool, error) {
	as, err := net.InterfaceAddrs()
	if err != nil {
		return nil, fmt.Errorf("interface addresses: %w", err)
	}
	m := map[netip.Addr]bool{}
	for _, a := range as {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			m[p.Addr().Unmap()] = true
		}
	}
	return m, nil
}

type server struct {
	l      *lab.Lab
	owners map[netip.Addr]string
	// hosts are the served hosts, those with a bound address, in name
	// order; me is this process as their records name it (zero: not
	// recorded).
	hosts  []string
	me     engine.ServingProcess
	daemon engine.DaemonDriver
	log    func(string)
	drops  dropTally
}

// boundHosts are the hosts owning a bound address, in name order.
func boundHosts(owners map[netip.Addr]string, binds []netip.AddrPort) []string {
	var hosts []string
	for _, b := range binds {
		if h := owners[b.Addr()]; !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	slices.Sort(hosts)
	return hosts
}

// reloads rereads the served hosts' configuration on each request until
// ctx ends.
func (s *server) reloads(ctx context.Context, req <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-req:
			s.reload()
		}
	}
}

// flushDrops records the drops gathered since the last flush.
func (s *server) flushDrops() {
	if err := s.drops.flush(s.l); err != nil {
		s.logf("recording dropped datagrams: %v", err)
	}
}

func (s *server) logf(format string, args ...any) {
	if s.log != nil {
		s.log(fmt.Sprintf(format, args...))
	}
}

// factory answers a new phase 1 when the host's in.iked runs, and a
// Quick Mode or Informational exchange under one of its wire SAs; other
// cookies are unknown.
func (s *server) factory(local, remote netip.AddrPort, h isakmp.Header, _ []byte) (wire.Exchange, error) {
	host := s.owners[local.Addr()]
	var (
		running bool
		sa      *ikev1.SA
		p1      *engine.Phase1SA
	)
	err := s.l.View(func(tx *engine.Tx) error {
		hh, err := tx.Host(host)
		if err != nil {
			return err
		}
		d, err := hh.Daemons().IKE()
		if err != nil {
			return err
		}
		running = d.Running
		if h.ResponderCookie != ([8]byte{}) {
			sa, p1, err = hh.WireSAOf(h)
		}
		return err
	})
	switch {
	case err != nil:
		return nil, err
	case !running:
		return nil, wire.ErrUnknownCookie
	case sa != nil:
		return underSA(s.l, host, h, sa, p1, remote)
	case h.ResponderCookie != [8]byte{} || h.MessageID != 0 ||
		(h.Exchange != isakmp.ExchangeMainMode && h.Exchange != isakmp.ExchangeAggressive):
		return nil, wire.ErrUnknownCookie
	}
	return newResponder(s.l, host, local, remote)
}

func (s *server) ended(e wire.Ended) {
	host := s.owners[e.Local.Addr()]
	mode := map[isakmp.ExchangeType]string{isakmp.ExchangeMainMode: "main mode", isakmp.ExchangeAggressive: "aggressive mode",
		isakmp.ExchangeQuickMode: "quick mode", isakmp.ExchangeInformational: "informational"}[e.Header.Exchange]
	x, _ := e.Exchange.(*responder)
	var te *wire.TimeoutError
	if errors.As(e.Err, &te) && x != nil {
		_ = s.l.Update(func(tx *engine.Tx) error {
			h, err := tx.Host(host)
			if err != nil {
				return err
			}
			return h.RecordWireResponderFailure(e.Remote.Addr(), e.Err)
		})
	}
	ms := e.Elapsed.Round(time.Millisecond)
	if e.Err != nil {
		s.logf("%s: %s from %s failed after %v: %v", host, mode, e.Remote, ms, e.Err)
		return
	}
	if x != nil && x.sa != nil {
		s.logf("%s: %s from %s established in %v, cookies 0x%016x 0x%016x", host, mode, e.Remote, ms, x.sa.CookieI, x.sa.CookieR)
		return
	}
	if q, ok := e.Exchange.(*quickResponder); ok && q.p2 != nil {
		s.logf("%s: %s from %s established in %v, SPIs 0x%08x in, 0x%08x out", host, mode, e.Remote, ms, q.p2.SPIIn, q.p2.SPIOut)
		return
	}
	if i, ok := e.Exchange.(*informational); ok && i.deleted {
		s.logf("%s: %s from %s deleted phase 1 SA 0x%016x 0x%016x", host, mode, e.Remote, cookie64(i.sa.CookieI), cookie64(i.sa.CookieR))
		return
	}
	s.logf("%s: %s from %s ended in %v", host, mode, e.Remote, ms)
}
