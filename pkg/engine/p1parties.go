package engine

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// initiatorAuth is host h's credentials as the initiator of a run.
type initiatorAuth struct{ r *p1run }

func (a initiatorAuth) PresharedKey(netip.Addr, *isakmp.ID) ([]byte, error) {
	r := a.r
	k, err := r.h.Keys().For(r.local, r.remote)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return nil, r.refuse(isakmp.NotifyAuthenticationFailed, refusal{withPeer: true, kind: FailAuth,
			cat: DebugPhase1, reason: fmtReason("no preshared key for %s -> %s", r.local, r.remote)})
	}
	return k.Key, nil
}

func (a initiatorAuth) Identity(m AuthMethod) (*ikev1.Identity, error) {
	r := a.r
	if m == AuthPreshared {
		return &ikev1.Identity{ID: ikev1.AddressIdentity(r.local)}, nil
	}
	if m != AuthRSASig {
		return nil, r.refuse(isakmp.NotifyAttributesNotSupported, refusal{withPeer: true, kind: FailNotSupported,
			cat: DebugPhase1, reason: fmtReason("authentication method %s with %s is not supported (use rsa_sig or preshared)",
				authMethodWord(m), r.remote)})
	}
	sig, why, err := r.h.signerFor(r.ipol, r.local)
	if err != nil {
		return nil, err
	}
	if why != "" {
		return nil, r.refuse(isakmp.NotifyAuthenticationFailed, refusal{withPeer: true, kind: FailAuth,
			cat: DebugCert, reason: fmtReason("cannot authenticate to %s: %s", r.remote, why)})
	}
	r.isig = sig
	return r.identity(r.h, sig, func(err error) error {
		return r.refuse(isakmp.NotifyAuthenticationFailed, refusal{withPeer: true, kind: FailAuth, cat: DebugCert, drew: true,
			reason: fmtReason("signing with the key of <%s> failed: %v", FormatDN(sig.entry.Cert.RawSubject), err)})
	})
}

// identity is a signer's identification, certificate and signing.
func (r *p1run) identity(h *Host, s *signer, failed func(error) error) (*ikev1.Identity, error) {
	id, err := idOf(s.id)
	if err != nil {
		return nil, err
	}
	return &ikev1.Identity{ID: id, Certs: [][]byte{s.entry.Cert.Raw}, Sign: func(hash []byte) ([]byte, error) {
		sig, err := h.signHash(s, hash)
		if err != nil {
			return nil, failed(err)
		}
		return sig, nil
	}}, nil
}

func (a initiatorAuth) VerifyPeer(_ AuthMethod, id isakmp.ID, certs [][]byte, hash, sig []byte) error {
	r := a.r
	if r.peer == nil {
		r.h.diag(DebugCert, "outside peer %s accepted our certificate <%s>; its own certificate is not modelled",
			r.remote, FormatDN(r.isig.entry.Cert.RawSubject))
		return nil
	}
	other, err := wireSigner(id, certs)
	if err != nil {
		return r.refuse(isakmp.NotifyInvalidCertificate, refusal{withPeer: true, kind: FailAuth, cat: DebugPhase1, drew: true,
			reason: fmtReason("authentication with %s failed: %v", r.remote, err)})
	}
	why, err := r.h.checkPeer(r.ipol, other, hash, sig, r.remote)
	if err != nil {
		return err
	}
	if why != "" {
		return r.refuse(isakmp.NotifyAuthenticationFailed, refusal{withPeer: true, kind: FailAuth, cat: DebugPhase1, drew: true,
			reason: fmtReason("authentication with %s failed: %s", r.remote, why)})
	}
	r.rsig = other
	return nil
}

// wireSigner is the peer's identity and certificate as they came.
func wireSigner(id isakmp.ID, certs [][]byte) (*signer, error) {
	body, err := isakmp.Body(id)
	if err != nil {
		return nil, err
	}
	if len(certs) == 0 {
		return nil, errNoCert
	}
	c, err := x509.ParseCertificate(certs[0])
	if err != nil {
		return nil, err
	}
	return &signer{entry: CachedCert{Cert: c}, id: body}, nil
}

// responderPolicy is the responder's owner: a lab host, or an outside
// peer that takes the initiator's terms.
type responderPolicy struct{ r *p1run }

