package wire

import (
	"context"
	"fmt"
	"net"
	"net/netip"
)

// maxDatagram is the largest message read: an IPv4 UDP payload, so no
// datagram is ever truncated into something else.
const maxDatagram = 65535

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
