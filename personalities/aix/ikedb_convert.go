package aix

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// ikedbConverter is the conversion behind ikedb -c: it reads a Linux
// (FreeS/WAN-style) IPsec configuration and its secrets file, given as
// paths already resolved, and returns the AIX definitions they amount to,
// which ikedb then puts (or writes with -f), and warnings about what it
// could not carry over. ikedb prints each warning, then the error if
// any, after "ikedb: " as they are: they should name the file and line,
// and must never show a secret. Warnings alone do not fail the command.
// Package personalities/aix/ipsecconf provides it.
type ikedbConverter func(confPath, secretsPath string) (doc *vpnxml.Document, warnings []string, err error)

// linuxConverter returns the -c conversion. There is none until package
// ipsecconf lands, and -c says so; its author wires it here:
//
//	func linuxConverter() ikedbConverter { return ipsecconf.Convert }
func linuxConverter() ikedbConverter { return nil }

// Default files of -l and -k, inside the emulated host's tree.
const (
	ikedbLinuxConf    = "etc/ipsec.conf"
	ikedbLinuxSecrets = "etc/ipsec.secrets"
)

// convert is ikedb -c: convert, then put the result (-F forcing), or with
// -f write it to that file instead.
func (c *ikedbCmd) convert(conv ikedbConverter) error {
	if conv == nil {
		return ikedbFail("-c: converting Linux IPsec configurations is not available yet in this ikemu build")
	}
	conf := c.lab.HostPath(c.lab.HostName, ikedbLinuxConf)
	if c.o.linux != "" {
		conf = c.p.Path(c.o.linux)
	}
	secrets := c.lab.HostPath(c.lab.HostName, ikedbLinuxSecrets)
	if c.o.secrets != "" {
		secrets = c.p.Path(c.o.secrets)
	}
	doc, warnings, err := conv(conf, secrets)
	for _, w := range warnings {
		fmt.Fprintf(c.p.Stderr, "ikedb: %s\n", w)
	}
	if err != nil {
		return ikedbFail("%s", err)
	}
	if c.o.xmlFile == "" {
		return c.put(doc, c.o.force)
	}
	if errs := vpnxml.Validate(doc, nil); errs != nil {
		return ikedbXMLFailure(errs)
	}
	return writeIkedbFile(c.p.Path(c.o.xmlFile), c.o.xmlFile, doc)
}

// writeIkedbFile writes doc to path through a temporary file renamed into
// place, mode 0600 from the start: the document holds preshared keys.
func writeIkedbFile(path, name string, doc *vpnxml.Document) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".ikedb-*")
	if err != nil {
		return ikedbFail("cannot create %s: %s", name, ikedbStrerror(err))
	}
	tmp := f.Name()
	err = vpnxml.Write(f, doc)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return ikedbFail("cannot write %s: %s", name, ikedbStrerror(err))
	}
	return nil
}
