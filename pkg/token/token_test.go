package token_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"errors"
	"os"
	"testing"

	"github.com/ikemu/ikemu/pkg/token"
	"github.com/ikemu/ikemu/pkg/token/tokentest"
)

// softHSM gives the test its own SoftHSM2 store with one token, or skips
// (fails in CI, where SoftHSM2 must be installed).
func softHSM(t *testing.T, label, pin string) string {
	t.Helper()
	module := tokentest.Module()
	if module == "" {
		if tokentest.Required(os.Getenv) {
			t.Fatal(tokentest.Missing())
		}
		t.Skip(tokentest.Missing())
	}
	conf, err := tokentest.NewConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	if err := tokentest.InitToken(conf, label, pin); err != nil {
		t.Fatal(err)
	}
	return module
}

func TestTokenRoundTrip(t *testing.T) {
	module := softHSM(t, "ikemu test", "4321")
	leaf, err := tokentest.NewCert(tokentest.CertSpec{Subject: "C=US, O=ikemu, CN=token test"})
	if err != nil {
		t.Fatal(err)
	}
	id := []byte{0x01, 0x02}
	if err := tokentest.Import(module, "ikemu test", "4321", id, "leaf", leaf.Cert, leaf.Key); err != nil {
		t.Fatal(err)
	}

	m, err := token.Open(module)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	labels, err := m.Labels()
	if err != nil || len(labels) != 1 || labels[0] != "ikemu test" {
		t.Fatalf("labels %q, %v; want [ikemu test]", labels, err)
	}
	certs, err := m.Certificates("ikemu test")
	if err != nil || len(certs) != 1 || string(certs[0].DER) != string(leaf.Cert.Raw) || string(certs[0].ID) != string(id) {
		t.Fatalf("certificates %+v, %v", certs, err)
	}
	if _, err := m.Certificates("no such token"); !errors.Is(err, token.ErrNoToken) {
		t.Fatalf("unknown token: %v, want ErrNoToken", err)
	}
	if _, err := m.Login("ikemu test", "0000"); !errors.Is(err, token.ErrLogin) {
		t.Fatalf("wrong PIN: %v, want ErrLogin", err)
	}

	s, err := m.Login("ikemu test", "4321")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keys, err := s.PrivateKeys()
	if err != nil || len(keys) != 1 || keys[0].RSA == nil {
		t.Fatalf("keys %+v, %v", keys, err)
	}
	digest := sha1.Sum([]byte("HASH_I"))
	sig, err := s.SignRSA(id, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	// IKEv1 signs the hash itself, with no DigestInfo: hash 0.
	if err := rsa.VerifyPKCS1v15(&leaf.Key.PublicKey, crypto.Hash(0), digest[:], sig); err != nil {
		t.Fatalf("token signature does not verify: %v", err)
	}
	if _, err := s.SignRSA([]byte{9}, digest[:]); !errors.Is(err, token.ErrNoKey) {
		t.Fatalf("unknown key id: %v, want ErrNoKey", err)
	}
}

func TestOpenMissingModule(t *testing.T) {
	if _, err := token.Open("/nonexistent/libpkcs11.so"); err == nil {
		t.Fatal("opening a missing module succeeded")
	}
}
