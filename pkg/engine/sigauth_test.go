package engine_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// sigPKI is a CA with leaves for a (a.example) and b (b.example).
type sigPKI struct {
	ca, a, b *testCert
}

func newSigPKI(t *testing.T) sigPKI {
	t.Helper()
	ca := makeCert(t, 1, "Test CA", "ca", nil, certOpts{})
	return sigPKI{
		ca: ca,
		a:  makeCert(t, 2, "a", "a", ca, certOpts{dns: []string{"a.example"}, email: []string{"ike@a.example"}, ips: []string{addrA}}),
		b:  makeCert(t, 3, "b", "b", ca, certOpts{dns: []string{"b.example"}, ips: []string{addrB}}),
	}
}

const caDN = "C=US, O=ikemu, CN=Test CA"

func rsaSig(group int) engine.Transform {
	return engine.Transform{Auth: engine.AuthRSASig, Cipher: engine.CipherAES, KeyMin: 128, KeyMax: 128, Hash: engine.HashSHA1, Group: group, LifetimeSecs: 3600}
}

// sigRule is a certificate rule from local to remote: we are localID,
// we accept remoteID.
func sigRule(local, remote string, idType engine.IDKind, localID, remoteID string) engine.Phase1Policy {
	r := rule("to-"+remote, "solaris", []engine.AddrRange{one(local)}, []engine.AddrRange{one(remote)})
	r.Transforms, r.LocalIDType = []engine.Transform{rsaSig(2)}, idType
	if localID != "" {
		r.LocalIDs.Include = []string{localID}
	}
	if remoteID != "" {
		r.RemoteIDs.Include = []string{remoteID}
	}
	return r
}

// sigLab is a pair lab whose hosts authenticate with certificates: each
// host has the CA certificate and its own leaf with its key file, and
// trusts the CA.
func sigLab(t *testing.T, pki sigPKI, ra, rb engine.Phase1Policy) (*testLab, *memCredentials) {
	t.Helper()
	creds := newMemCredentials()
	creds.addFile("a", "ca.pem", pki.ca, false)
	creds.addFile("a", "a.pem", pki.a, true)
	creds.addFile("b", "ca.pem", pki.ca, false)
	creds.addFile("b", "b.pem", pki.b, true)
	l := newTestLab(t)
	l.update(func(tx *engine.Tx) error {
		for _, end := range []struct {
			name, addr string
			r          engine.Phase1Policy
		}{{"a", addrA, ra}, {"b", addrB, rb}} {
			h, err := addHostTx(tx, end.name, end.addr)
			if err != nil {
				return err
			}
			if err := h.Policies().ReplacePhase1("solaris", []engine.Phase1Policy{end.r}, engine.GlobalConfig{CertRoot: []string{caDN}}); err != nil {
				return err
			}
		}
		return nil
	})
	return l, creds
}

func defaultSigRules() (engine.Phase1Policy, engine.Phase1Policy) {
	return sigRule(addrA, addrB, engine.IDDN, "CN=a, O=ikemu, C=US", "b.example"),
		sigRule(addrB, addrA, engine.IDDN, "b.example", "C=US, O=ikemu, CN=a")
}

// sigAcquire is acquire with credentials in the transaction.
func sigAcquire(t *testing.T, l *testLab, creds *memCredentials, fn func(a, b *engine.Host, sa *engine.Phase1SA, err error)) {
	t.Helper()
	l.update(func(tx *engine.Tx) error {
		tx.SetCredentials(creds)
		a, err := tx.Host("a")
		if err != nil {
			return err
		}
		sa, _, nerr := a.EnsurePhase1(addr(addrA), addr(addrB))
		b, err := tx.Host("b")
		if err != nil {
			return err
		}
		fn(a, b, sa, nerr)
		return nil
	})
}

func TestSigAuthBetweenLabHosts(t *testing.T) {
	t.Parallel()
	pki := newSigPKI(t)
	for _, c := range []struct {
		name   string
		idType engine.IDKind
		ra, rb string // local_id selectors
	}{
		{"dn", engine.IDDN, "CN=a, O=ikemu, C=US", "b.example"},
		{"fqdn", engine.IDFQDN, "a.example", "DNS=b.example"},
		{"user_fqdn", engine.IDUserFQDN, "ike@a.example", ""},
		{"ipv4", engine.IDIPv4, "IP=" + addrA, addrB},
		{"keyid", engine.IDKeyID, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ra := sigRule(addrA, addrB, c.idType, c.ra, "")
			rb := sigRule(addrB, addrA, engine.IDDN, c.rb, "C=US, O=ikemu, CN=a")
			if c.idType == engine.IDUserFQDN {
				rb.LocalIDType = engine.IDDN
			}
			l, creds := sigLab(t, pki, ra, rb)
			sigAcquire(t, l, creds, func(a, b *engine.Host, sa *engine.Phase1SA, err error) {
				if err != nil {
					t.Fatalf("negotiation failed: %v", err)
				}
				peer, err := b.SAs().Phase1ByCookies(sa.CookieI, sa.CookieR)
				if err != nil {
					t.Fatalf("responder SA: %v", err)
				}
				if len(sa.Keys.SKEYID) == 0 || !bytes.Equal(sa.Keys.SKEYID, peer.Keys.SKEYID) || !bytes.Equal(sa.Keys.EncKey, peer.Keys.EncKey) {
					t.Error("ends derived different keys")
				}
				if len(sa.Keys.PSK) != 0 || sa.Xform.Auth != engine.AuthRSASig {
					t.Errorf("SA %+v", sa.Xform)
				}
				if creds.signs != 2 {
					t.Errorf("%d signatures, want one per end", creds.signs)
				}
				if s := stats(t, b); s.RespTotal != 1 {
					t.Errorf("responder stats %+v", s)
				}
			})
		})
	}
}

