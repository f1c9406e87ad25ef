package engine

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
)

// SystemPKCS11 is the PKCS#11 library name that means "the machine's own
// PKCS#11 framework" (Solaris's libpkcs11.so, its default pkcs11_path). A
// host configured with it, or with nothing, uses the host's real module.
const SystemPKCS11 = "libpkcs11.so"

// Credentials reaches what a host's IKE daemon authenticates with but the
// lab database does not hold: certificate and private key files in the
// host's tree, and PKCS#11 tokens behind a module. pkg/lab provides it on
// every transaction, so the engine never handles a path.
type Credentials interface {
	// Module resolves the PKCS#11 module file of host given its
	// configured library ("" or SystemPKCS11 for the default); explicit
	// reports that someone chose it rather than it being found on the
	// machine. "" means the host has none.
	Module(host HostInfo, configured string) (path string, explicit bool)
	// LoadCertificates reads host's certificate files, each matched with
	// its private key file, and the certificate objects of every token of
	// module ("" for none).
	LoadCertificates(host HostInfo, module string) (CertLoad, error)
	// TokenLogin logs in to token label of module with pin and returns the
	// private keys the login unlocks.
	TokenLogin(module, label, pin string) ([]TokenKey, error)
	// Sign makes an IKEv1 RSA signature (PKCS#1 v1.5 padding, no
	// DigestInfo) of data with a private key of host; pin unlocks a token.
	Sign(host HostInfo, module string, key KeyRef, pin string, data []byte) ([]byte, error)
	// StorePIN keeps the PIN of a token login until ForgetPIN or
	// ForgetRun, in memory-backed storage only: no byte of a PIN goes to
	// the lab database or any other persistent storage. Where there is
	// no such storage it fails and the login with it.
	StorePIN(slot PINSlot, pin string) error
	// PIN is the PIN StorePIN kept for slot; ok is false when there is
	// none (never stored, forgotten, or lost with the machine's memory).
	PIN(slot PINSlot) (pin string, ok bool, err error)
	// ForgetPIN removes the PIN of slot; ForgetRun every PIN of a daemon
	// run. Forgetting what is not kept is not an error.
	ForgetPIN(slot PINSlot) error
	ForgetRun(run DaemonRun) error
}

// CertLoad is what a certificate cache (re)load found.
type CertLoad struct {
	Certs []CertSource
	// Module is the PKCS#11 module linked in to read tokens, "" if none was.
	Module string
	// Problems are sources that could not be read, for the debug log.
	Problems []string
}

// CertSource is one certificate of the cache and where it came from.
type CertSource struct {
	DER []byte `json:"der"`
	// File names it in the host's public key directory.
	File string `json:"file,omitempty"`
	// Token and ObjectID name it on a PKCS#11 token (CKA_ID links a
	// certificate object to its private key).
	Token    string `json:"token,omitempty"`
	ObjectID []byte `json:"id,omitempty"`
	// KeyFile names the host's private key file that goes with it.
	KeyFile string `json:"key_file,omitempty"`
	// Wire marks a certificate a peer sent in a certificate payload.
	Wire bool `json:"wire,omitempty"`
}

// TokenKey is a private key a token login unlocked.
type TokenKey struct {
	ID []byte `json:"id,omitempty"`
	// Fingerprint is KeyFingerprint of its public half, which links it to
	// certificates that are not on the token.
	Fingerprint []byte `json:"fp,omitempty"`
}

// KeyRef says where a private key is: a key file of the host, or an
// object on a token.
type KeyRef struct {
	File  string
	Token string
	ID    []byte
}

// KeyFingerprint identifies a public key independently of where it is
// stored: SHA-256 of the RSA modulus, or of the SubjectPublicKeyInfo for
// other key types. nil when the key cannot be encoded.
func KeyFingerprint(pub crypto.PublicKey) []byte {
	if k, ok := pub.(*rsa.PublicKey); ok {
		sum := sha256.Sum256(k.N.Bytes())
		return sum[:]
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil
	}
	sum := sha256.Sum256(der)
	return sum[:]
}

// CertLinkage is how a cached certificate relates to a private key, with
// the numbers in.iked reports.
type CertLinkage int

