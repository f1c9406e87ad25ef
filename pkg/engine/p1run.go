package engine

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// p1run is one phase 1 in the lab: host h initiates, the peer (a lab
// host, or an outside peer acting out its behaviour) responds. The two
// ikev1 state machines meet only through encoded messages; the run is
// what the engine keeps on the side to report the outcome in its own
// words (the reasons and events in.iked's and isakmpd's logs were made
// from) and to count it.
type p1run struct {
	h             *Host
	peer          *Host // nil: an outside peer
	behavior      PeerBehavior
	local, remote netip.Addr
	ipol, rpol    *Phase1Policy // rpol: the responder's terms
	draws         *p1Draws

	chooseCalled bool
	chosen       *Transform // the responder's selection
	selectedSent bool       // EventProposalSelected emitted
	refusal      *refusal   // the first refusal an end's owner gave
	isig, rsig   *signer
	mode         ikev1.Mode // the exchange h starts
}

// refusal is a refusal in the engine's words: what h.fail reports.
type refusal struct {
	withPeer bool // the peer host counts and logs it too
	kind     FailureKind
	cat      uint32
	reason   string
	// drew tells whether the exchange got as far as drawing its cookies,
	// nonces and keys before the refusal, as the one-function negotiation
	// did; otherwise the lab's random stream is put back.
	drew bool
}

// refuse records the first refusal and returns the ikev1 failure that
// makes the end send notify n.
func (r *p1run) refuse(n isakmp.NotifyType, f refusal) error {
	if r.refusal == nil {
		r.refusal = &f
	}
	return ikev1.Refuse(n, "%s", f.reason)
}

// initiatorMode is the exchange h starts: its rule's mode; a rule that
// takes any starts the one a lab responder's rule names (the lab knows
// both ends, as whoever configured the two hosts did), main mode
// otherwise, as in.iked initiates.
func initiatorMode(i, r ExchangeMode) ikev1.Mode {
	if m, ok := agreeMode(i, r); ok {
		i = m
	}
	if i == XchgAggressive {
		return ikev1.AggressiveMode
	}
	return ikev1.MainMode
}

// modesOf is what a responder's rule accepts.
func modesOf(m ExchangeMode) []ikev1.Mode {
	switch m {
	case XchgMain:
		return []ikev1.Mode{ikev1.MainMode}
	case XchgAggressive:
		return []ikev1.Mode{ikev1.AggressiveMode}
	}
	return nil
}

func exchangeModeOf(m ikev1.Mode) ExchangeMode {
	if m == ikev1.AggressiveMode {
		return XchgAggressive
	}
	return XchgMain
}

// run drives the two ends with the in-process transport: each message
// the one returns is the next the other takes. It returns the two SAs,
// or the first failure either end reported.
func (r *p1run) run() (*ikev1.SA, *ikev1.SA, error) {
	in, err := ikev1.NewInitiator(ikev1.InitiatorConfig{Mode: r.mode, Local: r.local,
		Remote: r.remote, Suites: offerOf(r.ipol.Transforms), NonceLen: nonceLen(r.ipol.P1NonceLen),
		Entropy: r.draws.end(false), Auth: initiatorAuth{r}, Chosen: r.learnChoice})
	if err != nil {
		return nil, nil, err
	}
	msg, err := in.Start()
	if err != nil {
		return nil, nil, err
	}
	if r.silent() {
		return nil, nil, errNoResponse
	}
	resp, err := ikev1.NewResponder(ikev1.ResponderConfig{Local: r.remote, Remote: r.local,
		Entropy: r.draws.end(true), Policy: responderPolicy{r}})
	if err != nil {
		return nil, nil, err
	}
	for range 8 {
		reply, _, rerr := resp.Handle(msg)
		if rerr != nil {
			if reply != nil {
				_, _, _ = in.Handle(reply) // the initiator reads the notify
			}
			return nil, nil, rerr
		}
		if reply == nil {
			return in.SA(), resp.SA(), nil
		}
		next, done, ierr := in.Handle(reply)
		if ierr != nil {
			if next != nil {
				_, _, _ = resp.Handle(next)
			}
			return nil, nil, ierr
		}
		if next == nil && done {
			return in.SA(), resp.SA(), nil
		}
		msg = next
	}
	return nil, nil, errors.New("engine: phase 1 did not end")
}

var errNoResponse = errors.New("no response")