func TestSigAuthPeerCertCachedOffWire(t *testing.T) {
	t.Parallel()
	pki := newSigPKI(t)
	ra, rb := defaultSigRules()
	l, creds := sigLab(t, pki, ra, rb)
	sigAcquire(t, l, creds, func(a, b *engine.Host, _ *engine.Phase1SA, err error) {
		if err != nil {
			t.Fatal(err)
		}
	})
	l.update(func(tx *engine.Tx) error {
		tx.SetCredentials(creds)
		b, _ := tx.Host("b")
		cache, err := b.Certs().Cache()
		if err != nil {
			return err
		}
		var wire []string
		for _, c := range cache {
			if c.Linkage == engine.CertOffWire {
				wire = append(wire, c.Cert.Subject.CommonName)
			}
		}
		if len(cache) != 3 || len(wire) != 1 || wire[0] != "a" {
			t.Errorf("b's cache has %d entries, off the wire %v", len(cache), wire)
		}
		// A flush reloads from the files: the wire certificate goes.
		if err := b.Certs().FlushCache(); err != nil {
			return err
		}
		if cache, _ := b.Certs().Cache(); len(cache) != 2 {
			t.Errorf("after flush %d entries", len(cache))
		}
		return nil
	})
}

func TestSigAuthFailures(t *testing.T) {
	t.Parallel()
	pki := newSigPKI(t)
	other := makeCert(t, 1, "Other CA", "other-ca", nil, certOpts{})
	rogueB := makeCert(t, 9, "b", "b", other, certOpts{dns: []string{"b.example"}})
	bareA := makeCert(t, 5, "a", "a", pki.ca, certOpts{})
	wrongKey := testKey(t, "a")
	type rules = func(ra, rb *engine.Phase1Policy)
	type env = func(creds *memCredentials, l *testLab)
	cases := []struct {
		name  string
		rules rules
		env   env
		want  engine.FailureKind
		in    string // a phrase of the initiator's reason
	}{
		{"remote_id mismatch at the responder", func(ra, rb *engine.Phase1Policy) {
			rb.RemoteIDs.Include = []string{"CN=someone else"}
		}, nil, engine.FailAuth, "rejected our certificate"},
		{"remote_id mismatch at the initiator", func(ra, rb *engine.Phase1Policy) {
			ra.RemoteIDs.Include = []string{"c.example"}
		}, nil, engine.FailAuth, "does not match remote_id"},
		{"excluded by remote_id", func(ra, rb *engine.Phase1Policy) {
			ra.RemoteIDs = engine.Selectors{Exclude: []string{"b.example"}}
		}, nil, engine.FailAuth, "does not match remote_id"},
		{"no certificate for local_id", func(ra, rb *engine.Phase1Policy) {
			ra.LocalIDs.Include = []string{"nobody.example"}
		}, nil, engine.FailAuth, "no certificate in the cache matches local_id"},
		{"responder has no certificate", func(ra, rb *engine.Phase1Policy) {
			rb.LocalIDs.Include = []string{"nobody.example"}
		}, nil, engine.FailAuth, "cannot authenticate"},
		{"no private key", nil, func(creds *memCredentials, _ *testLab) {
			creds.files["a"][1].KeyFile = ""
		}, engine.FailAuth, "no usable RSA private key"},
		{"fqdn identity without a DNS name", func(ra, _ *engine.Phase1Policy) {
			ra.LocalIDType = engine.IDFQDN
		}, func(creds *memCredentials, _ *testLab) {
			creds.files["a"][1].DER = bareA.der
		}, engine.FailAuth, "has no DNS name"},
		{"untrusted issuer", nil, func(creds *memCredentials, _ *testLab) {
			creds.files["b"][1].DER = rogueB.der
		}, engine.FailAuth, "not trusted"},
		{"no trust anchor", nil, func(_ *memCredentials, l *testLab) {
			l.host("a", func(h *engine.Host) error {
				var rs []engine.Phase1Policy
				_ = h.Policies().ScanPhase1(func(p *engine.Phase1Policy) error { rs = append(rs, *p); return nil })
				return h.Policies().ReplacePhase1("solaris", rs, engine.GlobalConfig{})
			})
		}, engine.FailAuth, "no cert_root or cert_trust"},
		{"wrong private key", nil, func(creds *memCredentials, _ *testLab) {
			creds.keys["b.pem.key"] = wrongKey
		}, engine.FailAuth, "signature check"},
		{"dss_sig", func(ra, rb *engine.Phase1Policy) {
			ra.Transforms[0].Auth, rb.Transforms[0].Auth = engine.AuthDSSSig, engine.AuthDSSSig
		}, nil, engine.FailNotSupported, "dss_sig"},
		{"rsa_encrypt", func(ra, rb *engine.Phase1Policy) {
			ra.Transforms[0].Auth, rb.Transforms[0].Auth = engine.AuthRSAEncrypt, engine.AuthRSAEncrypt
		}, nil, engine.FailNotSupported, "rsa_encrypt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ra, rb := defaultSigRules()
			if c.rules != nil {
				c.rules(&ra, &rb)
			}
			l, creds := sigLab(t, pki, ra, rb)
			if c.env != nil {
				c.env(creds, l)
			}
			sigAcquire(t, l, creds, func(a, b *engine.Host, sa *engine.Phase1SA, err error) {
				if negotiationKind(err) != c.want || !strings.Contains(err.Error(), c.in) {
					t.Fatalf("got %v, want %s mentioning %q", err, c.want, c.in)
				}
				if s := stats(t, a); s.InitRespFail != 1 || s.InitTotal != 0 {
					t.Errorf("initiator stats %+v", s)
				}
				if s := stats(t, b); s.RespFail != 1 || s.RespTotal != 0 {
					t.Errorf("responder stats %+v", s)
				}
			})
		})
	}
}

