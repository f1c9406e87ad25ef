package lab

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path"
	"sort"

	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/token"
)

// Where a host keeps its certificates and private keys (Solaris's
// default locations, inside the host's tree).
const (
	publicKeysDir  = "etc/inet/ike/publickeys"
	privateKeysDir = "etc/inet/secret/ike.privatekeys"
)

// credentials is the lab's engine.Credentials: certificate and key files
// in each host's tree, tokens behind the host's PKCS#11 module.
type credentials struct {
	l *Lab
}

// Module picks a host's PKCS#11 module: a library configured by path is
// used as configured; the system default (none, or libpkcs11.so) means
// the host's real module: ikemu host set --pkcs11, else
// $IKEMU_PKCS11_MODULE, else SoftHSM2 when installed.
func (c credentials) Module(host engine.HostInfo, configured string) (string, bool) {
	switch {
	case configured != "" && configured != engine.SystemPKCS11:
		return configured, true
	case host.PKCS11 != "":
		return host.PKCS11, true
	case c.l.pkcs11Env != "":
		return c.l.pkcs11Env, true
	}
	if fi, err := os.Stat(token.SoftHSMModule); err == nil && fi.Mode().IsRegular() {
		return token.SoftHSMModule, false
	}
	return "", false
}

// LoadCertificates reads the host's public key directory (PEM or DER
// files, in name order) and every token's certificate objects, and links
// each certificate to a key file of the private key directory. A
// certificate found in a file and on a token is one entry.
func (c credentials) LoadCertificates(host engine.HostInfo, module string) (engine.CertLoad, error) {
	var load engine.CertLoad
	keys, problems := c.keyFiles(host)
	load.Problems = problems
	dir := c.l.HostFile(host.Name, publicKeysDir)
	names, err := sortedFiles(dir.Path)
	if err != nil {
		return load, dir.shown(err)
	}
	for _, name := range names {
		certs, err := readCertificates(c.l.HostFile(host.Name, path.Join(publicKeysDir, name)))
		if err != nil {
			load.Problems = append(load.Problems, fmt.Sprintf("publickeys/%s: %v", name, err))
			continue
		}
		for _, cert := range certs {
			load.Certs = append(load.Certs, engine.CertSource{DER: cert.Raw, File: name,
				KeyFile: keys[string(engine.KeyFingerprint(cert.PublicKey))]})
		}
	}
	if module == "" {
		return load, nil
	}
	m, err := token.Open(module)
	if err != nil {
		load.Problems = append(load.Problems, fmt.Sprintf("PKCS#11: %v", err))
		return load, nil
	}
	defer m.Close()
	load.Module = m.Path()
	labels, err := m.Labels()
	if err != nil {
		load.Problems = append(load.Problems, fmt.Sprintf("PKCS#11: %v", err))
		return load, nil
	}
	for _, label := range labels {
		objs, err := m.Certificates(label)
		if err != nil {
			load.Problems = append(load.Problems, fmt.Sprintf("PKCS#11 token %q: %v", label, err))
			continue
		}
		for _, o := range objs {
			cert, err := x509.ParseCertificate(o.DER)
			if err != nil {
				load.Problems = append(load.Problems, fmt.Sprintf("PKCS#11 token %q, object %q: not an X.509 certificate", label, o.Label))
				continue
			}
			load.Certs = mergeTokenCert(load.Certs, engine.CertSource{DER: cert.Raw, Token: label, ObjectID: o.ID,
				KeyFile: keys[string(engine.KeyFingerprint(cert.PublicKey))]})
		}
	}
	return load, nil
}

// mergeTokenCert adds a token certificate, or marks the file entry of the
// same certificate as also being on the token.
func mergeTokenCert(certs []engine.CertSource, s engine.CertSource) []engine.CertSource {
	for i := range certs {
		if bytes.Equal(certs[i].DER, s.DER) && certs[i].Token == "" {
			certs[i].Token, certs[i].ObjectID = s.Token, s.ObjectID
			return certs
		}
	}
	return append(certs, s)
}

// keyFiles maps the public key fingerprint of each private key file to
// the file's name.
func (c credentials) keyFiles(host engine.HostInfo) (map[string]string, []string) {
	dir := c.l.HostFile(host.Name, privateKeysDir)
	names, err := sortedFiles(dir.Path)
	if err != nil {
		return nil, []string{dir.shown(err).Error()}
	}
	keys := map[string]string{}
	var problems []string
	for _, name := range names {
		k, err := readPrivateKey(c.l.HostFile(host.Name, path.Join(privateKeysDir, name)))
		if err != nil {
			problems = append(problems, fmt.Sprintf("ike.privatekeys/%s: %v", name, err))
			continue
		}
		fp := string(engine.KeyFingerprint(k.Public()))
		if _, dup := keys[fp]; !dup {
			keys[fp] = name
		}
	}
	return keys, problems
}

