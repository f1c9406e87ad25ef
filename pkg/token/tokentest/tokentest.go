// Package tokentest gives tests real PKCS#11 tokens and certificates:
// SoftHSM2 tokens kept under a test's own directory (never the machine's
// token store), and RSA certificates made with crypto/x509.
package tokentest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/token"
)

// SOPIN is the security officer PIN of every test token.
const SOPIN = "12345678"

// Module returns the SoftHSM2 module when SoftHSM2 (its module and
// softhsm2-util) is installed and this build can load modules, else "".
func Module() string {
	if !token.Built {
		return ""
	}
	if _, err := exec.LookPath("softhsm2-util"); err != nil {
		return ""
	}
	if fi, err := os.Stat(token.SoftHSMModule); err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	return token.SoftHSMModule
}

// Required reports whether tests must fail, not skip, without SoftHSM2:
// in CI (CI=true), where scripts/test installs it, its absence is a bug.
func Required(getenv func(string) string) bool { return getenv("CI") == "true" }

// Missing explains what is missing, for skip and failure messages.
func Missing() string {
	if !token.Built {
		return "this test binary was built without cgo, so it cannot load PKCS#11 modules"
	}
	return "SoftHSM2 is not installed (apt-get install softhsm2; scripts/test does it)"
}

// NewConfig writes a SoftHSM2 configuration that keeps tokens under dir
// and returns its path, for SOFTHSM2_CONF.
func NewConfig(dir string) (string, error) {
	tokens := filepath.Join(dir, "tokens")
	if err := os.MkdirAll(tokens, 0o700); err != nil {
		return "", fmt.Errorf("softhsm token directory: %w", err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	text := "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		return "", fmt.Errorf("softhsm configuration: %w", err)
	}
	return conf, nil
}

// InitToken initialises a token labelled label, user PIN pin, in the
// first free slot of the SoftHSM2 store conf configures.
func InitToken(conf, label, pin string) error {
	cmd := exec.Command("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SOPIN, "--pin", pin)
	cmd.Env = append(os.Environ(), "SOFTHSM2_CONF="+conf)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("softhsm2-util --init-token %q: %w: %s", label, err, out.String())
	}
	return nil
}

// Import stores a certificate and, when key is not nil, its private key
// on a token with the same CKA_ID. The process's SOFTHSM2_CONF decides
// which store the module opens.
func Import(module, label, pin string, id []byte, objLabel string, cert *x509.Certificate, key *rsa.PrivateKey) error {
	m, err := token.Open(module)
	if err != nil {
		return err
	}
	defer m.Close()
	s, err := m.Provision(label, pin)
	if err != nil {
		return err
	}
	defer s.Close()
	if cert != nil {
		if err := s.ImportCertificate(objLabel, id, cert); err != nil {
			return err
		}
	}
	if key != nil {
		return s.ImportRSAKey(objLabel, id, key)
	}
	return nil
}

// Issued is a certificate and its private key.
type Issued struct {
	Cert *x509.Certificate
	Key  *rsa.PrivateKey
}

// CertSpec describes a certificate to make.
type CertSpec struct {
	Subject string  // DN in certificate order: "C=US, O=Lab, CN=host"
	Signer  *Issued // nil: self-signed
	CA      bool
	DNS     []string
	IPs     []net.IP
	Emails  []string
	// NotBefore and NotAfter default to 2020-01-01 and 2040-01-01, which
	// hold any lab clock a test sets.
	NotBefore, NotAfter time.Time
	Bits                int // RSA key size, default 2048
}

// NewCert makes an RSA key and a certificate for it.
func NewCert(spec CertSpec) (*Issued, error) {
	rdns, err := engine.ParseDN(spec.Subject)
	if err != nil {
		return nil, err
	}
	rawSubject, err := asn1.Marshal(rdns)
	if err != nil {
		return nil, fmt.Errorf("encode subject: %w", err)
	}
	bits := spec.Bits
	if bits == 0 {
		bits = 2048
	}
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, fmt.Errorf("serial number: %w", err)
	}
	nb, na := spec.NotBefore, spec.NotAfter
	if nb.IsZero() {
		nb = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if na.IsZero() {
		na = time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, RawSubject: rawSubject, NotBefore: nb, NotAfter: na,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		DNSNames:    spec.DNS,
		IPAddresses: spec.IPs, EmailAddresses: spec.Emails,
		BasicConstraintsValid: true, IsCA: spec.CA,
	}
	if spec.CA {
		tmpl.KeyUsage |= x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	}
	parent, signKey := tmpl, key
	if spec.Signer != nil {
		parent, signKey = spec.Signer.Cert, spec.Signer.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signKey)
	if err != nil {
		return nil, fmt.Errorf("create certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse new certificate: %w", err)
	}
	return &Issued{Cert: cert, Key: key}, nil
}
