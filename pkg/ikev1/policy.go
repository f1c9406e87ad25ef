package ikev1

import (
	"net/netip"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// Authenticator is one end's credentials, asked when the exchange needs
// them. A callback that returns a *Failure (see Refuse) makes the end
// refuse with that notify and reason; any other error is a local fault.
type Authenticator interface {
	// PresharedKey returns the key this end shares with the peer at addr;
	// id is the peer's identity when it is known at that point
	// (Aggressive Mode), nil otherwise. No key: nil, nil.
	PresharedKey(addr netip.Addr, id *isakmp.ID) ([]byte, error)
	// Identity is what this end sends to prove who it is under method m.
	Identity(m ikealg.AuthMethod) (*Identity, error)
	// VerifyPeer checks the peer's identity, certificates and its
	// signature sig of hash (signature methods only).
	VerifyPeer(m ikealg.AuthMethod, id isakmp.ID, certs [][]byte, hash, sig []byte) error
}

// Identity is an end's identification payload and, for signature
// authentication, its certificates (DER, sent in CERT payloads) and its
// signing function (PKCS#1 v1.5 over the raw hash, RFC 2409 section 5.1).
type Identity struct {
	ID    isakmp.ID
	Certs [][]byte
	Sign  func(hash []byte) ([]byte, error)
}

// AddressIdentity is the ID_IPV4_ADDR/ID_IPV6_ADDR of a with protocol
// UDP and port 500, as phase 1 sends it.
func AddressIdentity(a netip.Addr) isakmp.ID {
	id := isakmp.IDFromAddr(a)
	id.Protocol, id.Port = 17, 500
	return id
}

// Terms are what a responder accepts for one phase 1.
type Terms struct {
	// Modes lists the exchanges accepted; empty accepts both.
	Modes []Mode
	// Choose picks from the initiator's offer; it returns the suite the
	// responder agrees to (lifetimes may be shortened) and the index of
	// the offered transform it answers. Nil: the first offered suite
	// equal to one of Suites.
	Choose   func(offer []Suite) (Suite, int, bool)
	Suites   []Suite
	NonceLen int
	Auth     Authenticator
}

func (t *Terms) accepts(m Mode) bool {
	if len(t.Modes) == 0 {
		return true
	}
	for _, x := range t.Modes {
		if x == m {
			return true
		}
	}
	return false
}

func (t *Terms) choose(offer []Suite) (Suite, int, bool) {
	if t.Choose != nil {
		return t.Choose(offer)
	}
	for i, o := range offer {
		for _, s := range t.Suites {
			if o.SameAlgorithms(s) {
				return o, i, true
			}
		}
	}
	return Suite{}, 0, false
}

// ResponderPolicy is what a responder asks its owner about a phase 1
// from remote to local. Nil terms refuse with NO-PROPOSAL-CHOSEN.
type ResponderPolicy interface {
	Phase1Terms(local, remote netip.Addr) (*Terms, error)
}
