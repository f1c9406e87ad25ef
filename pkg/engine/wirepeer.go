package engine

import "net/netip"

// wirePortsKey holds the UDP port of each outside peer that behaves
// "wire" (default 500), beside the behaviours themselves.
const wirePortsKey = "wire_ports"

// DefaultWirePort is IKE's port.
const DefaultWirePort = 500

func (t *Tx) wirePorts() (map[netip.Addr]uint16, error) {
	m := map[netip.Addr]uint16{}
	_, err := wirePortsRecord().get(t.st.Meta(), &m)
	return m, err
}

// SetWirePeer makes a a real peer reached at UDP port (0: 500).
func (t *Tx) SetWirePeer(a netip.Addr, port uint16) error {
	if err := t.SetPeer(a, PeerWire); err != nil {
		return err
	}
	m, err := t.wirePorts()
	if err != nil {
		return err
	}
	if port == 0 || port == DefaultWirePort {
		delete(m, a.Unmap())
	} else {
		m[a.Unmap()] = port
	}
	return wirePortsRecord().put(t.st.Meta(), &m)
}

// WirePeer reports whether a is a wire peer, and its port.
func (t *Tx) WirePeer(a netip.Addr) (netip.AddrPort, bool, error) {
	b, err := t.PeerBehaviorOf(a)
	if err != nil || b != PeerWire {
		return netip.AddrPort{}, false, err
	}
	m, err := t.wirePorts()
	port := uint16(DefaultWirePort)
	if p, ok := m[a.Unmap()]; ok {
		port = p
	}
	return netip.AddrPortFrom(a.Unmap(), port), true, err
}
