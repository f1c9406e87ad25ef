package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/ikemu/ikemu/pkg/isakmp"
)

// ErrTimeout: the peer never answered, after every retransmission.
var ErrTimeout = errors.New("no answer from peer")

// TimeoutError is ErrTimeout with how many times the last message went
// out again (in.iked counts them: "N time-out(s)").
type TimeoutError struct {
	Peer        netip.AddrPort
	Retransmits int
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("no answer from %s after %d retransmission(s)", e.Peer, e.Retransmits)
}

func (e *TimeoutError) Unwrap() error { return ErrTimeout }

// Link is one UDP path from a local address to one peer, for exchanges
// this side initiates.
type Link struct {
	conn     *net.UDPConn
	peer     netip.AddrPort
	Counters Counters
	// Dropped, when set, hears of every datagram Run drops.
	Dropped func(Drop)
}

// Dial opens a Link from local to peer (see the package comment on
// sharing the port with a Server).
func Dial(local, peer netip.AddrPort) (*Link, error) {
	c, err := dial(local, peer)
	if err != nil {
		return nil, err
	}
	return &Link{conn: c, peer: peer}, nil
}

// Close releases the socket.
func (l *Link) Close() error { return l.conn.Close() }

// Run runs ex from its first message to its end: it sends, waits with
// r's timers, retransmits, and hands each answer carrying ex's initiator
// cookie to ex. It returns ex's verdict, a *TimeoutError, or ctx's error.
func (l *Link) Run(ctx context.Context, ex Initiator, r Retransmit) error {
	first, err := ex.Start()
	if err != nil {
		return err
	}
	if len(first) < isakmp.HeaderLen {
		return fmt.Errorf("initiator's first message is %d bytes", len(first))
	}
	var icookie [8]byte
	copy(icookie[:], first)
	last := first
	if err := l.send(last); err != nil {
		return err
	}
	wait, retries := r.first(), 0
	deadline := time.Now().Add(wait)
	var seen [][]byte // messages already handled: a repeat is a replay
	drops := dropper{&l.Counters, l.Dropped}
	local := l.conn.LocalAddr().(*net.UDPAddr).AddrPort()
	buf := make([]byte, maxDatagram)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := l.conn.SetReadDeadline(earliest(deadline, ctx)); err != nil {
			return fmt.Errorf("read deadline: %w", err)
		}
		n, err := l.conn.Read(buf)
		if err != nil {
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				// ICMP unreachable and the like: the peer is not there yet;
				// keep to the timers as in.iked does.
				if time.Now().Before(deadline) {
					continue
				}
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if retries >= r.Limit {
				return &TimeoutError{Peer: l.peer, Retransmits: retries}
			}
			retries++
			if err := l.send(last); err != nil {
				return err
			}
			l.Counters.Retransmits.Add(1)
			wait = r.next(wait)
			deadline = time.Now().Add(wait)
			continue
		}
		l.Counters.Received.Add(1)
		msg := buf[:n]
		h, herr := isakmp.DecodeHeader(msg)
		if herr != nil && len(msg) < isakmp.HeaderLen {
			drops.drop(DropMalformed, local, l.peer, isakmp.Header{}, herr)
			continue
		}
		if h.InitiatorCookie != icookie {
			drops.drop(DropUnknownCookie, local, l.peer, h, nil)
			continue
		}
		if containsMsg(seen, msg) {
			// The peer did not get our last message: send it again.
			drops.drop(DropReplay, local, l.peer, h, nil)
			if err := l.send(last); err != nil {
				return err
			}
			l.Counters.Retransmits.Add(1)
			continue
		}
		msg = bytes.Clone(msg)
		reply, done, herr2 := ex.Handle(msg)
		if reply != nil {
			if err := l.send(reply); err != nil {
				return err
			}
		}
		if done {
			return herr2
		}
		if herr2 != nil {
			drops.drop(DropRefused, local, l.peer, h, herr2)
			continue
		}
		seen = append(seen, msg)
		if reply != nil {
			last = reply
			wait, retries = r.first(), 0
			deadline = time.Now().Add(wait)
		}
	}
}

func (l *Link) send(b []byte) error {
	if _, err := l.conn.Write(b); err != nil {
		return fmt.Errorf("send to %s: %w", l.peer, err)
	}
	l.Counters.Sent.Add(1)
	return nil
}

func earliest(t time.Time, ctx context.Context) time.Time {
	if d, ok := ctx.Deadline(); ok && d.Before(t) {
		return d
	}
	return t
}

func containsMsg(seen [][]byte, m []byte) bool {
	for _, s := range seen {
		if bytes.Equal(s, m) {
			return true
		}
	}
	return false
}
