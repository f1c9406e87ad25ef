package engine

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/ikev1"
)

// A seeded lab prints the same cookies and keys as before negotiation ran
// as two parties: the lab's stream gave, in this order, CKY-I, CKY-R,
// Ni, Nr, the initiator's and the responder's Diffie-Hellman keys. The two
// ends ask for these in message order (Ni and g^xi before Nr), so a
// p1Draws hands each end its value from one schedule over the stream,
// drawing earlier slots first. The responder's nonce length is its own
// policy's, which the lab knows when the exchange starts.

type p1Slot int

const (
	slotCkyI p1Slot = iota
	slotCkyR
	slotNi
	slotNr
	slotXi
	slotXr
	p1Slots
)

type p1Draws struct {
	r          io.Reader
	niLen      int
	nrLen      int
	group      *ikecrypto.Group
	drawn      int // slots drawn so far
	cookies    [2][8]byte
	nonces     [2][]byte
	keys       [2]*ikecrypto.PrivateKey
	side       io.Reader // what the stream never gave: message IDs of notifies
	rollback   func()
	rolledBack bool
}

func newP1Draws(r io.Reader, niLen, nrLen int, side io.Reader) *p1Draws {
	d := &p1Draws{r: r, niLen: niLen, nrLen: nrLen, side: side}
	if c, ok := r.(interface{ Checkpoint() func() }); ok {
		d.rollback = c.Checkpoint()
	}
	return d
}

// undo puts the stream back where the exchange found it.
func (d *p1Draws) undo() {
	if d.rollback != nil && !d.rolledBack {
		d.rollback()
		d.rolledBack = true
	}
}

// upTo draws every slot before and including s.
func (d *p1Draws) upTo(s p1Slot) error {
	for ; d.drawn <= int(s); d.drawn++ {
		var err error
		switch p1Slot(d.drawn) {
		case slotCkyI, slotCkyR:
			d.cookies[d.drawn], err = ikecrypto.NewCookie(d.r)
		case slotNi:
			d.nonces[0], err = ikecrypto.NewNonce(d.r, d.niLen)
		case slotNr:
			d.nonces[1], err = ikecrypto.NewNonce(d.r, d.nrLen)
		case slotXi, slotXr:
			if d.group == nil {
				return errors.New("engine: a Diffie-Hellman key drawn before its group is known")
			}
			d.keys[d.drawn-int(slotXi)], err = d.group.GenerateKey(d.r)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// end is one party's view of the schedule.
func (d *p1Draws) end(responder bool) ikev1.Entropy { return p1End{d: d, r: responder} }

type p1End struct {
	d *p1Draws
	r bool
}

func (e p1End) idx() int {
	if e.r {
		return 1
	}
	return 0
}

func (e p1End) Cookie() ([8]byte, error) {
	err := e.d.upTo(slotCkyI + p1Slot(e.idx()))
	return e.d.cookies[e.idx()], err
}

func (e p1End) Nonce(n int) ([]byte, error) {
	if want := []int{e.d.niLen, e.d.nrLen}[e.idx()]; n != want {
		return nil, fmt.Errorf("engine: nonce of %d bytes asked, %d scheduled", n, want)
	}
	err := e.d.upTo(slotNi + p1Slot(e.idx()))
	return e.d.nonces[e.idx()], err
}

func (e p1End) DHKey(g *ikecrypto.Group) (*ikecrypto.PrivateKey, error) {
	if e.d.group == nil {
		e.d.group = g
	}
	if e.d.group.PublicLen() != g.PublicLen() || e.d.group.IsECP() != g.IsECP() {
		return nil, errors.New("engine: the two ends asked for keys of different groups")
	}
	err := e.d.upTo(slotXi + p1Slot(e.idx()))
	return e.d.keys[e.idx()], err
}

func (e p1End) SPI() (uint32, error) { return ikev1.ReaderEntropy{R: e.d.side}.SPI() }

func (e p1End) MessageID() (uint32, error) { return ikev1.ReaderEntropy{R: e.d.side}.MessageID() }

// qmEntropy is one end's entropy in a lab Quick Mode: its SPI comes from
// the lab's stream (four bytes, initiator first, as before), everything
// else from a side stream the lab's stream never sees.
type qmEntropy struct {
	stream io.Reader
	side   io.Reader
}

func (e qmEntropy) SPI() (uint32, error) { return ikev1.ReaderEntropy{R: e.stream}.SPI() }

func (e qmEntropy) Cookie() ([8]byte, error) { return ikecrypto.NewCookie(e.side) }

func (e qmEntropy) Nonce(n int) ([]byte, error) { return ikecrypto.NewNonce(e.side, n) }

func (e qmEntropy) DHKey(g *ikecrypto.Group) (*ikecrypto.PrivateKey, error) {
	return g.GenerateKey(e.side)
}

func (e qmEntropy) MessageID() (uint32, error) { return ikev1.ReaderEntropy{R: e.side}.MessageID() }

// sideStream is SHA-256 in counter mode over a key: the values an
// exchange needs beyond those the lab's stream always gave (Quick Mode
// nonces, PFS keys, message IDs). Keyed by the phase 1 SA's SKEYID_d and
// the exchange, they are as secret as the SA and reproducible in a
// seeded lab.
type sideStream struct {
	key   [32]byte
	block uint64
	buf   []byte
}

func newSideStream(parts ...[]byte) *sideStream {
	h := sha256.New()
	h.Write([]byte("ikemu side stream"))
	for _, p := range parts {
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(p))))
		h.Write(p)
	}
	s := &sideStream{}
	h.Sum(s.key[:0])
	return s
}

func (s *sideStream) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(s.buf) == 0 {
			in := binary.BigEndian.AppendUint64(append([]byte(nil), s.key[:]...), s.block)
			sum := sha256.Sum256(in)
			s.buf, s.block = sum[:], s.block+1
		}
		c := copy(p[n:], s.buf)
		s.buf, n = s.buf[c:], n+c
	}
	return n, nil
}
