package ikev1

import (
	"net/netip"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// SA is an established phase 1 (ISAKMP) SA as one end holds it: what the
// exchange agreed and derived, and the IV state phase 2 and informational
// exchanges start from. Every field is plain data, so an owner can keep
// it between datagrams or transactions.
type SA struct {
	Mode      Mode
	Initiator bool
	CookieI   [8]byte
	CookieR   [8]byte
	Suite     Suite
	Local     netip.Addr
	Remote    netip.Addr
	LocalID   isakmp.ID
	PeerID    isakmp.ID
	PeerCerts [][]byte
	PSK       []byte // preshared key authentication only

	SKEYID, SKEYIDd, SKEYIDa, SKEYIDe []byte
	EncKey                            []byte
	// IV is the IV of the first encrypted message, hash(g^xi | g^xr)
	// truncated (what in.iked shows as the SA's IV).
	IV []byte
	// LastBlock is the last ciphertext block of phase 1 (IV when no
	// phase 1 message was encrypted): the base of every phase 2 IV.
	LastBlock []byte
}

// Cookies is the 16-byte ISAKMP SPI: CKY-I | CKY-R.
func (sa *SA) Cookies() []byte {
	return append(append(make([]byte, 0, 16), sa.CookieI[:]...), sa.CookieR[:]...)
}

func (sa *SA) prf() (ikecrypto.PRF, error) { return ikecrypto.NewPRF(sa.Suite.Hash) }

// exchangeChain is the CBC state of a new exchange with message ID mid.
func (sa *SA) exchangeChain(mid uint32) (*ivChain, ikecrypto.PRF, error) {
	prf, err := sa.prf()
	if err != nil {
		return nil, prf, err
	}
	b, err := newBlock(sa.Suite.Cipher, sa.EncKey)
	if err != nil {
		return nil, prf, err
	}
	return &ivChain{block: b, iv: phase2IV(prf, sa.LastBlock, mid, b.BlockSize())}, prf, nil
}

func (sa *SA) header(x isakmp.ExchangeType, mid uint32) isakmp.Header {
	return isakmp.Header{InitiatorCookie: sa.CookieI, ResponderCookie: sa.CookieR,
		Major: isakmp.MajorVersion, Minor: isakmp.MinorVersion, Exchange: x, MessageID: mid}
}
