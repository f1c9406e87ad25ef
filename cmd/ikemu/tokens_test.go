package main

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ikemu/ikemu/pkg/token/tokentest"
)

// Custom testscript commands and conditions for certificates and PKCS#11
// tokens. Every script that uses a token makes its own SoftHSM2 store
// under $WORK, so scripts run in parallel and never touch the machine's
// tokens.

// softHSMCondition is [softhsm]: SoftHSM2 is usable. In CI (CI=true) a
// missing SoftHSM2 is an error, so the token transcripts fail there
// instead of silently skipping.
func softHSMCondition(cond string) (bool, error) {
	if cond != "softhsm" {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	if tokentest.Module() != "" {
		return true, nil
	}
	if tokentest.Required(os.Getenv) {
		return false, errors.New(tokentest.Missing() + "; CI=true requires it")
	}
	return false, nil
}

// softHSMToken is "softhsm LABEL PIN": a new token in the script's own
// SoftHSM2 store. It sets SOFTHSM2_CONF (the store) and SOFTHSM2_MODULE
// (the module file) for the commands that follow.
func softHSMToken(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: softhsm LABEL PIN")
	}
	module := tokentest.Module()
	if module == "" {
		ts.Fatalf("%s", tokentest.Missing())
	}
	conf := ts.Getenv("SOFTHSM2_CONF")
	if conf == "" {
		var err error
		conf, err = tokentest.NewConfig(ts.MkAbs("softhsm"))
		ts.Check(err)
		ts.Setenv("SOFTHSM2_CONF", conf)
		ts.Setenv("SOFTHSM2_MODULE", module)
	}
	ts.Check(tokentest.InitToken(conf, args[0], args[1]))
}

// certGen is "certgen [-ca] [-signer NAME] [-dns D] [-ip A] [-email E]
// [-der] NAME DN": an RSA key (NAME.key, PKCS#8 PEM) and a certificate
// (NAME.pem), signed by NAME's signer or self-signed; -der also writes
// NAME.der and NAME.key.der. The validity (2020 to 2040) holds any lab
// clock the scripts use.
func certGen(ts *testscript.TestScript, neg bool, args []string) {
	fs := flag.NewFlagSet("certgen", flag.ContinueOnError)
	ca := fs.Bool("ca", false, "a CA certificate")
	signer := fs.String("signer", "", "the certificate (NAME) that signs this one")
	dns := fs.String("dns", "", "a DNS subjectAltName")
	ip := fs.String("ip", "", "an IP subjectAltName")
	email := fs.String("email", "", "an e-mail subjectAltName")
	der := fs.Bool("der", false, "also write DER files")
	if err := fs.Parse(args); err != nil || neg || fs.NArg() != 2 {
		ts.Fatalf("usage: certgen [-ca] [-signer NAME] [-dns D] [-ip A] [-email E] [-der] NAME DN")
	}
	name, dn := fs.Arg(0), fs.Arg(1)
	spec := tokentest.CertSpec{Subject: dn, CA: *ca}
	if *signer != "" {
		s, err := loadIssued(ts, *signer)
		ts.Check(err)
		spec.Signer = s
	}
	if *dns != "" {
		spec.DNS = []string{*dns}
	}
	if *ip != "" {
		spec.IPs = []net.IP{net.ParseIP(*ip)}
	}
	if *email != "" {
		spec.Emails = []string{*email}
	}
	is, err := tokentest.NewCert(spec)
	ts.Check(err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(is.Key)
	ts.Check(err)
	write := func(file string, data []byte) {
		ts.Check(os.WriteFile(ts.MkAbs(file), data, 0o600))
	}
	write(name+".pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: is.Cert.Raw}))
	write(name+".key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	if *der {
		write(name+".der", is.Cert.Raw)
		write(name+".key.der", keyDER)
	}
}

// loadIssued reads NAME.pem and NAME.key from the script's directory.
func loadIssued(ts *testscript.TestScript, name string) (*tokentest.Issued, error) {
	cb, _ := pem.Decode([]byte(ts.ReadFile(name + ".pem")))
	kb, _ := pem.Decode([]byte(ts.ReadFile(name + ".key")))
	if cb == nil || kb == nil {
		return nil, fmt.Errorf("%s.pem or %s.key is not PEM", name, name)
	}
	return parseIssued(cb.Bytes, kb.Bytes)
}

func parseIssued(certDER, keyDER []byte) (*tokentest.Issued, error) {
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(keyDER)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an RSA key")
	}
	return &tokentest.Issued{Cert: cert, Key: rk}, nil
}

// p11Import is the program "p11import [-nokey] [-nocert] TOKEN PIN NAME
// HEXID", run by exec so that it loads the module with the script's
// SOFTHSM2_CONF: it stores NAME.pem and NAME.key on the token under the
// object label NAME and CKA_ID HEXID.
func p11Import() int {
	fs := flag.NewFlagSet("p11import", flag.ContinueOnError)
	nokey := fs.Bool("nokey", false, "store the certificate only")
	nocert := fs.Bool("nocert", false, "store the key only")
	if err := fs.Parse(os.Args[1:]); err != nil || fs.NArg() != 4 {
		fmt.Fprintln(os.Stderr, "usage: p11import [-nokey] [-nocert] TOKEN PIN NAME HEXID")
		return 2
	}
	label, pin, name := fs.Arg(0), fs.Arg(1), fs.Arg(2)
	id, err := hex.DecodeString(fs.Arg(3))
	if err != nil {
		fmt.Fprintf(os.Stderr, "p11import: bad id: %v\n", err)
		return 2
	}
	read := func(file string) []byte {
		raw, err := os.ReadFile(filepath.Clean(file))
		if err != nil {
			return nil
		}
		b, _ := pem.Decode(raw)
		if b == nil {
			return nil
		}
		return b.Bytes
	}
	is, err := parseIssued(read(name+".pem"), read(name+".key"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "p11import: %s: %v\n", name, err)
		return 1
	}
	cert, key := is.Cert, is.Key
	if *nokey {
		key = nil
	}
	if *nocert {
		cert = nil
	}
	if err := tokentest.Import(os.Getenv("SOFTHSM2_MODULE"), label, pin, id, name, cert, key); err != nil {
		fmt.Fprintf(os.Stderr, "p11import: %v\n", err)
		return 1
	}
	return 0
}
