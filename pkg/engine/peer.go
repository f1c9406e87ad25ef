package engine

import (
	"fmt"
	"net/netip"
	"sort"
)

// PeerBehavior is how an outside peer (an address no lab host owns)
// answers a negotiation.
type PeerBehavior string

const (
	PeerAccept         PeerBehavior = "accept"
	PeerNoResponse     PeerBehavior = "no-response"
	PeerRejectProposal PeerBehavior = "reject-proposal"
	PeerAuthFail       PeerBehavior = "auth-fail"
	// PeerWire is a real peer: negotiations go over UDP (wirepeer.go).
	PeerWire PeerBehavior = "wire"
)

// ParsePeerBehavior validates a behaviour name.
func ParsePeerBehavior(s string) (PeerBehavior, error) {
	switch b := PeerBehavior(s); b {
	case PeerAccept, PeerNoResponse, PeerRejectProposal, PeerAuthFail, PeerWire:
		return b, nil
	}
	return "", fmt.Errorf("unknown peer behavior %q (accept, no-response, reject-proposal, auth-fail, wire)", s)
}

const peersKey = "peers"

// OutsidePeer is one configured outside peer.
type OutsidePeer struct {
	Addr     netip.Addr   `json:"addr"`
	Behavior PeerBehavior `json:"behavior"`
}

func (t *Tx) peers() (map[netip.Addr]PeerBehavior, error) {
	m := map[netip.Addr]PeerBehavior{}
	_, err := peersRecord().get(t.st.Meta(), &m)
	return m, err
}

// PeerBehaviorOf returns the behaviour of an outside address (default accept).
func (t *Tx) PeerBehaviorOf(a netip.Addr) (PeerBehavior, error) {
	m, err := t.peers()
	if b, ok := m[a.Unmap()]; ok {
		return b, err
	}
	return PeerAccept, err
}

// SetPeer records an outside peer's behaviour.
func (t *Tx) SetPeer(a netip.Addr, b PeerBehavior) error {
	if owner, ok := t.HostByAddr(a); ok {
		return fmt.Errorf("%s belongs to lab host %s, which answers for itself", a, owner)
	}
	m, err := t.peers()
	if err != nil {
		return err
	}
	m[a.Unmap()] = b
	return peersRecord().put(t.st.Meta(), &m)
}

// RemovePeer forgets an outside peer (it answers "accept" again).
func (t *Tx) RemovePeer(a netip.Addr) error {
	m, err := t.peers()
	if err != nil {
		return err
	}
	if _, ok := m[a.Unmap()]; !ok {
		return fmt.Errorf("no outside peer %s", a)
	}
	delete(m, a.Unmap())
	return peersRecord().put(t.st.Meta(), &m)
}

// Peers lists the configured outside peers by address.
func (t *Tx) Peers() ([]OutsidePeer, error) {
	m, err := t.peers()
	out := make([]OutsidePeer, 0, len(m))
	for a, b := range m {
		out = append(out, OutsidePeer{a, b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr.Less(out[j].Addr) })
	return out, err
}