func TestSigAuthCertExpiresAtLabClock(t *testing.T) {
	t.Parallel()
	pki := newSigPKI(t)
	pki.b = makeCert(t, 3, "b", "b", pki.ca, certOpts{dns: []string{"b.example"}, notAfter: labClock.Add(time.Hour)})
	ra, rb := defaultSigRules()
	l, creds := sigLab(t, pki, ra, rb)
	sigAcquire(t, l, creds, func(_, _ *engine.Host, _ *engine.Phase1SA, err error) {
		if err != nil {
			t.Fatalf("before expiry: %v", err)
		}
	})
	l.now = labClock.Add(2 * time.Hour) // the phase 1 SA and b's certificate ran out
	sigAcquire(t, l, creds, func(_, _ *engine.Host, _ *engine.Phase1SA, err error) {
		if negotiationKind(err) != engine.FailAuth || !strings.Contains(err.Error(), "not trusted") {
			t.Errorf("after expiry: %v", err)
		}
	})
}

func TestSigAuthTokenKey(t *testing.T) {
	t.Parallel()
	pki := newSigPKI(t)
	ra, rb := defaultSigRules()
	l, creds := sigLab(t, pki, ra, rb)
	// a's certificate and key live on a token instead of in files.
	creds.files["a"] = creds.files["a"][:1]
	creds.addToken("a", "tok", "1234", 7, pki.a)
	sigAcquire(t, l, creds, func(_, _ *engine.Host, _ *engine.Phase1SA, err error) {
		if negotiationKind(err) != engine.FailAuth || !strings.Contains(err.Error(), "not logged in") {
			t.Fatalf("locked token: %v", err)
		}
	})
	l.update(func(tx *engine.Tx) error {
		tx.SetCredentials(creds)
		a, _ := tx.Host("a")
		return a.Certs().TokenLogin("tok", "1234")
	})
	sigAcquire(t, l, creds, func(_, _ *engine.Host, sa *engine.Phase1SA, err error) {
		if err != nil {
			t.Fatalf("after token login: %v", err)
		}
	})
}

func TestSigAuthOutsidePeer(t *testing.T) {
	t.Parallel()
	pki := newSigPKI(t)
	creds := newMemCredentials()
	creds.addFile("a", "a.pem", pki.a, true)
	l := newTestLab(t)
	l.addHost("a", addrA)
	l.update(func(tx *engine.Tx) error {
		tx.SetCredentials(creds)
		a, _ := tx.Host("a")
		r := sigRule(addrA, "192.0.2.7", engine.IDDN, "", "")
		if err := a.Policies().ReplacePhase1("solaris", []engine.Phase1Policy{r}, engine.GlobalConfig{}); err != nil {
			return err
		}
		sa, _, err := a.EnsurePhase1(addr(addrA), addr("192.0.2.7"))
		if err != nil || sa == nil {
			t.Fatalf("outside peer accepting: %v", err)
		}
		if creds.signs != 1 {
			t.Errorf("%d signatures", creds.signs)
		}
		told := false
		for _, e := range tx.Events() {
			told = told || (e.Kind == engine.EventDiagnostic && e.Category == engine.DebugCert &&
				strings.Contains(e.Detail, "accepted our certificate"))
		}
		if !told {
			t.Errorf("no diagnostic: %+v", tx.Events())
		}
		return nil
	})
}
