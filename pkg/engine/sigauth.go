package engine

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"net/netip"
	"time"
)

// Phase 1 with signature authentication (RFC 2409 section 5.1): each end
// signs HASH_I or HASH_R with the private key of the certificate its rule's
// local_id selects, and the other end checks the certificate's chain
// against its cert_root/cert_trust anchors, the certificate against its
// rule's remote_id, and the signature. The ikev1 state machines compute
// the hashes and carry the payloads; this file is what they ask through
// their Authenticator (p1parties.go): the signer, the signing, the check.
// Only rsa_sig is modelled; the other certificate methods fail as not
// supported.

// ISAKMP identification types (RFC 2407 section 4.6.2.1).
const (
	idIPv4Addr  = 1
	idFQDN      = 2
	idUserFQDN  = 3
	idIPv6Addr  = 5
	idDERASN1DN = 9
	idKeyID     = 11
)

// signer is one end's credentials for a negotiation.
type signer struct {
	entry CachedCert
	id    []byte // the identification payload body it sends (IDii_b/IDir_b)
}

func authMethodWord(m AuthMethod) string {
	switch m {
	case AuthDSSSig:
		return "dss_sig"
	case AuthRSAEncrypt:
		return "rsa_encrypt"
	case AuthRevRSAEncrypt:
		return "improved_rsa_encrypt"
	}
	return fmt.Sprintf("%d", int(m))
}

// signerFor picks the certificate pol's local_id selects and whose
// private key can sign. why explains, for the debug file, why there is
// none; err is a failure of the lab itself.
func (h *Host) signerFor(pol *Phase1Policy, addr netip.Addr) (*signer, string, error) {
	certs, err := h.Certs().Cache()
	if err != nil {
		return nil, "", err
	}
	var locked, noKey *CachedCert
	for i := range certs {
		c := &certs[i]
		if c.Linkage == CertOffWire || !SelectorsMatch(pol.LocalIDs, c.Cert) {
			continue
		}
		switch c.Linkage {
		case CertKeyAvailable:
			if _, ok := c.Cert.PublicKey.(*rsa.PublicKey); !ok {
				noKey = c
				continue
			}
			id, why := idPayload(pol.LocalIDType, c.Cert, addr)
			if why != "" {
				return nil, why, nil
			}
			return &signer{entry: *c, id: id}, "", nil
		case CertKeyLocked:
			locked = c
		default:
			noKey = c
		}
	}
	switch {
	case locked != nil:
		return nil, fmt.Sprintf("the private key of <%s> is on PKCS#11 token %q, which is not logged in",
			FormatDN(locked.Cert.RawSubject), locked.Key.Token), nil
	case noKey != nil:
		return nil, fmt.Sprintf("no usable RSA private key for certificate <%s>", FormatDN(noKey.Cert.RawSubject)), nil
	}
	return nil, fmt.Sprintf("no certificate in the cache matches local_id %s (rule %q)", selectorsText(pol.LocalIDs), pol.Label), nil
}

func selectorsText(s Selectors) string {
	if len(s.Include) == 0 && len(s.Exclude) == 0 {
		return `""`
	}
	out := ""
	for _, x := range s.Include {
		out += fmt.Sprintf("%q ", x)
	}
	for _, x := range s.Exclude {
		out += fmt.Sprintf("%q ", "!"+x)
	}
	return out[:len(out)-1]
}

// idPayload is the identification payload body (type, protocol UDP, port
// 500, data) an end sends for its local_id_type.
func idPayload(kind IDKind, c *x509.Certificate, addr netip.Addr) ([]byte, string) {
	var typ byte
	var data []byte
	switch kind {
	case IDFQDN:
		if len(c.DNSNames) == 0 {
			return nil, fmt.Sprintf("certificate <%s> has no DNS name for local_id_type fqdn", FormatDN(c.RawSubject))
		}
		typ, data = idFQDN, []byte(c.DNSNames[0])
	case IDUserFQDN:
		if len(c.EmailAddresses) == 0 {
			return nil, fmt.Sprintf("certificate <%s> has no e-mail address for local_id_type user_fqdn", FormatDN(c.RawSubject))
		}
		typ, data = idUserFQDN, []byte(c.EmailAddresses[0])
	case IDIPv4, IDIPv6, IDIPv4Prefix, IDIPv6Prefix, IDIPv4Range, IDIPv6Range:
		typ, data = idIPv4Addr, addr.AsSlice()
		if addr.Is6() {
			typ = idIPv6Addr
		}
	case IDKeyID:
		if len(c.SubjectKeyId) == 0 {
			return nil, fmt.Sprintf("certificate <%s> has no subject key id for local_id_type keyid", FormatDN(c.RawSubject))
		}
		typ, data = idKeyID, c.SubjectKeyId
	default: // dn, and gn, which in.iked also sends as the subject's DER
		typ, data = idDERASN1DN, c.RawSubject
	}
	return append([]byte{typ, 17, 0x01, 0xf4}, data...), ""
}

