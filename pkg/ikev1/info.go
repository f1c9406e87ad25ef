package ikev1

import (
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/pkg/isakmp"
)

// Informational is what an informational exchange on an SA carried.
type Informational struct {
	MessageID uint32
	Deletes   []isakmp.Delete
	Notifies  []isakmp.Notify
}

// DeletesSA reports whether the message deletes this ISAKMP SA.
func (i *Informational) DeletesSA(sa *SA) bool {
	for _, d := range i.Deletes {
		if d.Protocol != isakmp.ProtocolISAKMP {
			continue
		}
		for _, spi := range d.SPIs {
			if string(spi) == string(sa.Cookies()) {
				return true
			}
		}
	}
	return false
}

// informational encrypts one informational message on sa with
// HASH(1) = prf(SKEYID_a, M-ID | N/D) (RFC 2409 section 5.7).
func (sa *SA) informational(e Entropy, p isakmp.Payload) ([]byte, error) {
	mid, err := e.MessageID()
	if err != nil {
		return nil, err
	}
	c, prf, err := sa.exchangeChain(mid)
	if err != nil {
		return nil, err
	}
	first, body, err := hashedBody(prf.Keyed(sa.SKEYIDa), [][]byte{midBytes(mid)}, []isakmp.Payload{p})
	if err != nil {
		return nil, err
	}
	return sealMessage(sa.header(isakmp.ExchangeInformational, mid), c, body, first)
}

// DeleteMessage is the Delete of this ISAKMP SA, to send to the peer.
func (sa *SA) DeleteMessage(e Entropy) ([]byte, error) {
	return sa.informational(e, isakmp.Delete{DOI: isakmp.DOIIPsec, Protocol: isakmp.ProtocolISAKMP,
		SPISize: 16, SPIs: [][]byte{sa.Cookies()}})
}

// DeletePhase2Message deletes IPsec SAs (the SPIs this end receives on).
func (sa *SA) DeletePhase2Message(e Entropy, proto isakmp.ProtocolID, spis ...uint32) ([]byte, error) {
	if len(spis) == 0 {
		return nil, errors.New("ikev1: delete without SPIs")
	}
	d := isakmp.Delete{DOI: isakmp.DOIIPsec, Protocol: proto, SPISize: 4}
	for _, s := range spis {
		d.SPIs = append(d.SPIs, spiBytes(s))
	}
	return sa.informational(e, d)
}

// NotifyMessage is an encrypted notify of type n about proto/spi (the
// ISAKMP SA itself when proto is PROTO_ISAKMP and spi nil).
func (sa *SA) NotifyMessage(e Entropy, n isakmp.NotifyType, proto isakmp.ProtocolID, spi []byte) ([]byte, error) {
	if proto == isakmp.ProtocolISAKMP && spi == nil {
		spi = sa.Cookies()
	}
	return sa.informational(e, isakmp.Notify{DOI: isakmp.DOIIPsec, Protocol: proto, SPI: spi, MessageType: n})
}

// ReadInformational decrypts an informational message on sa and checks
// its HASH(1); one in the clear is refused, since anyone could send it.
func (sa *SA) ReadInformational(msg []byte) (*Informational, error) {
	h, err := isakmp.DecodeHeader(msg)
	if err != nil {
		return nil, err
	}
	if h.Exchange != isakmp.ExchangeInformational {
		return nil, fmt.Errorf("ikev1: %v is not an informational exchange", h.Exchange)
	}
	if h.InitiatorCookie != sa.CookieI || h.ResponderCookie != sa.CookieR {
		return nil, errors.New("ikev1: informational message for other cookies")
	}
	if h.Flags&isakmp.FlagEncryption == 0 {
		return nil, errors.New("ikev1: informational message in the clear on an established SA")
	}
	c, prf, err := sa.exchangeChain(h.MessageID)
	if err != nil {
		return nil, err
	}
	ps, plainBody, _, err := openMessage(h, msg, c)
	if err != nil {
		return nil, err
	}
	if err := checkHashed(prf.Keyed(sa.SKEYIDa), [][]byte{midBytes(h.MessageID)}, h.NextPayload, plainBody, ps); err != nil {
		return nil, err
	}
	info := &Informational{MessageID: h.MessageID}
	for _, p := range ps[1:] {
		switch x := p.(type) {
		case *isakmp.Delete:
			info.Deletes = append(info.Deletes, *x)
		case *isakmp.Notify:
			info.Notifies = append(info.Notifies, *x)
		}
	}
	return info, nil
}