// silent reports whether the responder never answers.
func (r *p1run) silent() bool { return r.peer == nil && r.behavior == PeerNoResponse }

// learnChoice is the initiator learning the responder's choice.
func (r *p1run) learnChoice(s ikev1.Suite) error {
	r.emitSelected(transformOf(s))
	return nil
}

func (r *p1run) emitSelected(x Transform) {
	if !r.selectedSent {
		r.selectedSent = true
		r.h.Emit(Event{Kind: EventProposalSelected, Category: DebugProp, Xform: x})
	}
}

// outcome reports a failed run in the engine's words; ierr is the
// failure the run returned.
func (r *p1run) outcome(ferr error) error {
	var f *ikev1.Failure
	if errors.Is(ferr, errNoResponse) {
		r.draws.undo()
		return r.h.fail(nil, FailNoResponse, DebugPhase1, true, "no response from %s", r.remote)
	}
	if !errors.As(ferr, &f) {
		return ferr
	}
	if r.chosen != nil && (r.refusal == nil || r.refusal.kind != FailNoProposal) {
		r.emitSelected(*r.chosen)
	}
	if x := r.refusal; x != nil {
		if !x.drew {
			r.draws.undo()
		}
		return r.h.fail(r.peerIf(x.withPeer), x.kind, x.cat, true, "%s", x.reason)
	}
	return r.protocolFailure(f)
}

func (r *p1run) peerIf(with bool) *Host {
	if with {
		return r.peer
	}
	return nil
}

// protocolFailure words a refusal the state machines made themselves.
func (r *p1run) protocolFailure(f *ikev1.Failure) error {
	switch {
	case f.Notify == isakmp.NotifyNoProposalChosen && !r.chooseCalled:
		r.draws.undo()
		return r.h.fail(r.peer, FailNoProposal, DebugProp, true,
			"exchange mode mismatch with %s (rule %q wants %d, peer %d)", r.remote, r.ipol.Label, r.ipol.Mode, r.rpol.Mode)
	case f.Notify == isakmp.NotifyNoProposalChosen && r.chosen == nil:
		r.draws.undo()
		return r.h.fail(r.peer, FailNoProposal, DebugProp, true,
			"no transform of rule %q is acceptable to %s (NO-PROPOSAL-CHOSEN)", r.ipol.Label, r.remote)
	case f.Notify == isakmp.NotifyAttributesNotSupported && r.chosen != nil:
		r.draws.undo()
		if x := r.chosen; x.Auth != AuthPreshared && x.Auth != AuthRSASig {
			return r.h.fail(r.peer, FailNotSupported, DebugPhase1, true,
				"authentication method %s with %s is not supported (use rsa_sig or preshared)", authMethodWord(x.Auth), r.remote)
		}
		_, err := ikecrypto.LookupGroup(r.chosen.Group)
		return r.h.fail(nil, FailNotSupported, DebugPhase1, true, "%v", err)
	case f.Notify == isakmp.NotifyAuthenticationFailed && r.chosen != nil && r.chosen.Auth == AuthPreshared:
		if r.peer != nil {
			r.peer.diag(DebugPhase1, "authentication of %s failed: hash mismatch (preshared key differs)", r.local)
		}
		return r.h.fail(r.peer, FailAuth, DebugPhase1, true,
			"authentication with %s failed: hash mismatch (preshared keys differ)", r.remote)
	}
	return r.h.fail(r.peer, FailAuth, DebugPhase1, true, "negotiation with %s failed: %v", r.remote, f)
}

// offerOf is a rule's transforms as phase 1 proposes them: one transform
// per key length, so a range such as aes(128..192) is offered as 192
// then 128.
func offerOf(xs []Transform) []ikev1.Suite {
	var out []ikev1.Suite
	for _, x := range xs {
		s := ikev1.Suite{Auth: x.Auth, Cipher: x.Cipher, Hash: x.Hash, Group: x.Group,
			LifetimeSecs: x.LifetimeSecs, LifetimeKB: x.LifetimeKB}
		if x.Cipher != CipherAES {
			s.KeyBits, _ = commonKeyBits(x, x)
			out = append(out, s)
			continue
		}
		for _, bits := range []int{256, 192, 128} {
			if bits >= rangeLo(x) && bits <= rangeHi(x) {
				s.KeyBits = bits
				out = append(out, s)
			}
		}
	}
	return out
}

