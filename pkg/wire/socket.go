package wire

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// maxDatagram is the largest message read: an IPv4 UDP payload, so no
// datagram is ever truncated into something else.
const maxDatagram = 65535

// soReusePort is Linux's SO_REUSEPORT (absent from package syscall).
const soReusePort = 0xf

func reusePort(_, _ string, c syscall.RawConn) error {
	var serr error
	if err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, soReusePort, 1)
	}); err != nil {
		return err
	}
	return serr
}

// listen binds local with SO_REUSEPORT.
func listen(local netip.AddrPort) (*net.UDPConn, error) {
	lc := net.ListenConfig{Control: reusePort}
	pc, err := lc.ListenPacket(context.Background(), "udp", local.String())
	if err != nil {
		return nil, fmt.Errorf("bind %s: %w", local, err)
	}
	return pc.(*net.UDPConn), nil
}

// dial binds local with SO_REUSEPORT and connects to peer.
func dial(local, peer netip.AddrPort) (*net.UDPConn, error) {
	d := net.Dialer{LocalAddr: net.UDPAddrFromAddrPort(local), Control: reusePort}
	c, err := d.Dial("udp", peer.String())
	if err != nil {
		return nil, fmt.Errorf("bind %s toward %s: %w", local, peer, err)
	}
	return c.(*net.UDPConn), nil
}
