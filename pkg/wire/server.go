package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/ikemu/ikemu/pkg/isakmp"
)

// ErrUnknownCookie is what a ResponderFactory returns for a message that
// starts no exchange and belongs to no SA it knows: dropped and counted.
var ErrUnknownCookie = errors.New("unknown cookies")

// ResponderFactory makes the Exchange that answers a message no running
// exchange of the Server claims (a new Main Mode, a Quick Mode or an
// Informational under an SA). It may return ErrUnknownCookie; any other
// error counts the message as refused.
type ResponderFactory func(local, remote netip.AddrPort, h isakmp.Header, msg []byte) (Exchange, error)

// Ended is one finished exchange, as the Server's log callback gets it.
type Ended struct {
	Local, Remote netip.AddrPort
	Header        isakmp.Header // of the exchange's first message
	Exchange      Exchange
	Err           error // nil: the exchange succeeded
	Elapsed       time.Duration
}

// Server answers peers on local addresses.
type Server struct {
	conns    []*net.UDPConn
	factory  ResponderFactory
	timers   func(local netip.Addr) Retransmit
	ended    func(Ended)
	sessions map[sessionKey]*session
	Counters Counters
	// Dropped, when set before Serve, hears of every dropped datagram
	// (from Serve's goroutine).
	Dropped func(Drop)
}

// linger is how long a finished exchange stays to answer a repeat of its
// last message (the peer lost our final reply).
const linger = 30 * time.Second

type sessionKey struct {
	local, remote netip.AddrPort
	icookie       [8]byte
	msgID         uint32
}

type session struct {
	ex        Exchange
	first     isakmp.Header
	started   time.Time
	seen      [][]byte
	last      []byte // our last message, nil before any
	wait      time.Duration
	retries   int
	deadline  time.Time // of the next retransmission, or of the linger when done
	done      bool
	conn      *net.UDPConn
	timers    Retransmit
	endReport bool
}

// Listen binds every address of locals (with SO_REUSEPORT). factory makes
// responders, timers gives each local address's retransmission policy,
// ended (may be nil) hears of each finished exchange.
func Listen(locals []netip.AddrPort, factory ResponderFactory, timers func(netip.Addr) Retransmit, ended func(Ended)) (*Server, error) {
	s := &Server{factory: factory, timers: timers, ended: ended, sessions: map[sessionKey]*session{}}
	for _, a := range locals {
		c, err := listen(a)
		if err != nil {
			s.close()
			return nil, err
		}
		s.conns = append(s.conns, c)
	}
	return s, nil
}

// Addrs are the bound addresses.
func (s *Server) Addrs() []netip.AddrPort {
	out := make([]netip.AddrPort, len(s.conns))
	for i, c := range s.conns {
		out[i] = c.LocalAddr().(*net.UDPAddr).AddrPort()
	}
	return out
}

func (s *Server) close() {
	for _, c := range s.conns {
		_ = c.Close()
	}
}

type datagram struct {
	conn *net.UDPConn
	from netip.AddrPort
	b    []byte
}

// tick is how often timers are looked at.
const tick = 50 * time.Millisecond

// Serve answers until ctx ends, then closes the sockets and returns nil.
func (s *Server) Serve(ctx context.Context) error {
	in := make(chan datagram, 64)
	var wg sync.WaitGroup
	for _, c := range s.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			read(c, in)
		}()
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	defer func() {
		s.close()
		wg.Wait()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case d := <-in:
			s.receive(d)
		case now := <-t.C:
			s.expire(now)
		}
	}
}

// read forwards datagrams until the socket closes.
func read(c *net.UDPConn, in chan<- datagram) {
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		in <- datagram{conn: c, from: from, b: bytes.Clone(buf[:n])}
	}
}

func (s *Server) receive(d datagram) {
	s.Counters.Received.Add(1)
	local := d.conn.LocalAddr().(*net.UDPAddr).AddrPort()
	drops := dropper{&s.Counters, s.Dropped}
	h, err := isakmp.DecodeHeader(d.b)
	if err != nil {
		drops.drop(DropMalformed, local, d.from, isakmp.Header{}, err)
		return
	}
	key := sessionKey{local: local, remote: d.from, icookie: h.InitiatorCookie, msgID: h.MessageID}
	ss, ok := s.sessions[key]
	if ok && containsMsg(ss.seen, d.b) {
		drops.drop(DropReplay, local, d.from, h, nil)
		if ss.last != nil {
			s.send(ss, d.from, ss.last)
			s.Counters.Retransmits.Add(1)
		}
		return
	}
	if ok && ss.done {
		drops.drop(DropRefused, local, d.from, h, nil)
		return
	}
	if !ok {
		ex, err := s.factory(local, d.from, h, d.b)
		if err != nil {
			kind := DropRefused
			if errors.Is(err, ErrUnknownCookie) {
				kind = DropUnknownCookie
			}
			drops.drop(kind, local, d.from, h, err)
			return
		}
		ss = &session{ex: ex, first: h, started: time.Now(), conn: d.conn, timers: s.timers(local.Addr())}
		s.sessions[key] = ss
	}
	reply, done, herr := ss.ex.Handle(d.b)
	if !done && herr != nil {
		drops.drop(DropRefused, local, d.from, h, herr)
		if len(ss.seen) == 0 && ss.last == nil {
			delete(s.sessions, key)
		}
		return
	}
	ss.seen = append(ss.seen, d.b)
	if reply != nil {
		s.send(ss, d.from, reply)
		ss.last = reply
		ss.wait, ss.retries = ss.timers.first(), 0
		ss.deadline = time.Now().Add(ss.wait)
	}
	if done {
		ss.done = true
		ss.deadline = time.Now().Add(linger)
		s.report(key, ss, herr)
	}
}

func (s *Server) send(ss *session, to netip.AddrPort, b []byte) {
	if _, err := ss.conn.WriteToUDPAddrPort(b, to); err == nil {
		s.Counters.Sent.Add(1)
	}
}

// expire retransmits what is due, times out exchanges past their limit
// and forgets finished ones past their linger.
func (s *Server) expire(now time.Time) {
	for key, ss := range s.sessions {
		if ss.deadline.IsZero() || now.Before(ss.deadline) {
			continue
		}
		if ss.done {
			delete(s.sessions, key)
			continue
		}
		if ss.retries >= ss.timers.Limit {
			delete(s.sessions, key)
			s.report(key, ss, &TimeoutError{Peer: key.remote, Retransmits: ss.retries})
			continue
		}
		ss.retries++
		s.send(ss, key.remote, ss.last)
		s.Counters.Retransmits.Add(1)
		ss.wait = ss.timers.next(ss.wait)
		ss.deadline = now.Add(ss.wait)
	}
}

func (s *Server) report(key sessionKey, ss *session, err error) {
	if ss.endReport || s.ended == nil {
		return
	}
	ss.endReport = true
	s.ended(Ended{Local: key.local, Remote: key.remote, Header: ss.first, Exchange: ss.ex, Err: err, Elapsed: time.Since(ss.started)})
}

// Send sends msg from the bound address local to remote outside any
// exchange (an Informational Delete, which nobody answers). It is safe
// beside Serve.
func (s *Server) Send(local, remote netip.AddrPort, msg []byte) error {
	for _, c := range s.conns {
		if c.LocalAddr().(*net.UDPAddr).AddrPort() == local {
			if _, err := c.WriteToUDPAddrPort(msg, remote); err != nil {
				return fmt.Errorf("send to %s: %w", remote, err)
			}
			s.Counters.Sent.Add(1)
			return nil
		}
	}
	return fmt.Errorf("%s is not bound", local)
}
