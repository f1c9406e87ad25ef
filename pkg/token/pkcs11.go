//go:build cgo

package token

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/miekg/pkcs11"
)

// Built tells whether this binary can use PKCS#11 modules.
const Built = true

// Module is a loaded and initialised PKCS#11 module.
type Module struct {
	ctx  *pkcs11.Ctx
	path string
}

// Open loads the module at path and initialises it.
func Open(path string) (*Module, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: no module configured", ErrModule)
	}
	ctx := pkcs11.New(path)
	if ctx == nil {
		return nil, fmt.Errorf("%w %s: the library cannot be loaded", ErrModule, path)
	}
	if err := ctx.Initialize(); err != nil {
		ctx.Destroy()
		return nil, fmt.Errorf("%w %s: %v", ErrModule, path, err)
	}
	return &Module{ctx: ctx, path: path}, nil
}

// Path is the file the module was loaded from.
func (m *Module) Path() string { return m.path }

// Close finalises and unloads the module.
func (m *Module) Close() error {
	err := m.ctx.Finalize()
	m.ctx.Destroy()
	if err != nil {
		return fmt.Errorf("finalize %s: %w", m.path, err)
	}
	return nil
}

// Labels lists the labels of the module's initialised tokens, in slot order.
func (m *Module) Labels() ([]string, error) {
	slots, err := m.ctx.GetSlotList(true)
	if err != nil {
		return nil, fmt.Errorf("list slots of %s: %w", m.path, err)
	}
	var out []string
	for _, s := range slots {
		ti, err := m.ctx.GetTokenInfo(s)
		if err != nil || ti.Flags&pkcs11.CKF_TOKEN_INITIALIZED == 0 {
			continue // an empty slot or a blank token holds nothing to cache
		}
		out = append(out, cleanLabel(ti.Label))
	}
	return out, nil
}

// slot finds the first initialised token labelled label.
func (m *Module) slot(label string) (uint, error) {
	slots, err := m.ctx.GetSlotList(true)
	if err != nil {
		return 0, fmt.Errorf("list slots of %s: %w", m.path, err)
	}
	for _, s := range slots {
		ti, err := m.ctx.GetTokenInfo(s)
		if err != nil || ti.Flags&pkcs11.CKF_TOKEN_INITIALIZED == 0 {
			continue
		}
		if cleanLabel(ti.Label) == label {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%w %q in %s", ErrNoToken, label, m.path)
}

// Certificates reads the X.509 certificate objects a token shows without
// a login (certificates are public objects).
func (m *Module) Certificates(label string) ([]Certificate, error) {
	slot, err := m.slot(label)
	if err != nil {
		return nil, err
	}
	sh, err := m.ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return nil, fmt.Errorf("open session on token %q: %w", label, err)
	}
	defer m.ctx.CloseSession(sh)
	s := &Session{m: m, sh: sh, label: label}
	return s.certificates()
}

// Session is a logged-in session on one token.
type Session struct {
	m     *Module
	sh    pkcs11.SessionHandle
	label string
}

// Login opens a read-only session on token label and logs the user in.
// A wrong PIN is ErrLogin; the PIN is never part of an error.
func (m *Module) Login(label, pin string) (*Session, error) {
	return m.login(label, pin, pkcs11.CKF_SERIAL_SESSION)
}

// Provision is Login on a read-write session, to create objects.
func (m *Module) Provision(label, pin string) (*Session, error) {
	return m.login(label, pin, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
}

func (m *Module) login(label, pin string, flags uint) (*Session, error) {
	slot, err := m.slot(label)
	if err != nil {
		return nil, err
	}
	sh, err := m.ctx.OpenSession(slot, flags)
	if err != nil {
		return nil, fmt.Errorf("open session on token %q: %w", label, err)
	}
	err = m.ctx.Login(sh, pkcs11.CKU_USER, pin)
	if err != nil && !errors.Is(err, pkcs11.Error(pkcs11.CKR_USER_ALREADY_LOGGED_IN)) {
		_ = m.ctx.CloseSession(sh)
		return nil, fmt.Errorf("%w: %v", ErrLogin, err)
	}
	return &Session{m: m, sh: sh, label: label}, nil
}

// Close logs out and closes the session.
func (s *Session) Close() error {
	lerr := s.m.ctx.Logout(s.sh)
	if err := s.m.ctx.CloseSession(s.sh); err != nil {
		return fmt.Errorf("close session on token %q: %w", s.label, err)
	}
	if lerr != nil && !errors.Is(lerr, pkcs11.Error(pkcs11.CKR_USER_NOT_LOGGED_IN)) {
		return fmt.Errorf("logout of token %q: %w", s.label, lerr)
	}
	return nil
}

// find returns the handles of the objects matching a template.
func (s *Session) find(tmpl []*pkcs11.Attribute) ([]pkcs11.ObjectHandle, error) {
	if err := s.m.ctx.FindObjectsInit(s.sh, tmpl); err != nil {
		return nil, fmt.Errorf("search token %q: %w", s.label, err)
	}
	var all []pkcs11.ObjectHandle
	for {
		objs, _, err := s.m.ctx.FindObjects(s.sh, 32)
		if err != nil {
			_ = s.m.ctx.FindObjectsFinal(s.sh)
			return nil, fmt.Errorf("search token %q: %w", s.label, err)
		}
		if len(objs) == 0 {
			break
		}
		all = append(all, objs...)
	}
	if err := s.m.ctx.FindObjectsFinal(s.sh); err != nil {
		return nil, fmt.Errorf("search token %q: %w", s.label, err)
	}
	return all, nil
}

// attr reads one attribute; an attribute the object lacks reads as nil,
// since modules differ in which optional attributes they keep.
func (s *Session) attr(o pkcs11.ObjectHandle, typ uint) []byte {
	a, err := s.m.ctx.GetAttributeValue(s.sh, o, []*pkcs11.Attribute{pkcs11.NewAttribute(typ, nil)})
	if err != nil || len(a) != 1 {
		return nil
	}
	return a[0].Value
}

func (s *Session) certificates() ([]Certificate, error) {
	objs, err := s.find([]*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
		pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
	})
	if err != nil {
		return nil, err
	}
	var out []Certificate
	for _, o := range objs {
		der := s.attr(o, pkcs11.CKA_VALUE)
		if len(der) == 0 {
			continue
		}
		out = append(out, Certificate{Label: string(s.attr(o, pkcs11.CKA_LABEL)), ID: s.attr(o, pkcs11.CKA_ID), DER: der})
	}
	return out, nil
}

// PrivateKeys lists the private keys the login unlocked, with their
// public parts.
func (s *Session) PrivateKeys() ([]Key, error) {
	objs, err := s.find([]*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY)})
	if err != nil {
		return nil, err
	}
	var out []Key
	for _, o := range objs {
		k := Key{Label: string(s.attr(o, pkcs11.CKA_LABEL)), ID: s.attr(o, pkcs11.CKA_ID)}
		if kt, ok := ulong(s.attr(o, pkcs11.CKA_KEY_TYPE)); ok && kt == pkcs11.CKK_RSA {
			k.RSA = &RSAPublic{Modulus: s.attr(o, pkcs11.CKA_MODULUS), Exponent: s.attr(o, pkcs11.CKA_PUBLIC_EXPONENT)}
		}
		out = append(out, k)
	}
	return out, nil
}