// idMatchesCert checks that an identification payload names its
// certificate: the subject, a subjectAltName, the key id.
func idMatchesCert(id []byte, c *x509.Certificate) bool {
	if len(id) < 4 {
		return false
	}
	data := id[4:]
	switch id[0] {
	case idDERASN1DN:
		return string(data) == string(c.RawSubject)
	case idFQDN:
		return hasFold(c.DNSNames, string(data))
	case idUserFQDN:
		return hasFold(c.EmailAddresses, string(data))
	case idIPv4Addr, idIPv6Addr:
		a, ok := netip.AddrFromSlice(data)
		return ok && hasIP(c, a.String())
	case idKeyID:
		return string(data) == string(c.SubjectKeyId)
	}
	return false
}

// checkPeer is what an end does with the other's identity, certificate
// and signature: cache the certificate (it came off the wire), then check
// identity, remote_id, chain and signature. why is the reason for a
// rejection; err a failure of the lab itself.
func (h *Host) checkPeer(pol *Phase1Policy, other *signer, hash, sig []byte, from netip.Addr) (string, error) {
	if err := h.Certs().cacheWire(other.entry.Cert); err != nil {
		return "", err
	}
	t, err := h.trust()
	if err != nil {
		return "", err
	}
	return t.checkSigned(pol, other, hash, sig, from), nil
}

// trustSnapshot is a host's trust anchors at one time: the cached
// certificates cert_root or cert_trust select, with every other cached
// certificate available as an intermediate. A wire exchange checks its
// peer with one taken before the exchange, outside any transaction.
type trustSnapshot struct {
	roots, inter *x509.CertPool
	anchors      int
	now          time.Time
}

func (h *Host) trust() (trustSnapshot, error) {
	certs, err := h.Certs().Cache()
	if err != nil {
		return trustSnapshot{}, err
	}
	t := trustSnapshot{roots: x509.NewCertPool(), inter: x509.NewCertPool(), now: h.Now()}
	for _, e := range certs {
		switch {
		case e.Trusted && e.Linkage != CertOffWire:
			t.roots.AddCert(e.Cert)
			t.anchors++
		default:
			t.inter.AddCert(e.Cert)
		}
	}
	return t, nil
}

// checkSigned checks the other end's identity against its certificate,
// the certificate against remote_id and the anchors, and the signature;
// the result is the reason for a rejection, "" when all hold.
func (t trustSnapshot) checkSigned(pol *Phase1Policy, other *signer, hash, sig []byte, from netip.Addr) string {
	c := other.entry.Cert
	subject := FormatDN(c.RawSubject)
	if !idMatchesCert(other.id, c) {
		return fmt.Sprintf("the identity %s sent is not in its certificate <%s>", from, subject)
	}
	if !SelectorsMatch(pol.RemoteIDs, c) {
		return fmt.Sprintf("certificate <%s> does not match remote_id %s of rule %q", subject, selectorsText(pol.RemoteIDs), pol.Label)
	}
	if why := t.verifyChain(c); why != "" {
		return why
	}
	pub, ok := c.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Sprintf("certificate <%s> has no RSA key", subject)
	}
	if rsa.VerifyPKCS1v15(pub, 0, hash, sig) != nil {
		return fmt.Sprintf("signature check with certificate <%s> failed", subject)
	}
	return ""
}

// verifyChain checks c against the anchors at the snapshot's time.
func (t trustSnapshot) verifyChain(c *x509.Certificate) string {
	subject := FormatDN(c.RawSubject)
	if t.anchors == 0 {
		return fmt.Sprintf("certificate <%s> is not trusted: no cert_root or cert_trust certificate is in the cache", subject)
	}
	_, err := c.Verify(x509.VerifyOptions{Roots: t.roots, Intermediates: t.inter, CurrentTime: t.now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		return fmt.Sprintf("certificate <%s> is not trusted: %v", subject, err)
	}
	return ""
}

// signHash signs with the signer's private key, logging in to its token
// with the PIN the daemon holds.
func (h *Host) signHash(s *signer, hash []byte) ([]byte, error) {
	sign, err := h.signing(s)
	if err != nil {
		return nil, err
	}
	return sign(hash)
}

// signing is the signer's signing as a function usable after the
// transaction: the module, the key and the token's PIN resolved now.
func (h *Host) signing(s *signer) (func(hash []byte) ([]byte, error), error) {
	g, err := h.Policies().Global()
	if err != nil {
		return nil, err
	}
	d, err := h.Daemons().IKE()
	if err != nil {
		return nil, err
	}
	key := s.entry.Key
	pin := ""
	if key.Token != "" {
		if pin, err = h.tokenPIN(d, key.Token); err != nil {
			return nil, err
		}
	}
	creds, info := h.tx.credentials(), h.Info
	module, _ := creds.Module(info, g.PKCS11Path)
	return func(hash []byte) ([]byte, error) { return creds.Sign(info, module, key, pin, hash) }, nil
}
