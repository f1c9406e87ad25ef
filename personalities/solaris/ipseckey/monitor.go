package ipseckey

import (
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// monitorPoll is how often a monitor looks at the host's SADB events.
// Each look is one short read-only transaction, so writers never wait
// on it.
const monitorPoll = 100 * time.Millisecond

// satypePromisc is the SA type field of SADB_X_PROMISC's request: 1
// turns promiscuous mode on (no SA type has that number).
const satypePromisc = 1

// monitorStop is why a monitor ended: its input ended (sig nil), or a
// signal came.
type monitorStop struct{ sig os.Signal }

// monitorMain is "ipseckey monitor" (or pmonitor) from the command line.
// The vendor's loop never ends by itself; this one stops at the end of
// standard input (after printing what the lab recorded until then, exit
// 0), or on SIGINT ("Bailing on signal 2.", exit 2, as monitor_catch's
// errx), SIGTERM or SIGHUP (the vendor dies of them: exit 128+signal,
// as a shell reports it).
func (s *session) monitorMain(passive bool) int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	eof := make(chan struct{})
	go func() {
		// Standard input is never read otherwise: drain it, in constant
		// memory, to see it end.
		_, _ = io.Copy(io.Discard, s.p.Stdin)
		close(eof)
	}()
	stop, err := s.monitor(passive, sigs, eof, nil)
	s.out.Flush()
	if err != nil {
		fmt.Fprintf(s.errw, "ipseckey: read (in domonitor): %v\n", err)
		return 1
	}
	return exitFor(stop, s.errw)
}

// exitFor is how a non-interactive monitor leaves.
func exitFor(stop monitorStop, errw io.Writer) int {
	sig, ok := stop.sig.(syscall.Signal)
	switch {
	case stop.sig == nil:
		return 0
	case ok && sig == syscall.SIGINT:
		fmt.Fprintf(errw, "ipseckey: Bailing on signal %d.\n", int(sig))
		return int(sig)
	case ok:
		return 128 + int(sig)
	}
	return 1
}

// monitor is domonitor: the banner (and, active, the echo of its
// SADB_X_PROMISC request), then, as "Read N bytes." and print_samsg with
// a timestamp, each SADB event of the host recorded after it started and
// each lifetime that runs out on the lab clock meanwhile. It returns at
// the first signal, or once input ends (eof closed, or feed's end of
// input) after one last look.
func (s *session) monitor(passive bool, sigs <-chan os.Signal, eof <-chan struct{}, feed *lineFeed) (monitorStop, error) {
	f := &follower{s: s, passive: passive,
		pr: &printer{nflag: s.nflag, pflag: s.pflag}}
	if err := f.start(); err != nil {
		return monitorStop{}, err
	}
	if passive {
		s.out.WriteString("Passively monitoring the PF_KEY socket.\n")
	} else {
		s.out.WriteString("Actively monitoring the PF_KEY socket.\n")
		f.promisc()
	}
	if err := s.out.Flush(); err != nil {
		return monitorStop{}, err
	}
	tick := time.NewTicker(monitorPoll)
	defer tick.Stop()
	for {
		if feed.ended() {
			return monitorStop{}, f.poll()
		}
		select {
		case sig := <-sigs:
			return monitorStop{sig: sig}, nil
		case <-eof:
			return monitorStop{}, f.poll()
		case l := <-feed.ready():
			feed.keep(l)
		case <-tick.C:
			if err := f.poll(); err != nil {
				return monitorStop{}, err
			}
		}
	}
}

// follower is a monitor's place in the host's SADB events: the last
// event it printed, the lab time it last looked at (every expiry up to
// it printed, from the table or computed), and the next deadline of an
// SA lifetime after that.
type follower struct {
	s       *session
	passive bool
	pr      *printer
	last    uint64
	seen    time.Time
	next    time.Time
	buf     []byte
}

// start takes the newest event and the lab clock as the monitor's
// starting point: it shows only what happens after.
func (f *follower) start() error {
	return f.s.l.HostView(func(h *engine.Host) error {
		var err error
		if f.last, err = h.SADB().Last(); err != nil {
			return err
		}
		f.seen = h.Tx().Now()
		f.pr.now = f.seen
		f.next, err = h.SADB().Expiries(f.seen, f.seen, func(*engine.SADBEvent) error { return nil })
		return err
	})
}

// promisc prints the kernel's echo of the monitor's SADB_X_PROMISC,
// its first message (seq 1 from the command line, the session's next
// number in interactive mode).
func (f *follower) promisc() {
	f.s.seq++
	m := samsg{kind: "X_PROMISC", satype: satypePromisc, seq: f.s.seq, pid: os.Getpid()}
	f.buf = f.pr.writeMsg(f.buf[:0], &m)
	f.s.out.Write(f.buf)
}

// poll prints what happened since the last look, in lab-time order.
func (f *follower) poll() error {
	var msgs []*engine.SADBEvent
	err := f.s.l.HostView(func(h *engine.Host) error {
		now := h.Tx().Now()
		f.pr.now = now
		f.pr.names = func(a netip.Addr) (string, bool) { return h.Tx().HostByAddr(a) }
		fresh := false
		err := h.SADB().Since(f.last, func(n uint64, e *engine.SADBEvent) error {
			f.last, fresh = n, true
			// An expiry recorded late that this monitor computed already.
			if e.Kind != engine.SADBExpire || e.At.After(f.seen) {
				msgs = append(msgs, e)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if now.Before(f.seen) {
			f.seen = now // the clock was set back
		}
		swept, err := h.SADB().Swept()
		if err != nil {
			return err
		}
		if fresh || (!f.next.IsZero() && !now.Before(f.next)) {
			f.next, err = h.SADB().Expiries(later(f.seen, swept), now, func(e *engine.SADBEvent) error {
				msgs = append(msgs, e)
				return nil
			})
		}
		f.seen = now
		if err != nil {
			return err
		}
		slices.SortStableFunc(msgs, func(a, b *engine.SADBEvent) int { return a.At.Compare(b.At) })
		for _, e := range msgs {
			for _, m := range messagesOf(e) {
				if !f.shows(&m) {
					continue
				}
				f.buf = f.pr.writeMsg(f.buf[:0], &m)
				if _, err := f.s.out.Write(f.buf); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return f.s.out.Flush()
}

// shows reports whether the monitor's socket gets the event's message: a
// passive socket only those the kernel sends every socket, not the
// replies to in.iked's GETSPI nor the ACQUIREs for registered sockets.
func (f *follower) shows(m *samsg) bool {
	return !f.passive || (m.kind != "GETSPI" && m.kind != "ACQUIRE")
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