// ulong decodes a CK_ULONG attribute value, which modules return in the
// machine's byte order and word size.
func ulong(v []byte) (uint, bool) {
	switch len(v) {
	case 8:
		return uint(binary.NativeEndian.Uint64(v)), true
	case 4:
		return uint(binary.NativeEndian.Uint32(v)), true
	}
	return 0, false
}

// SignRSA signs data with the RSA private key whose CKA_ID is id, using
// CKM_RSA_PKCS: PKCS#1 v1.5 padding over data as given, with no DigestInfo,
// which is what IKEv1 RSA signatures are.
func (s *Session) SignRSA(id, data []byte) ([]byte, error) {
	objs, err := s.find([]*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_RSA),
		pkcs11.NewAttribute(pkcs11.CKA_ID, id),
	})
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 {
		return nil, fmt.Errorf("%w: token %q, id %x", ErrNoKey, s.label, id)
	}
	mech := []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_RSA_PKCS, nil)}
	if err := s.m.ctx.SignInit(s.sh, mech, objs[0]); err != nil {
		return nil, fmt.Errorf("sign on token %q: %w", s.label, err)
	}
	sig, err := s.m.ctx.Sign(s.sh, data)
	if err != nil {
		return nil, fmt.Errorf("sign on token %q: %w", s.label, err)
	}
	return sig, nil
}

// ImportCertificate stores cert on the token as a public certificate
// object with the given label and id.
func (s *Session) ImportCertificate(label string, id []byte, cert *x509.Certificate) error {
	serial, err := asn1.Marshal(cert.SerialNumber)
	if err != nil {
		return fmt.Errorf("encode serial number: %w", err)
	}
	_, err = s.m.ctx.CreateObject(s.sh, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
		pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, false),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
		pkcs11.NewAttribute(pkcs11.CKA_ID, id),
		pkcs11.NewAttribute(pkcs11.CKA_SUBJECT, cert.RawSubject),
		pkcs11.NewAttribute(pkcs11.CKA_ISSUER, cert.RawIssuer),
		pkcs11.NewAttribute(pkcs11.CKA_SERIAL_NUMBER, serial),
		pkcs11.NewAttribute(pkcs11.CKA_VALUE, cert.Raw),
	})
	if err != nil {
		return fmt.Errorf("store certificate on token %q: %w", s.label, err)
	}
	return nil
}

// ImportRSAKey stores key on the token as a private, sensitive signing key
// with the given label and id.
func (s *Session) ImportRSAKey(label string, id []byte, key *rsa.PrivateKey) error {
	if len(key.Primes) != 2 {
		return fmt.Errorf("store key on token %q: only two-prime RSA keys are supported", s.label)
	}
	key.Precompute()
	b := func(n *big.Int) []byte { return n.Bytes() }
	_, err := s.m.ctx.CreateObject(s.sh, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_RSA),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
		pkcs11.NewAttribute(pkcs11.CKA_ID, id),
		pkcs11.NewAttribute(pkcs11.CKA_MODULUS, b(key.N)),
		pkcs11.NewAttribute(pkcs11.CKA_PUBLIC_EXPONENT, big.NewInt(int64(key.E)).Bytes()),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE_EXPONENT, b(key.D)),
		pkcs11.NewAttribute(pkcs11.CKA_PRIME_1, b(key.Primes[0])),
		pkcs11.NewAttribute(pkcs11.CKA_PRIME_2, b(key.Primes[1])),
		pkcs11.NewAttribute(pkcs11.CKA_EXPONENT_1, b(key.Precomputed.Dp)),
		pkcs11.NewAttribute(pkcs11.CKA_EXPONENT_2, b(key.Precomputed.Dq)),
		pkcs11.NewAttribute(pkcs11.CKA_COEFFICIENT, b(key.Precomputed.Qinv)),
	})
	if err != nil {
		return fmt.Errorf("store key on token %q: %w", s.label, err)
	}
	return nil
}
