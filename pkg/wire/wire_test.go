package wire

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/isakmp"
)

// A two-message toy exchange: the initiator sends "ping", the responder
// answers "pong" (with its cookie), and the initiator is done. The
// transport only looks at headers, so this is enough to drive it.
type pingInit struct{ cookie [8]byte }

func (p *pingInit) Start() ([]byte, error) {
	return isakmp.EncodeWithBody(isakmp.Header{InitiatorCookie: p.cookie, Major: 1, Exchange: isakmp.ExchangeIdentityProtection}, []byte("ping"))
}

func (p *pingInit) Handle(msg []byte) ([]byte, bool, error) {
	if !bytes.HasSuffix(msg, []byte("pong")) {
		return nil, false, errors.New("not a pong")
	}
	return nil, true, nil
}

type pongResp struct{ handled *atomic.Int32 }

func (p *pongResp) Handle(msg []byte) ([]byte, bool, error) {
	p.handled.Add(1)
	h, _ := isakmp.DecodeHeader(msg)
	h.ResponderCookie = [8]byte{9, 9, 9, 9, 9, 9, 9, 9}
	h.NextPayload = 0
	out, err := isakmp.EncodeWithBody(h, []byte("pong"))
	return out, true, err
}

var fast = Retransmit{Init: 50 * time.Millisecond, Max: 200 * time.Millisecond, Limit: 3}

func loopback(port uint16) netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port)
}

// freePort finds a UDP port free on loopback.
func freePort(t *testing.T) uint16 {
	t.Helper()
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(loopback(0)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).AddrPort().Port()
}

func startServer(t *testing.T, addr netip.AddrPort, f ResponderFactory, ended func(Ended)) *Server {
	t.Helper()
	s, err := Listen([]netip.AddrPort{addr}, f, func(netip.Addr) Retransmit { return fast }, ended)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Serve(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return within 5s of its context ending")
		}
	})
	return s
}

func TestLinkAndServer(t *testing.T) {
	srvAddr, cliAddr := loopback(freePort(t)), loopback(freePort(t))
	var handled atomic.Int32
	endedc := make(chan Ended, 1)
	startServer(t, srvAddr, func(_, _ netip.AddrPort, h isakmp.Header, _ []byte) (Exchange, error) {
		return &pongResp{&handled}, nil
	}, func(e Ended) { endedc <- e })
	l, err := Dial(cliAddr, srvAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := l.Run(ctx, &pingInit{cookie: [8]byte{1}}, fast); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-endedc:
		if e.Err != nil || e.Remote != cliAddr {
			t.Errorf("ended %+v", e)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the server reported no finished exchange")
	}
}

// A silent peer: the Link retransmits Limit times, then times out.
func TestLinkTimesOut(t *testing.T) {
	silent, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(loopback(0)))
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	l, err := Dial(loopback(freePort(t)), silent.LocalAddr().(*net.UDPAddr).AddrPort())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	start := time.Now()
	err = l.Run(context.Background(), &pingInit{cookie: [8]byte{2}}, fast)
	var te *TimeoutError
	if !errors.As(err, &te) || te.Retransmits != fast.Limit {
		t.Fatalf("Run = %v, want a time-out after %d retransmissions", err, fast.Limit)
	}
	// 50 + 100 + 200 + 200 ms
	if el := time.Since(start); el < 500*time.Millisecond || el > 3*time.Second {
		t.Errorf("timed out after %v, want about 550ms", el)
	}
	if got := l.Counters.Retransmits.Load(); got != uint64(fast.Limit) {
		t.Errorf("retransmits %d", got)
	}
}

// Garbage, unknown cookies and replays reach the server's counters and
// nothing else; the server keeps answering.
func TestServerDropsGarbage(t *testing.T) {
	srvAddr := loopback(freePort(t))
	var handled atomic.Int32
	s := startServer(t, srvAddr, func(_, _ netip.AddrPort, h isakmp.Header, msg []byte) (Exchange, error) {
		if !bytes.HasSuffix(msg, []byte("ping")) {
			return nil, ErrUnknownCookie
		}
		return &pongResp{&handled}, nil
	}, nil)
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(srvAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ping, _ := (&pingInit{cookie: [8]byte{3}}).Start()
	other, _ := isakmp.EncodeWithBody(isakmp.Header{InitiatorCookie: [8]byte{4}, Major: 1, Exchange: isakmp.ExchangeInformational}, []byte("what"))
	for _, b := range [][]byte{{1, 2, 3}, bytes.Repeat([]byte{0xff}, 40), other, ping, ping} {
		if _, err := c.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 100)
	for i := 0; i < 2; i++ { // the answer, and the answer again for the replay
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		n, err := c.Read(buf)
		if err != nil || !bytes.HasSuffix(buf[:n], []byte("pong")) {
			t.Fatalf("read %d: %q, %v", i, buf[:n], err)
		}
	}
	if handled.Load() != 1 {
		t.Errorf("the exchange handled %d messages, want 1", handled.Load())
	}
	if m, u, r := s.Counters.Malformed.Load(), s.Counters.UnknownCookie.Load(), s.Counters.Replays.Load(); m != 2 || u != 1 || r != 1 {
		t.Errorf("malformed %d, unknown %d, replays %d; want 2, 1, 1", m, u, r)
	}
}
