package labwire

import (
	"net/netip"
	"slices"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/wire"
)

// quickResponder is a lab host answering a wire peer's Quick Mode under
// a phase 1 SA; the phase 2 SA is written when the exchange ends.
type quickResponder struct {
	l    *lab.Lab
	host string
	p1   *engine.Phase1SA
	q    *ikev1.QuickResponder
	p2   *engine.Phase2SA
}

func newQuickResponder(l *lab.Lab, host string, sa *ikev1.SA, p1 *engine.Phase1SA) (*quickResponder, error) {
	view := func(fn func(*engine.Host) error) error {
		return l.View(func(tx *engine.Tx) error {
			h, err := tx.Host(host)
			if err != nil {
				return err
			}
			return fn(h)
		})
	}
	q, err := ikev1.NewQuickResponder(ikev1.QuickResponderConfig{SA: sa, Policy: engine.WirePhase2Policy{View: view},
		Entropy: wireEntropy})
	if err != nil {
		return nil, err
	}
	return &quickResponder{l: l, host: host, p1: p1, q: q}, nil
}

// Handle is wire.Exchange.
func (x *quickResponder) Handle(msg []byte) ([]byte, bool, error) {
	reply, done, err := x.q.Handle(msg)
	if !done || err != nil {
		return reply, done, err
	}
	werr := x.l.Update(func(tx *engine.Tx) error {
		h, err := tx.Host(x.host)
		if err != nil {
			return err
		}
		x.p2, err = h.RecordWirePhase2(x.p1, x.q.Result())
		return err
	})
	return reply, true, werr
}

// informational is one Informational message of a wire peer under a
// phase 1 SA: a Delete of the SA removes it (and its wire state), a
// Delete of phase 2 SPIs removes those phase 2 SAs, notifies are noted.
type informational struct {
	l       *lab.Lab
	host    string
	sa      *ikev1.SA
	deleted bool
}

// Handle is wire.Exchange: a message that does not decrypt or whose
// hash is wrong is refused (and the exchange dropped).
func (x *informational) Handle(msg []byte) ([]byte, bool, error) {
	info, err := x.sa.ReadInformational(msg)
	if err != nil {
		return nil, false, err
	}
	var spis []uint32
	for _, d := range info.Deletes {
		if d.Protocol == isakmp.ProtocolESP || d.Protocol == isakmp.ProtocolAH {
			for _, s := range d.SPIs {
				if len(s) == 4 {
					spis = append(spis, uint32(s[0])<<24|uint32(s[1])<<16|uint32(s[2])<<8|uint32(s[3]))
				}
			}
		}
	}
	x.deleted = info.DeletesSA(x.sa)
	if !x.deleted && len(spis) == 0 {
		return nil, true, nil
	}
	err = x.l.Update(func(tx *engine.Tx) error {
		h, err := tx.Host(x.host)
		if err != nil {
			return err
		}
		if len(spis) > 0 {
			if _, err := h.SAs().DeletePhase2(func(p *engine.Phase2SA) bool {
				return slices.Contains(spis, p.SPIOut) || slices.Contains(spis, p.SPIIn)
			}); err != nil {
				return err
			}
		}
		if x.deleted {
			return h.ForgetWireSA(x.sa.CookieI, x.sa.CookieR)
		}
		return nil
	})
	return nil, true, err
}

// underSA makes the exchange answering a message under a known wire SA.
func underSA(l *lab.Lab, host string, h isakmp.Header, sa *ikev1.SA, p1 *engine.Phase1SA, remote netip.AddrPort) (wire.Exchange, error) {
	switch h.Exchange {
	case isakmp.ExchangeQuickMode:
		return newQuickResponder(l, host, sa, p1)
	case isakmp.ExchangeInformational:
		return &informational{l: l, host: host, sa: sa}, nil
	}
	return nil, errUnexpected{h.Exchange, remote}
}

type errUnexpected struct {
	x    isakmp.ExchangeType
	from netip.AddrPort
}

func (e errUnexpected) Error() string {
	return e.x.String() + " from " + e.from.String() + " under an established SA"
}

func cookie64(b [8]byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}
