package engine_test

import (
	"errors"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// certsLab is one host "a" with the CA and a's leaf as files (the leaf
// with its key) and b's leaf on token "tok" (PIN 1234).
func certsLab(t *testing.T, g engine.GlobalConfig) (*testLab, *memCredentials, sigPKI) {
	t.Helper()
	pki := newSigPKI(t)
	creds := newMemCredentials()
	creds.addFile("a", "ca.pem", pki.ca, false)
	creds.addFile("a", "a.pem", pki.a, true)
	creds.addToken("a", "tok", "1234", 3, pki.b)
	l := newTestLab(t)
	l.update(func(tx *engine.Tx) error {
		h, err := addHostTx(tx, "a", addrA)
		if err != nil {
			return err
		}
		return h.Policies().ReplacePhase1("solaris", nil, g)
	})
	return l, creds, pki
}

func (l *testLab) certs(creds engine.Credentials, fn func(h *engine.Host) error) {
	l.t.Helper()
	l.update(func(tx *engine.Tx) error {
		tx.SetCredentials(creds)
		h, err := tx.Host("a")
		if err != nil {
			return err
		}
		return fn(h)
	})
}

type cacheLine struct {
	cn      string
	trusted bool
	linkage engine.CertLinkage
}

func cacheLines(t *testing.T, h *engine.Host) []cacheLine {
	t.Helper()
	cache, err := h.Certs().Cache()
	if err != nil {
		t.Fatal(err)
	}
	var out []cacheLine
	for i, c := range cache {
		if c.ID != i+1 {
			t.Errorf("entry %d has ID %d", i, c.ID)
		}
		out = append(out, cacheLine{c.Cert.Subject.CommonName, c.Trusted, c.Linkage})
	}
	return out
}

func TestCertCacheTrustAndLinkage(t *testing.T) {
	t.Parallel()
	l, creds, _ := certsLab(t, engine.GlobalConfig{CertRoot: []string{caDN}, CertTrust: []string{"a.example"}})
	l.certs(creds, func(h *engine.Host) error {
		got := cacheLines(t, h)
		want := []cacheLine{{"Test CA", true, engine.CertNoKey}, {"a", true, engine.CertKeyAvailable}, {"b", false, engine.CertKeyLocked}}
		if !equalLines(got, want) {
			t.Errorf("cache %+v, want %+v", got, want)
		}
		return nil
	})
}

func TestCertTrustExclusion(t *testing.T) {
	t.Parallel()
	l, creds, _ := certsLab(t, engine.GlobalConfig{CertRoot: []string{"CN=Test CA, O=ikemu, C=US", "!a.example"}, CertTrust: []string{"a.example", "b.example"}})
	l.certs(creds, func(h *engine.Host) error {
		got := cacheLines(t, h)
		if !got[0].trusted || got[1].trusted || !got[2].trusted {
			t.Errorf("a '!' selector excludes whatever else selects: %+v", got)
		}
		return nil
	})
}

func equalLines(a, b []cacheLine) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTokenLoginLogout(t *testing.T) {
	t.Parallel()
	l, creds, _ := certsLab(t, engine.GlobalConfig{})
	l.certs(creds, func(h *engine.Host) error {
		if err := h.Certs().TokenLogin("tok", "0000"); !errors.Is(err, engine.ErrTokenLogin) {
			t.Errorf("wrong PIN: %v", err)
		}
		if err := h.Certs().TokenLogin("nope", "1234"); !errors.Is(err, engine.ErrTokenLogin) {
			t.Errorf("unknown token: %v", err)
		}
		if d, _ := h.Daemons().IKE(); len(d.Tokens) != 0 {
			t.Errorf("failed logins recorded %+v", d.Tokens)
		}
		return h.Certs().TokenLogin("tok", "1234")
	})
	l.certs(creds, func(h *engine.Host) error {
		if got := cacheLines(t, h); got[2].linkage != engine.CertKeyAvailable {
			t.Errorf("after login b is %+v", got[2])
		}
		d, _ := h.Daemons().IKE()
		if len(d.Tokens) != 1 || d.Tokens[0].Label != "tok" {
			t.Errorf("sessions %+v", d.Tokens)
		}
		// Logging in again replaces the session rather than adding one.
		if err := h.Certs().TokenLogin("tok", "1234"); err != nil {
			return err
		}
		if d, _ := h.Daemons().IKE(); len(d.Tokens) != 1 {
			t.Errorf("second login: %d sessions", len(d.Tokens))
		}
		if err := h.Certs().TokenLogout("tok"); err != nil {
			return err
		}
		if got := cacheLines(t, h); got[2].linkage != engine.CertKeyLocked {
			t.Errorf("after logout b is %+v", got[2])
		}
		if d, _ := h.Daemons().IKE(); len(d.Tokens) != 0 {
			t.Errorf("PIN kept after logout: %+v", d.Tokens)
		}
		if err := h.Certs().TokenLogout("other"); !errors.Is(err, engine.ErrTokenLogin) {
			t.Errorf("logout of a token without certificates: %v", err)
		}
		return nil
	})
}

func TestTokenLoginUnlocksNothing(t *testing.T) {
	t.Parallel()
	l, creds, pki := certsLab(t, engine.GlobalConfig{})
	// A token whose only key belongs to no cached certificate.
	other := makeCert(t, 8, "x", "other-ca", pki.ca, certOpts{})
	creds.tokens["empty"] = memToken{pin: "1", keys: []engine.TokenKey{{ID: []byte{9}, Fingerprint: engine.KeyFingerprint(&other.key.PublicKey)}}}
	l.certs(creds, func(h *engine.Host) error {
		if err := h.Certs().TokenLogin("empty", "1"); !errors.Is(err, engine.ErrTokenLogin) {
			t.Errorf("login unlocking nothing: %v", err)
		}
		return nil
	})
}

func TestTokenKeyLinkedByFingerprint(t *testing.T) {
	t.Parallel()
	l, creds, pki := certsLab(t, engine.GlobalConfig{})
	// a's certificate as a plain file without a key file; its key is on
	// a second token, found by the public key's fingerprint.
	creds.files["a"][1].KeyFile = ""
	creds.tokens["keys"] = memToken{pin: "9", keys: []engine.TokenKey{{ID: []byte{1}, Fingerprint: engine.KeyFingerprint(&pki.a.key.PublicKey)}}}
	l.certs(creds, func(h *engine.Host) error {
		if got := cacheLines(t, h); got[1].linkage != engine.CertNoKey {
			t.Errorf("before login %+v", got[1])
		}
		if err := h.Certs().TokenLogin("keys", "9"); err != nil {
			return err
		}
		cache, _ := h.Certs().Cache()
		if cache[1].Linkage != engine.CertKeyAvailable || cache[1].Key.Token != "keys" {
			t.Errorf("after login %+v", cache[1])
		}
		return nil
	})
}

func TestCertCacheSnapshotPerDaemonRun(t *testing.T) {
	t.Parallel()
	l, creds, pki := certsLab(t, engine.GlobalConfig{})
	l.certs(creds, func(h *engine.Host) error {
		if n := len(cacheLines(t, h)); n != 3 {
			t.Errorf("first load %d", n)
		}
		return nil
	})
	// A new file appears: the running daemon does not see it until a
	// flush or a restart.
	creds.addFile("a", "b.pem", pki.b, false)
	l.certs(creds, func(h *engine.Host) error {
		if n := len(cacheLines(t, h)); n != 3 {
			t.Errorf("same daemon run sees %d", n)
		}
		if err := h.Certs().FlushCache(); err != nil {
			return err
		}
		if n := len(cacheLines(t, h)); n != 4 {
			t.Errorf("after flush %d", n)
		}
		return nil
	})
	creds.files["a"] = creds.files["a"][:1]
	l.certs(creds, func(h *engine.Host) error {
		d, _ := h.Daemons().IKE()
		d.PID++
		if err := h.Daemons().SetIKE(d); err != nil {
			return err
		}
		if n := len(cacheLines(t, h)); n != 1 {
			t.Errorf("after restart %d", n)
		}
		return nil
	})
}

func TestCertCacheReadOnlyDoesNotPersist(t *testing.T) {
	t.Parallel()
	l, creds, _ := certsLab(t, engine.GlobalConfig{})
	err := l.db.View(func(st *store.Tx) error {
		tx := engine.NewTx(st, l.now, nil)
		tx.SetCredentials(creds)
		h, err := tx.Host("a")
		if err != nil {
			return err
		}
		if n := len(cacheLines(t, h)); n != 3 {
			t.Errorf("read-only view %d", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing was stored: a later write transaction loads the files as
	// they are now.
	creds.files["a"] = creds.files["a"][:1]
	l.certs(creds, func(h *engine.Host) error {
		if n := len(cacheLines(t, h)); n != 1 {
			t.Errorf("read-only load was kept: %d", n)
		}
		return nil
	})
}

func TestWithoutCredentials(t *testing.T) {
	t.Parallel()
	l, _, _ := certsLab(t, engine.GlobalConfig{PKCS11Path: "/opt/p11.so"})
	l.host("a", func(h *engine.Host) error {
		if c, err := h.Certs().Cache(); err != nil || len(c) != 0 {
			t.Errorf("cache without a provider %v %v", c, err)
		}
		if err := h.Certs().TokenLogin("tok", "1234"); !errors.Is(err, engine.ErrTokenLogin) {
			t.Errorf("token login without a provider: %v", err)
		}
		if lib, _ := h.Certs().PKCS11Library(); lib != "/opt/p11.so" {
			t.Errorf("library %q, want the configured path", lib)
		}
		return nil
	})
}

func TestPKCS11Library(t *testing.T) {
	t.Parallel()
	l, creds, _ := certsLab(t, engine.GlobalConfig{})
	creds.module = "/usr/lib/softhsm/libsofthsm2.so"
	l.certs(creds, func(h *engine.Host) error {
		if lib, _ := h.Certs().PKCS11Library(); lib != creds.module {
			t.Errorf("explicit module: %q", lib)
		}
		// Loading the cache links the module in; the daemon reports it.
		if _, err := h.Certs().Cache(); err != nil {
			return err
		}
		if d, _ := h.Daemons().IKE(); d.PKCS11Module != creds.module {
			t.Errorf("linked module %q", d.PKCS11Module)
		}
		return nil
	})
	creds.module = ""
	l.certs(creds, func(h *engine.Host) error {
		if lib, _ := h.Certs().PKCS11Library(); lib != "/usr/lib/softhsm/libsofthsm2.so" {
			t.Errorf("linked module not reported: %q", lib)
		}
		return nil
	})
}
