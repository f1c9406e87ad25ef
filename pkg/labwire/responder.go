package labwire

import (
	"net/netip"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/lab"
)

// responder is one lab host answering one phase 1 from a wire peer: the
// host's terms are read when the first message asks for them, and the
// outcome is written when the exchange ends, each in its own short
// transaction.
type responder struct {
	l      *lab.Lab
	host   string
	remote netip.AddrPort
	r      *ikev1.Responder
	pol    *engine.Phase1Policy
	// After the end: what the log line tells.
	sa    *engine.Phase1SA
	ended error
}

func newResponder(l *lab.Lab, host string, local, remote netip.AddrPort) (*responder, error) {
	x := &responder{l: l, host: host, remote: remote}
	r, err := ikev1.NewResponder(ikev1.ResponderConfig{Local: local.Addr(), Remote: remote.Addr(),
		Entropy: wireEntropy, Policy: x})
	if err != nil {
		return nil, err
	}
	x.r = r
	return x, nil
}

// Phase1Terms is ikev1.ResponderPolicy: the host's terms, now.
func (x *responder) Phase1Terms(local, remote netip.Addr) (*ikev1.Terms, error) {
	var terms *ikev1.Terms
	err := x.l.View(func(tx *engine.Tx) error {
		h, err := tx.Host(x.host)
		if err != nil {
			return err
		}
		x.pol, terms, err = h.WireTerms(local, remote)
		return err
	})
	return terms, err
}

// Handle is wire.Exchange.
func (x *responder) Handle(msg []byte) ([]byte, bool, error) {
	reply, done, err := x.r.Handle(msg)
	if !done {
		return reply, done, err
	}
	x.ended = err
	werr := x.l.Update(func(tx *engine.Tx) error {
		h, herr := tx.Host(x.host)
		if herr != nil {
			return herr
		}
		if err != nil {
			return h.RecordWireResponderFailure(x.remote.Addr(), err)
		}
		x.sa, herr = h.RecordWirePhase1(x.r.SA(), x.pol, int(x.remote.Port()))
		return herr
	})
	if err == nil && werr != nil {
		x.ended = werr
		return reply, true, werr
	}
	return reply, true, err
}