const (
	CertOffWire      CertLinkage = -1 // received in a certificate payload
	CertNoKey        CertLinkage = 0  // public certificate only
	CertKeyLocked    CertLinkage = 1  // key on a token that is not logged in
	CertKeyAvailable CertLinkage = 2  // key usable for signing
)

// CachedCert is one entry of a daemon's certificate cache as it stands.
type CachedCert struct {
	ID      int
	Cert    *x509.Certificate
	Source  CertSource
	Trusted bool // selected by cert_root or cert_trust
	Linkage CertLinkage
	// Key is where the private key is, when Linkage is CertKeyAvailable
	// (or, for CertKeyLocked, where it would be).
	Key KeyRef
}

const certCacheKey = "certcache"

// certCacheRow is the stored cache: a snapshot of the sources, taken the
// first time the daemon needs certificates after it started, and again at
// each flush, as in.iked loads its cache at start and on flush.
type certCacheRow struct {
	PID   int          `json:"pid"` // the daemon run the snapshot belongs to
	Certs []CertSource `json:"certs"`
}

// certTrusted applies cert_root and cert_trust: a certificate either
// selects is a trust anchor, unless a '!' selector excludes it.
func certTrusted(g GlobalConfig, c *x509.Certificate) bool {
	trusted := false
	for _, list := range [][]string{g.CertRoot, g.CertTrust} {
		for _, sel := range list {
			if excl, ok := cutBang(sel); ok {
				if CertMatches(excl, c) {
					return false
				}
				continue
			}
			if sel != "" && CertMatches(sel, c) {
				trusted = true
			}
		}
	}
	return trusted
}

func cutBang(s string) (string, bool) {
	if len(s) > 0 && s[0] == '!' {
		return s[1:], true
	}
	return s, false
}

// linkage finds a certificate's private key: its key file, else a key a
// token login unlocked (same CKA_ID on the certificate's own token, or
// the same public key on any token). A token certificate whose token is
// not logged in is "linked but locked", as in.iked shows it.
func linkage(s CertSource, c *x509.Certificate, logins []TokenSession) (CertLinkage, KeyRef) {
	if s.Wire {
		return CertOffWire, KeyRef{}
	}
	if s.KeyFile != "" {
		return CertKeyAvailable, KeyRef{File: s.KeyFile}
	}
	fp := KeyFingerprint(c.PublicKey)
	tokenLoggedIn := false
	for _, l := range logins {
		sameToken := s.Token != "" && l.Label == s.Token
		tokenLoggedIn = tokenLoggedIn || sameToken
		for _, k := range l.Keys {
			byID := sameToken && len(s.ObjectID) > 0 && bytes.Equal(k.ID, s.ObjectID)
			byKey := fp != nil && bytes.Equal(k.Fingerprint, fp)
			if byID || byKey {
				return CertKeyAvailable, KeyRef{Token: l.Label, ID: k.ID}
			}
		}
	}
	if s.Token != "" && !tokenLoggedIn {
		return CertKeyLocked, KeyRef{Token: s.Token, ID: s.ObjectID}
	}
	return CertNoKey, KeyRef{}
}

func withoutToken(ls []TokenSession, label string) []TokenSession {
	out := ls[:0:0]
	for _, l := range ls {
		if l.Label != label {
			out = append(out, l)
		}
	}
	return out
}

// errNoCredentials is what a transaction without a provider answers.
var errNoCredentials = errors.New("no certificate or token access in this transaction")

// noCredentials is the provider of a transaction nobody gave one: no
// certificates, no tokens.
type noCredentials struct{}

func (noCredentials) Module(HostInfo, string) (string, bool) { return "", false }

func (noCredentials) LoadCertificates(HostInfo, string) (CertLoad, error) { return CertLoad{}, nil }

func (noCredentials) TokenLogin(string, string, string) ([]TokenKey, error) {
	return nil, errNoCredentials
}

func (noCredentials) Sign(HostInfo, string, KeyRef, string, []byte) ([]byte, error) {
	return nil, errNoCredentials
}

func (noCredentials) StorePIN(PINSlot, string) error { return errNoCredentials }

func (noCredentials) PIN(PINSlot) (string, bool, error) { return "", false, nil }

func (noCredentials) ForgetPIN(PINSlot) error { return nil }

func (noCredentials) ForgetRun(DaemonRun) error { return nil }