// offered is one rule transform rebuilt from the offer: its suites'
// indexes and their key length range.
type offered struct {
	x     Transform
	first int
	n     int
}

// transformsOf rebuilds the initiator's rule transforms from its offer:
// consecutive AES suites that differ only in a falling key length are
// one range.
func transformsOf(offer []ikev1.Suite) []offered {
	var out []offered
	for i, s := range offer {
		if k := len(out) - 1; k >= 0 && s.Cipher == CipherAES && sameButKey(offer[i-1], s) && offer[i-1].KeyBits > s.KeyBits {
			out[k].x.KeyMin = s.KeyBits
			out[k].n++
			continue
		}
		x := transformOf(s)
		if s.Cipher == CipherAES {
			x.KeyMin = s.KeyBits
		} else {
			x.KeyMin, x.KeyMax = 0, 0
		}
		out = append(out, offered{x: x, first: i, n: 1})
	}
	return out
}

func sameButKey(a, b ikev1.Suite) bool {
	a.KeyBits = b.KeyBits
	return a == b
}

// transformOf is a suite as the engine holds a negotiated transform:
// KeyMax carries the key length.
func transformOf(s ikev1.Suite) Transform {
	return Transform{Auth: s.Auth, Cipher: s.Cipher, KeyMax: s.KeyBits, Hash: s.Hash, Group: s.Group,
		LifetimeSecs: s.LifetimeSecs, LifetimeKB: s.LifetimeKB}
}

// choose is the responder's proposal selection over the offer.
func (r *p1run) choose(offer []ikev1.Suite) (ikev1.Suite, int, bool) {
	r.chooseCalled = true
	groups := transformsOf(offer)
	init := make([]Transform, len(groups))
	for i, g := range groups {
		init[i] = g.x
	}
	for gi, x := range init {
		sel, ok := selectProposal([]Transform{x}, r.rpol.Transforms)
		if !ok {
			continue
		}
		g := groups[gi]
		idx := g.first
		for i := g.first; i < g.first+g.n; i++ {
			if offer[i].KeyBits == sel.KeyMax {
				idx = i
			}
		}
		s := offer[idx]
		if s.Cipher == CipherAES {
			s.KeyBits = sel.KeyMax
		}
		s.LifetimeSecs, s.LifetimeKB = sel.LifetimeSecs, sel.LifetimeKB
		sel.KeyMax = s.KeyBits
		r.chosen = &sel
		return s, idx, true
	}
	return ikev1.Suite{}, 0, false
}

// phase1SA is an established SA as the host at local holds it.
func (r *p1run) phase1SA(sa *ikev1.SA, pol *Phase1Policy, local, remote netip.Addr) *Phase1SA {
	x := transformOf(sa.Suite)
	return &Phase1SA{CookieI: cookieWord(sa.CookieI), CookieR: cookieWord(sa.CookieR), Initiator: sa.Initiator,
		Mode: exchangeModeOf(sa.Mode), Created: r.h.tx.now, Xform: x, PFS: pol.P2PFS,
		Local: single(local), Remote: single(remote), LocalPort: 500, RemotePort: 500, PolicyLabel: pol.Label,
		Keys: Phase1Keys{PSK: append([]byte(nil), sa.PSK...), SKEYID: sa.SKEYID, SKEYIDd: sa.SKEYIDd,
			SKEYIDa: sa.SKEYIDa, SKEYIDe: sa.SKEYIDe, EncKey: sa.EncKey, IV: sa.IV}}
}

func cookieWord(c [8]byte) uint64 {
	return uint64(c[0])<<56 | uint64(c[1])<<48 | uint64(c[2])<<40 | uint64(c[3])<<32 |
		uint64(c[4])<<24 | uint64(c[5])<<16 | uint64(c[6])<<8 | uint64(c[7])
}

func cookieBytes(w uint64) [8]byte {
	var c [8]byte
	for i := range c {
		c[i] = byte(w >> (56 - 8*i))
	}
	return c
}

func idOf(body []byte) (isakmp.ID, error) {
	if len(body) < 4 {
		return isakmp.ID{}, fmt.Errorf("engine: identification of %d bytes", len(body))
	}
	return isakmp.ID{IDType: isakmp.IDType(body[0]), Protocol: body[1], Port: uint16(body[2])<<8 | uint16(body[3]),
		Data: body[4:]}, nil
}