// sortedFiles lists the regular files of dir by name; a missing
// directory is empty.
func sortedFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// readCertificates reads the certificates of a PEM file (every
// CERTIFICATE block) or a DER file (one certificate).
func readCertificates(f HostFile) ([]*x509.Certificate, error) {
	raw, err := f.Read(boundedio.FileLimit)
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(raw, []byte("-----BEGIN")) {
		cert, err := x509.ParseCertificate(raw)
		if err != nil {
			return nil, errors.New("not a certificate (PEM or DER)")
		}
		return []*x509.Certificate{cert}, nil
	}
	var certs []*x509.Certificate
	for rest := raw; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("bad certificate: %w", err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, errors.New("no CERTIFICATE block")
	}
	return certs, nil
}

// readPrivateKey reads a PKCS#8, PKCS#1 or SEC 1 private key, PEM or DER
// (Solaris keeps PKCS#8 DER files there).
func readPrivateKey(f HostFile) (crypto.Signer, error) {
	raw, err := f.Read(boundedio.FileLimit)
	if err != nil {
		return nil, err
	}
	if b, _ := pem.Decode(raw); b != nil {
		raw = b.Bytes
	}
	if k, err := x509.ParsePKCS8PrivateKey(raw); err == nil {
		switch k := k.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		case ed25519.PrivateKey:
			return k, nil
		}
		return nil, errors.New("unsupported private key type")
	}
	if k, err := x509.ParsePKCS1PrivateKey(raw); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(raw); err == nil {
		return k, nil
	}
	return nil, errors.New("not a private key (PKCS#8, PKCS#1 or SEC 1; PEM or DER)")
}

// TokenLogin logs in to a token with pin and lists the private keys it
// unlocks. The PIN never appears in an error.
func (c credentials) TokenLogin(module, label, pin string) ([]engine.TokenKey, error) {
	if module == "" {
		return nil, errors.New("no PKCS#11 module (ikemu host set --pkcs11, $IKEMU_PKCS11_MODULE, or install SoftHSM2)")
	}
	m, err := token.Open(module)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	s, err := m.Login(label, pin)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	keys, err := s.PrivateKeys()
	if err != nil {
		return nil, err
	}
	out := make([]engine.TokenKey, 0, len(keys))
	for _, k := range keys {
		tk := engine.TokenKey{ID: k.ID}
		if k.RSA != nil {
			pub := &rsa.PublicKey{N: new(big.Int).SetBytes(k.RSA.Modulus), E: int(new(big.Int).SetBytes(k.RSA.Exponent).Int64())}
			tk.Fingerprint = engine.KeyFingerprint(pub)
		}
		out = append(out, tk)
	}
	return out, nil
}

// Sign makes an IKEv1 RSA signature with a key file of the host or a
// token key.
func (c credentials) Sign(host engine.HostInfo, module string, key engine.KeyRef, pin string, data []byte) ([]byte, error) {
	if key.File != "" {
		k, err := readPrivateKey(c.l.HostFile(host.Name, path.Join(privateKeysDir, key.File)))
		if err != nil {
			return nil, fmt.Errorf("ike.privatekeys/%s: %w", key.File, err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("ike.privatekeys/%s: not an RSA key", key.File)
		}
		// Hash 0: data is signed as given, with no DigestInfo (IKEv1).
		return rsa.SignPKCS1v15(nil, rk, crypto.Hash(0), data)
	}
	if key.Token == "" {
		return nil, errors.New("no private key")
	}
	if len(key.ID) == 0 {
		return nil, fmt.Errorf("the key on token %q has no CKA_ID to find it by", key.Token)
	}
	m, err := token.Open(module)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	s, err := m.Login(key.Token, pin)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.SignRSA(key.ID, data)
}

// StorePIN keeps a token PIN in the lab's memory-backed PIN store.
func (c credentials) StorePIN(slot engine.PINSlot, pin string) error {
	return c.l.pins.Store(slot, pin)
}

// PIN reads a PIN back from the PIN store.
func (c credentials) PIN(slot engine.PINSlot) (string, bool, error) { return c.l.pins.PIN(slot) }

// ForgetPIN removes a PIN from the PIN store.
func (c credentials) ForgetPIN(slot engine.PINSlot) error { return c.l.pins.Forget(slot) }

// ForgetRun removes every PIN of a daemon run from the PIN store.
func (c credentials) ForgetRun(run engine.DaemonRun) error { return c.l.pins.ForgetRun(run) }
