package interop

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/token/tokentest"
)

const (
	rsaCADN     = "C=US, O=ikemu lab, CN=Interop CA"
	rsaSolDN    = "C=US, O=ikemu lab, CN=sol"
	rsaCharonDN = "C=US, O=ikemu lab, CN=charon"
)

// rsaConn is charon's side of Main Mode with RSA signatures: its
// certificate always sent, the peer's identity its DN.
func rsaConn(local, remote string) string {
	return fmt.Sprintf(`connections {
	lab {
		version = 1
		local_addrs = %s
		remote_addrs = %s
		proposals = aes128-sha1-modp2048
		rekey_time = 0
		send_cert = always
		local {
			auth = pubkey
			certs = charon.pem
			id = "%s"
		}
		remote {
			auth = pubkey
			id = "%s"
		}
		children {
			lab {
				mode = transport
				esp_proposals = aes128-sha1
				start_action = none
				rekey_time = 0
			}
		}
	}
}
`, local, remote, rsaCharonDN, rsaSolDN)
}

// TestSolarisToCharonRSA: a Solaris host authenticates to charon with an
// RSA signature and checks charon's, with certificates the test made
// (one CA; sol's key a file in its tree); both ends agree on the keys and
// Quick Mode completes. Then charon initiates and ikemu serve answers
// for sol the same way.
func TestSolarisToCharonRSA(t *testing.T) {
	skipUnlessInterop(t)
	ca, err := tokentest.NewCert(tokentest.CertSpec{Subject: rsaCADN, CA: true})
	if err != nil {
		t.Fatal(err)
	}
	sol, err := tokentest.NewCert(tokentest.CertSpec{Subject: rsaSolDN, Signer: ca})
	if err != nil {
		t.Fatal(err)
	}
	moon, err := tokentest.NewCert(tokentest.CertSpec{Subject: rsaCharonDN, Signer: ca})
	if err != nil {
		t.Fatal(err)
	}
	net, c := charonSide(t, func(l, r string) string {
		return pskConn(l, r, "aes128-sha1-modp2048", "aes128-sha1", "unused", false)
	})
	certPEM := func(i *tokentest.Issued) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: i.Cert.Raw})
	}
	moonKey, err := x509.MarshalPKCS8PrivateKey(moon.Key)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"x509ca/ca.pem": certPEM(ca), "x509/charon.pem": certPEM(moon),
		"private/charon.key": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: moonKey})} {
		if err := os.WriteFile(filepath.Join(c.Dir, "swanctl", name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Load(rsaConn(net.B.Addr, net.A.Addr)); err != nil {
		t.Fatal(err)
	}

	const xform = "auth_method rsa_sig oakley_group 14 auth_alg sha encr_alg aes"
	l := solarisLab(t, net.A, net.B, "auth_method preshared oakley_group 14 auth_alg sha encr_alg aes", "unused")
	solKey, err := x509.MarshalPKCS8PrivateKey(sol.Key)
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range map[string][]byte{"etc/inet/ike/publickeys/ca.pem": certPEM(ca),
		"etc/inet/ike/publickeys/sol": sol.Cert.Raw, "etc/inet/secret/ike.privatekeys/0": solKey} {
		if err := l.WriteHostFile(rel, string(data)); err != nil {
			t.Fatal(err)
		}
	}
	l.Globals = fmt.Sprintf("retry_limit 2\ncert_root %q\n", rsaCADN)
	configureSolaris(t, l, net.A, net.B, xform, fmt.Sprintf("local_id_type dn local_id %q remote_id %q", rsaSolDN, rsaCharonDN), "unused")

	r, err := l.Run(net.A.NS, "acquire", "--from", net.A.Addr, "--to", net.B.Addr)
	if err != nil || r.Code != 0 {
		t.Fatalf("acquire: %v %+v\n%s", err, r, grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]"))
	}
	if !strings.Contains(r.Stdout, "quick mode SA 1 created") {
		t.Errorf("acquire said %q", r.Stdout)
	}
	if want := "authentication of '" + rsaSolDN + "' with RSA_EMSA_PKCS1_NULL successful"; !strings.Contains(c.Log(), want) {
		t.Errorf("charon's log lacks %q:\n%s", want, grepLog(c.Log(), "[IKE]", "[CFG]"))
	}
	if !waitFor(5*time.Second, func() bool { return strings.Contains(c.Log(), qmInstallFailure) }) {
		t.Errorf("charon did not finish Quick Mode:\n%s", grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]", "[KNL]"))
	}
	sas := dumpP1(t, l)
	if len(sas) != 1 {
		t.Fatalf("dump p1 lists %d SAs", len(sas))
	}
	k, err := LoggedPhase1Keys(c.Log())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sas[0].Keys["SKEYID"], k.SKEYID) || !bytes.Equal(sas[0].Keys["SKEYID_d"], k.SKEYIDd) {
		t.Errorf("SKEYID, SKEYID_d: ikeadm %x %x, charon %x %x", sas[0].Keys["SKEYID"], sas[0].Keys["SKEYID_d"], k.SKEYID, k.SKEYIDd)
	}
	if p := mustRun(t, l, "ikeadm", "dump", "p1").Stdout; !strings.Contains(p, "Authentication method: RSA signatures") {
		t.Errorf("dump p1:\n%s", p)
	}

	// sol checks charon's certificate: one its remote_id does not name
	// fails the exchange on sol's side.
	configureSolaris(t, l, net.A, net.B, xform, fmt.Sprintf("local_id_type dn local_id %q remote_id %q", rsaSolDN, "C=US, O=ikemu lab, CN=other"), "unused")
	start := time.Now()
	r, err = l.Run(net.A.NS, "acquire", "--from", net.A.Addr, "--to", net.B.Addr)
	t.Logf("refused in %v", time.Since(start))
	if want := "failed: authentication with " + net.B.Addr + " failed (we rejected the peer's hash)\n"; err != nil || r.Code != 1 || !strings.HasSuffix(r.Stdout, want) {
		t.Errorf("acquire with the wrong remote_id: %v %+v, want exit 1 and ...%q", err, r, want)
	}

	// charon -> sol: ikemu serve answers with sol's signature.
	configureSolaris(t, l, net.A, net.B, xform, fmt.Sprintf("local_id_type dn local_id %q remote_id %q", rsaSolDN, rsaCharonDN), "unused")
	mustRun(t, l, "ikeadm", "flush", "p1")
	_, _ = c.Swanctl("--terminate", "--ike", "lab", "--timeout", "5")
	sv := serve(t, l, net.A.NS, "--host", "sol")
	before := len(c.Log())
	_, _ = c.Swanctl("--initiate", "--child", "lab", "--timeout", "10")
	if want := "authentication of '" + rsaSolDN + "' with RSA_EMSA_PKCS1_NULL successful"; !strings.Contains(c.Log()[before:], want) {
		t.Errorf("charon did not authenticate sol as responder:\n%s\nserve:\n%s", grepLog(c.Log(), "[IKE]", "[CFG]"), sv.Log())
	}
	if sas := dumpP1(t, l); len(sas) != 1 {
		t.Errorf("dump p1 lists %d SAs after charon's initiation; serve:\n%s", len(sas), sv.Log())
	}
}
