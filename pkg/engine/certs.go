package engine

import (
	"bytes"
	"crypto/x509"
	"fmt"
)

// Certs is a host's certificate cache and PKCS#11 token sessions.
type Certs struct{ h *Host }

// Certs is the host's certs.
func (h *Host) Certs() Certs { return Certs{h} }

// Cache returns the daemon's certificate cache with each entry's
// trust and key linkage as of now.
func (v Certs) Cache() ([]CachedCert, error) {
	srcs, err := v.sources()
	if err != nil {
		return nil, err
	}
	d, err := v.h.Daemons().IKE()
	if err != nil {
		return nil, err
	}
	g, err := v.h.Policies().Global()
	if err != nil {
		return nil, err
	}
	logins := v.h.heldLogins(d)
	out := make([]CachedCert, 0, len(srcs))
	for i, s := range srcs {
		c, err := x509.ParseCertificate(s.DER)
		if err != nil {
			continue // the loader parsed it once; a damaged row is skipped, not fatal
		}
		e := CachedCert{ID: i + 1, Cert: c, Source: s, Trusted: certTrusted(g, c)}
		e.Linkage, e.Key = linkage(s, c, logins)
		out = append(out, e)
	}
	return out, nil
}

// FlushCache drops the cache, certificates from payloads included,
// and reloads it from the host's files and tokens.
func (v Certs) FlushCache() error {
	d, err := v.h.Daemons().IKE()
	if err != nil {
		return err
	}
	_, err = v.load(d)
	return err
}

// sources returns the cached sources, loading them when this daemon
// run has none yet.
func (v Certs) sources() ([]CertSource, error) {
	d, err := v.h.Daemons().IKE()
	if err != nil {
		return nil, err
	}
	var row certCacheRow
	found, err := certCacheRecord().get(v.h.b, &row)
	if err != nil {
		return nil, err
	}
	if found && row.PID == d.PID {
		return row.Certs, nil
	}
	return v.load(d)
}

// load reads the sources. A read-only transaction uses them
// without keeping them; the next write keeps its own snapshot.
func (v Certs) load(d Daemon) ([]CertSource, error) {
	g, err := v.h.Policies().Global()
	if err != nil {
		return nil, err
	}
	creds := v.h.tx.credentials()
	module, _ := creds.Module(v.h.Info, g.PKCS11Path)
	load, err := creds.LoadCertificates(v.h.Info, module)
	if err != nil {
		return nil, fmt.Errorf("load certificates of host %s: %w", v.h.Info.Name, err)
	}
	for _, p := range load.Problems {
		v.h.diag(DebugCert, "certificate cache: %s", p)
	}
	v.h.diag(DebugCert, "certificate cache loaded: %d certificate(s)", len(load.Certs))
	if !v.h.tx.st.Writable() {
		return load.Certs, nil
	}
	if err := certCacheRecord().put(v.h.b, &certCacheRow{PID: d.PID, Certs: load.Certs}); err != nil {
		return nil, err
	}
	if load.Module != "" && d.PKCS11Module != load.Module {
		d.PKCS11Module = load.Module
		if err := v.h.Daemons().SetIKE(d); err != nil {
			return nil, err
		}
	}
	return load.Certs, nil
}

// cacheWire adds a certificate a peer sent, unless the cache has it.
func (v Certs) cacheWire(c *x509.Certificate) error {
	if !v.h.tx.st.Writable() {
		return nil
	}
	srcs, err := v.sources()
	if err != nil {
		return err
	}
	for _, s := range srcs {
		if bytes.Equal(s.DER, c.Raw) {
			return nil
		}
	}
	d, err := v.h.Daemons().IKE()
	if err != nil {
		return err
	}
	srcs = append(srcs, CertSource{DER: c.Raw, Wire: true})
	v.h.diag(DebugCert, "certificate cache: added <%s> from a certificate payload", FormatDN(c.RawSubject))
	return certCacheRecord().put(v.h.b, &certCacheRow{PID: d.PID, Certs: srcs})
}