func (p responderPolicy) Phase1Terms(local, remote netip.Addr) (*ikev1.Terms, error) {
	r := p.r
	if r.peer == nil {
		if r.behavior == PeerRejectProposal {
			return nil, r.refuse(isakmp.NotifyNoProposalChosen, refusal{kind: FailNoProposal, cat: DebugProp,
				reason: fmtReason("%s rejected every proposal (NO-PROPOSAL-CHOSEN)", local)})
		}
		r.rpol = r.ipol
		return &ikev1.Terms{Choose: r.choose, NonceLen: nonceLen(r.rpol.P1NonceLen), Auth: responderAuth{r}}, nil
	}
	if err := r.peer.Daemons().UpdateStats(func(s *Stats) { s.RespAttempts++ }); err != nil {
		return nil, err
	}
	if r.rpol == nil {
		r.peer.diag(DebugPolicy, "no rule matches %s -> %s; phase 1 from %s refused", local, remote, remote)
		return nil, r.refuse(isakmp.NotifyNoProposalChosen, refusal{withPeer: true, kind: FailNoProposal, cat: DebugPolicy,
			reason: fmtReason("%s has no rule for %s -> %s (NO-PROPOSAL-CHOSEN)", local, local, remote)})
	}
	return &ikev1.Terms{Modes: modesOf(r.rpol.Mode), Choose: r.choose, NonceLen: nonceLen(r.rpol.P1NonceLen),
		Auth: responderAuth{r}}, nil
}

// responderAuth is the responder's credentials.
type responderAuth struct{ r *p1run }

// authFail is an outside peer that rejects whatever we prove.
func (a responderAuth) authFail() error {
	r := a.r
	return r.refuse(isakmp.NotifyAuthenticationFailed, refusal{kind: FailAuth, cat: DebugPhase1,
		reason: fmtReason("authentication with %s failed (peer rejected our hash)", r.remote)})
}

func (a responderAuth) PresharedKey(netip.Addr, *isakmp.ID) ([]byte, error) {
	r := a.r
	if r.peer == nil {
		if r.behavior == PeerAuthFail {
			return nil, a.authFail()
		}
		k, err := r.h.Keys().For(r.local, r.remote) // an outside peer shares our key
		if err != nil || k == nil {
			return nil, err
		}
		return k.Key, nil
	}
	k, err := r.peer.Keys().For(r.remote, r.local)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return nil, r.refuse(isakmp.NotifyAuthenticationFailed, refusal{withPeer: true, kind: FailAuth, cat: DebugPhase1,
			reason: fmtReason("%s has no preshared key for %s; authentication failed", r.remote, r.local)})
	}
	return k.Key, nil
}

func (a responderAuth) Identity(m AuthMethod) (*ikev1.Identity, error) {
	r := a.r
	if r.peer == nil && r.behavior == PeerAuthFail {
		return nil, a.authFail()
	}
	if m == AuthPreshared {
		return &ikev1.Identity{ID: ikev1.AddressIdentity(r.remote)}, nil
	}
	if r.peer == nil {
		// An outside peer's own certificate is not modelled.
		return &ikev1.Identity{ID: ikev1.AddressIdentity(r.remote), Sign: func([]byte) ([]byte, error) { return []byte{0}, nil }}, nil
	}
	sig, why, err := r.peer.signerFor(r.rpol, r.remote)
	if err != nil {
		return nil, err
	}
	if why != "" {
		r.peer.diag(DebugCert, "cannot authenticate to %s: %s", r.local, why)
		return nil, r.refuse(isakmp.NotifyAuthenticationFailed, refusal{withPeer: true, kind: FailAuth, cat: DebugCert,
			reason: fmtReason("%s cannot authenticate: %s", r.remote, why)})
	}
	return r.identity(r.peer, sig, func(err error) error {
		r.peer.diag(DebugCert, "signing with the key of <%s> failed: %v", FormatDN(sig.entry.Cert.RawSubject), err)
		return r.refuse(isakmp.NotifyAuthenticationFailed, refusal{withPeer: true, kind: FailAuth, cat: DebugCert, drew: true,
			reason: fmtReason("%s could not sign: %v", r.remote, err)})
	})
}

func (a responderAuth) VerifyPeer(_ AuthMethod, id isakmp.ID, certs [][]byte, hash, sig []byte) error {
	r := a.r
	if r.peer == nil {
		return nil
	}
	other, err := wireSigner(id, certs)
	if err != nil {
		return r.refuse(isakmp.NotifyInvalidCertificate, refusal{withPeer: true, kind: FailAuth, cat: DebugPhase1, drew: true,
			reason: fmtReason("authentication with %s failed: %s rejected our certificate: %v", r.remote, r.remote, err)})
	}
	why, err := r.peer.checkPeer(r.rpol, other, hash, sig, r.local)
	if err != nil {
		return err
	}
	if why != "" {
		r.peer.diag(DebugCert, "authentication of %s failed: %s", r.local, why)
		return r.refuse(isakmp.NotifyAuthenticationFailed, refusal{withPeer: true, kind: FailAuth, cat: DebugPhase1, drew: true,
			reason: fmtReason("authentication with %s failed: %s rejected our certificate: %s", r.remote, r.remote, why)})
	}
	return nil
}

var errNoCert = errors.New("no certificate sent")

func fmtReason(format string, args ...any) string { return fmt.Sprintf(format, args...) }
