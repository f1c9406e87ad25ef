package engine_test

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// memCredentials is an in-memory engine.Credentials: per host, the
// certificate files with their key files, and PKCS#11 tokens with a PIN
// each. The real provider (pkg/lab) reads the host tree and SoftHSM2.
type memCredentials struct {
	files  map[string][]engine.CertSource // host -> sources
	keys   map[string]*rsa.PrivateKey     // key file or "token/id" -> key
	tokens map[string]memToken            // label -> token
	module string                         // what Module answers ("" none)
	signs  int
	// pins is the PIN store: what StorePIN keeps, by slot.
	pins map[engine.PINSlot]string
	// noPINStore makes StorePIN fail, as where no memory-backed storage is.
	noPINStore bool
}

type memToken struct {
	pin  string
	keys []engine.TokenKey
}

func newMemCredentials() *memCredentials {
	return &memCredentials{files: map[string][]engine.CertSource{}, keys: map[string]*rsa.PrivateKey{}, tokens: map[string]memToken{},
		pins: map[engine.PINSlot]string{}}
}

func (m *memCredentials) Module(engine.HostInfo, string) (string, bool) {
	return m.module, m.module != ""
}

func (m *memCredentials) LoadCertificates(host engine.HostInfo, module string) (engine.CertLoad, error) {
	return engine.CertLoad{Certs: append([]engine.CertSource(nil), m.files[host.Name]...), Module: module}, nil
}

func (m *memCredentials) TokenLogin(module, label, pin string) ([]engine.TokenKey, error) {
	tok, ok := m.tokens[label]
	switch {
	case !ok:
		return nil, fmt.Errorf("no token %q", label)
	case tok.pin != pin:
		return nil, errors.New("CKR_PIN_INCORRECT")
	}
	return tok.keys, nil
}

func (m *memCredentials) Sign(host engine.HostInfo, module string, key engine.KeyRef, pin string, data []byte) ([]byte, error) {
	name := key.File
	if key.Token != "" {
		if m.tokens[key.Token].pin != pin {
			return nil, errors.New("CKR_PIN_INCORRECT")
		}
		name = fmt.Sprintf("%s/%x", key.Token, key.ID)
	}
	k, ok := m.keys[name]
	if !ok {
		return nil, fmt.Errorf("no key %q", name)
	}
	m.signs++
	return rsa.SignPKCS1v15(nil, k, 0, data)
}

// slot is a PINSlot as a map key: the start time by instant, as a
// decoded time and the one encoded compare unequal with ==.
func slot(s engine.PINSlot) engine.PINSlot {
	s.Run.Started = time.Unix(s.Run.Started.Unix(), int64(s.Run.Started.Nanosecond())).UTC()
	return s
}

func (m *memCredentials) StorePIN(s engine.PINSlot, pin string) error {
	if m.noPINStore {
		return errors.New("no memory-backed storage")
	}
	m.pins[slot(s)] = pin
	return nil
}

func (m *memCredentials) PIN(s engine.PINSlot) (string, bool, error) {
	pin, ok := m.pins[slot(s)]
	return pin, ok, nil
}

func (m *memCredentials) ForgetPIN(s engine.PINSlot) error {
	delete(m.pins, slot(s))
	return nil
}

func (m *memCredentials) ForgetRun(r engine.DaemonRun) error {
	for s := range m.pins {
		if s.Run.Host == r.Host && s.Run.PID == r.PID && s.Run.Started.Equal(r.Started) {
			delete(m.pins, s)
		}
	}
	return nil
}

// addFile gives host a certificate file, with its key file if key is set.
func (m *memCredentials) addFile(host, file string, c *testCert, withKey bool) {
	s := engine.CertSource{DER: c.der, File: file}
	if withKey {
		s.KeyFile = file + ".key"
		m.keys[s.KeyFile] = c.key
	}
	m.files[host] = append(m.files[host], s)
}

// addToken puts a certificate and its key on token label of host.
func (m *memCredentials) addToken(host, label, pin string, id byte, c *testCert) {
	m.files[host] = append(m.files[host], engine.CertSource{DER: c.der, Token: label, ObjectID: []byte{id}})
	tok := m.tokens[label]
	tok.pin = pin
	tok.keys = append(tok.keys, engine.TokenKey{ID: []byte{id}, Fingerprint: engine.KeyFingerprint(&c.key.PublicKey)})
	m.tokens[label] = tok
	m.keys[fmt.Sprintf("%s/%x", label, []byte{id})] = c.key
}

type testCert struct {
	der  []byte
	cert *x509.Certificate
	key  *rsa.PrivateKey
}

func testKey(t *testing.T, name string) *rsa.PrivateKey {
	t.Helper()
	b, _ := pem.Decode([]byte(testKeysPEM[name]))
	if b == nil {
		t.Fatalf("no test key %q", name)
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*rsa.PrivateKey)
}

// certOpts shape a test certificate.
type certOpts struct {
	dns, email []string
	ips        []string
	notAfter   time.Time
}

// makeCert issues a certificate for subject CN=cn, O=ikemu signed by
// issuer (nil: self-signed CA). Signing with PKCS#1 v1.5 is
// deterministic, so the same inputs give the same DER.
func makeCert(t *testing.T, serial int64, cn, keyName string, issuer *testCert, o certOpts) *testCert {
	t.Helper()
	key := testKey(t, keyName)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"ikemu"}, Country: []string{"US"}},
		NotBefore:    labClock.Add(-24 * time.Hour),
		NotAfter:     labClock.Add(365 * 24 * time.Hour),
		DNSNames:     o.dns, EmailAddresses: o.email,
		SubjectKeyId: []byte{byte(serial), 0xaa},
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if !o.notAfter.IsZero() {
		tmpl.NotAfter = o.notAfter
	}
	for _, ip := range o.ips {
		tmpl.IPAddresses = append(tmpl.IPAddresses, net.ParseIP(ip))
	}
	parent, signer := tmpl, key
	if issuer == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	} else {
		parent, signer = issuer.cert, issuer.key
	}
	der, err := x509.CreateCertificate(nil, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCert{der: der, cert: c, key: key}
}

func TestMemCredentialsDeterministicCerts(t *testing.T) {
	t.Parallel()
	ca1 := makeCert(t, 1, "Test CA", "ca", nil, certOpts{})
	ca2 := makeCert(t, 1, "Test CA", "ca", nil, certOpts{})
	if !bytes.Equal(ca1.der, ca2.der) {
		t.Error("certificate generation is not reproducible")
	}
}