// TokenLogin logs the daemon in to a PKCS#11 token (ikeadm token login):
// a real C_Login with pin, then the token's private keys unlock the
// cached certificates they belong to. A refused PIN, an unknown token, or
// a token that unlocks no cached certificate is ErrTokenLogin, as in.iked
// answers when no token object was unlocked.
func (v Certs) TokenLogin(label, pin string) error {
	g, err := v.h.Policies().Global()
	if err != nil {
		return err
	}
	creds := v.h.tx.credentials()
	module, _ := creds.Module(v.h.Info, g.PKCS11Path)
	v.h.diag(DebugCert, "trying to access PKCS#11 token %q", label)
	keys, err := creds.TokenLogin(module, label, pin)
	if err != nil {
		v.h.diag(DebugCert, "PKCS#11 token %q: %v", label, err)
		return &Error{Kind: ErrTokenLogin, Detail: err.Error()}
	}
	srcs, err := v.sources()
	if err != nil {
		return err
	}
	login := TokenSession{Label: label, Keys: keys}
	n := 0
	for _, s := range srcs {
		if s.Wire || s.KeyFile != "" {
			continue
		}
		c, err := x509.ParseCertificate(s.DER)
		if err != nil {
			continue
		}
		if lk, _ := linkage(s, c, []TokenSession{login}); lk == CertKeyAvailable {
			n++
		}
	}
	v.h.diag(DebugCert, "%d token objects unlocked on PKCS#11 token %q", n, label)
	if n == 0 {
		return errorf(ErrTokenLogin, "token %q holds no private key of a cached certificate", label)
	}
	d, err := v.h.Daemons().IKE() // read again: the cache load may have recorded the module
	if err != nil {
		return err
	}
	// Last before the record, so that only a PIN the token took is kept.
	if err := creds.StorePIN(v.h.pinSlot(d, label), pin); err != nil {
		v.h.diag(DebugCert, "PKCS#11 token %q: cannot keep its PIN: %v", label, err)
		return fmt.Errorf("keep token PIN: %w", err)
	}
	d.Tokens = append(withoutToken(d.Tokens, label), login)
	d.PKCS11Module = module
	return v.h.Daemons().SetIKE(d)
}

// TokenLogout forgets a token's PIN (ikeadm token logout; SetIKE drops
// it from the PIN store): its keys lock again. As in.iked, it fails with
// ErrTokenLogin when no cached certificate of that token was locked by it.
func (v Certs) TokenLogout(label string) error {
	d, err := v.h.Daemons().IKE()
	if err != nil {
		return err
	}
	srcs, err := v.sources()
	if err != nil {
		return err
	}
	var login []TokenSession
	for _, l := range d.Tokens {
		if l.Label == label {
			login = append(login, l)
		}
	}
	n := 0
	for _, s := range srcs {
		if s.Wire {
			continue
		}
		c, err := x509.ParseCertificate(s.DER)
		if err != nil {
			continue
		}
		lk, key := linkage(s, c, login)
		if s.Token == label || (lk == CertKeyAvailable && key.Token == label) {
			n++
		}
	}
	v.h.diag(DebugCert, "%d token objects locked on PKCS#11 token %q", n, label)
	if n == 0 {
		return errorf(ErrTokenLogin, "no cached certificate belongs to token %q", label)
	}
	d.Tokens = withoutToken(d.Tokens, label)
	return v.h.Daemons().SetIKE(d)
}

// PKCS11Library is the library the daemon reports in its statistics: the
// module it has linked in, else the module someone chose for the host,
// else the configured name ("" when none: the vendor's default).
func (v Certs) PKCS11Library() (string, error) {
	d, err := v.h.Daemons().IKE()
	if err != nil {
		return "", err
	}
	if d.PKCS11Module != "" {
		return d.PKCS11Module, nil
	}
	g, err := v.h.Policies().Global()
	if err != nil {
		return "", err
	}
	if path, explicit := v.h.tx.credentials().Module(v.h.Info, g.PKCS11Path); explicit && path != "" {
		return path, nil
	}
	return g.PKCS11Path, nil
}
