//go:build !cgo

package token

import (
	"crypto/rsa"
	"crypto/x509"
)

// Built tells whether this binary can use PKCS#11 modules: the binding
// needs cgo, and this build has none.
const Built = false

// Module stands in for a loaded module; it cannot be had in this build.
type Module struct{}

// Session stands in for a logged-in session.
type Session struct{}

// Open always fails: there is no PKCS#11 binding without cgo.
func Open(string) (*Module, error) { return nil, ErrNotBuilt }

// Path is empty.
func (m *Module) Path() string { return "" }

// Close does nothing.
func (m *Module) Close() error { return nil }

// Labels fails with ErrNotBuilt.
func (m *Module) Labels() ([]string, error) { return nil, ErrNotBuilt }

// Certificates fails with ErrNotBuilt.
func (m *Module) Certificates(string) ([]Certificate, error) { return nil, ErrNotBuilt }

// Login fails with ErrNotBuilt.
func (m *Module) Login(string, string) (*Session, error) { return nil, ErrNotBuilt }

// Provision fails with ErrNotBuilt.
func (m *Module) Provision(string, string) (*Session, error) { return nil, ErrNotBuilt }

// Close does nothing.
func (s *Session) Close() error { return nil }

// PrivateKeys fails with ErrNotBuilt.
func (s *Session) PrivateKeys() ([]Key, error) { return nil, ErrNotBuilt }

// SignRSA fails with ErrNotBuilt.
func (s *Session) SignRSA([]byte, []byte) ([]byte, error) { return nil, ErrNotBuilt }

// ImportCertificate fails with ErrNotBuilt.
func (s *Session) ImportCertificate(string, []byte, *x509.Certificate) error { return ErrNotBuilt }

// ImportRSAKey fails with ErrNotBuilt.
func (s *Session) ImportRSAKey(string, []byte, *rsa.PrivateKey) error { return ErrNotBuilt }
