package lab

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/token"
	"github.com/ikemu/ikemu/pkg/token/tokentest"
)

func TestModuleResolution(t *testing.T) {
	c := credentials{l: &Lab{pkcs11Env: "/env/module.so"}}
	host := engine.HostInfo{Name: "h", PKCS11: "/host/module.so"}
	for _, tc := range []struct {
		configured string
		host       engine.HostInfo
		want       string
	}{
		{"/opt/SUNWconn/lib/libpkcs11.so", host, "/opt/SUNWconn/lib/libpkcs11.so"},
		{engine.SystemPKCS11, host, "/host/module.so"},
		{"", host, "/host/module.so"},
		{"", engine.HostInfo{Name: "h"}, "/env/module.so"},
	} {
		if got, explicit := c.Module(tc.host, tc.configured); got != tc.want || !explicit {
			t.Errorf("Module(%+v, %q) = %q, %v; want %q, explicit", tc.host, tc.configured, got, explicit, tc.want)
		}
	}
	c.l.pkcs11Env = ""
	got, explicit := c.Module(engine.HostInfo{Name: "h"}, "")
	if explicit || (got != "" && got != token.SoftHSMModule) {
		t.Errorf("fallback = %q, %v; want SoftHSM2's module or none, not explicit", got, explicit)
	}
}

// TestLoadCertificateFiles: PEM and DER certificates in name order, each
// linked to its key file; unreadable files are problems, not errors.
func TestLoadCertificateFiles(t *testing.T) {
	l := &Lab{Dir: t.TempDir()}
	if err := l.makeTree("h"); err != nil {
		t.Fatal(err)
	}
	ca, err := tokentest.NewCert(tokentest.CertSpec{Subject: "CN=ca", CA: true, Bits: 1024})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := tokentest.NewCert(tokentest.CertSpec{Subject: "CN=leaf", Signer: ca, Bits: 1024})
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(leaf.Key)
	if err != nil {
		t.Fatal(err)
	}
	write := func(rel string, data []byte) {
		if err := os.WriteFile(l.HostPath("h", rel), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(publicKeysDir, "a-ca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}))
	write(filepath.Join(publicKeysDir, "b-leaf"), leaf.Cert.Raw)
	write(filepath.Join(publicKeysDir, "c-junk"), []byte("junk"))
	write(filepath.Join(privateKeysDir, "0"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))

	load, err := credentials{l: l}.LoadCertificates(engine.HostInfo{Name: "h"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(load.Certs) != 2 || load.Certs[0].File != "a-ca.pem" || load.Certs[1].File != "b-leaf" {
		t.Fatalf("certs %+v", load.Certs)
	}
	if load.Certs[0].KeyFile != "" || load.Certs[1].KeyFile != "0" {
		t.Errorf("key files %q %q; want none and 0", load.Certs[0].KeyFile, load.Certs[1].KeyFile)
	}
	if len(load.Problems) != 1 || load.Module != "" {
		t.Errorf("problems %q, module %q", load.Problems, load.Module)
	}
}
