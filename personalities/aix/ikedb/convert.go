package ikedb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/ikemu/ikemu/pkg/proc"

	"github.com/ikemu/ikemu/personalities/aix/ipsecconf"
	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/engine"
)

// linuxInput is what ikedb -c hands the conversion: the Linux
// (FreeS/WAN-style) configuration and secrets files, open, with the names
// to report them by (as given to -l and -k, or the vendor's default
// paths), and the emulated host they are moved to.
type linuxInput struct {
	Conf        io.Reader
	ConfName    string
	Secrets     io.Reader // nil when -k was not given and the default file does not exist
	SecretsName string
	LocalAddrs  []netip.Addr // the host's addresses: which side of a conn is local
	Include     fs.FS        // the host's file tree, where absolute include lines resolve
}

// converter is the conversion behind ikedb -c. It returns the AIX
// definitions the input describes, which ikedb then puts (-F forcing) or
// writes to the -f file, and warnings about what it could not carry over.
// ikedb prints each warning, then the error if any, after its prefix as
// they are: they name the file and line and never show a secret.
// Warnings alone do not fail the command.
type converter func(in linuxInput) (doc *vpnxml.Document, warnings []string, err error)

// linuxConverter returns the -c conversion: package ipsecconf, its
// warnings rendered one per line.
func linuxConverter() converter {
	return func(in linuxInput) (*vpnxml.Document, []string, error) {
		doc, warns, err := ipsecconf.Convert(in.Conf, in.ConfName, in.Secrets, in.SecretsName,
			ipsecconf.Options{LocalAddrs: in.LocalAddrs, Include: in.Include})
		lines := make([]string, len(warns))
		for i, w := range warns {
			lines[i] = w.String()
		}
		return doc, lines, err
	}
}

// Default files of -l and -k: the vendor's paths, inside the host's tree.
const (
	linuxConf    = "/etc/ipsec.conf"
	linuxSecrets = "/etc/ipsec.secrets"
)

// convert is ikedb -c: convert, then put the result, or with -f write it
// to that file instead.
func (c *command) convert(conv converter) error {
	if conv == nil {
		return fail("-c: converting Linux IPsec configurations is not available yet in this ikemu build")
	}
	in, closeAll, err := c.linuxInput()
	if err != nil {
		return err
	}
	doc, warnings, err := conv(in)
	closeAll()
	c.printWarnings(warnings)
	if err != nil {
		return fail("%s", err)
	}
	if len(doc.IKETunnels) == 0 {
		// Warnings alone do not fail a conversion, but one that carried
		// nothing over did not do what was asked.
		return fail("%s: no conn was converted", in.ConfName)
	}
	if c.o.xmlFile == "" {
		return c.put(doc, c.o.force)
	}
	if errs := vpnxml.Validate(doc, nil); errs != nil {
		return xmlFailure(errs)
	}
	return writeFile(c.p.Path(c.o.xmlFile), c.o.xmlFile, doc)
}

// maxWarnings bounds the warnings ikedb -c prints: a file of
// thousands of broken conns would otherwise bury the first faults, which
// are the ones to fix, under megabytes of output.
const maxWarnings = 100

// printWarnings prints the first maxWarnings warnings and then how
// many more there were.
func (c *command) printWarnings(warnings []string) {
	w := bufio.NewWriter(c.p.Stderr)
	defer w.Flush()
	if len(warnings) > maxWarnings {
		writeLines(w, warnings[:maxWarnings]...)
		writeLines(w, fmt.Sprintf("%d more warnings not shown", len(warnings)-maxWarnings))
		return
	}
	writeLines(w, warnings...)
}

// linuxInput opens the files of -l and -k (or their defaults in the
// host's tree) and reads the host's addresses; the function returned
// closes the files.
func (c *command) linuxInput() (linuxInput, func(), error) {
	root := c.lab.HostRoot(c.lab.HostName)
	in := linuxInput{ConfName: linuxConf, SecretsName: linuxSecrets, Include: os.DirFS(root)}
	conf, err := c.openLinuxFile(c.o.linux, &in.ConfName, false)
	if err != nil {
		return in, nil, err
	}
	secrets, err := c.openLinuxFile(c.o.secrets, &in.SecretsName, true)
	if err != nil {
		conf.Close()
		return in, nil, err
	}
	closeAll := func() {
		conf.Close()
		if secrets != nil {
			secrets.Close()
		}
	}
	in.Conf = conf
	if secrets != nil { // a nil *os.File would make a non-nil io.Reader
		in.Secrets = secrets
	}
	if in.LocalAddrs, err = c.hostAddrs(); err != nil {
		closeAll()
		return in, nil, err
	}
	return in, closeAll, nil
}

// openLinuxFile opens the file given on the command line, else the
// default one, named *name, inside the host's tree. A missing default is
// no file when optional.
func (c *command) openLinuxFile(given string, name *string, optional bool) (*os.File, error) {
	path := c.lab.HostPath(c.lab.HostName, *name)
	if given != "" {
		*name, path = given, c.p.Path(given)
	}
	f, err := os.Open(path)
	switch {
	case err == nil:
		return f, nil
	case optional && given == "" && errors.Is(err, fs.ErrNotExist):
		return nil, nil
	}
	return nil, fail("cannot open %s: %s", *name, proc.Strerror(err))
}

func (c *command) hostAddrs() ([]netip.Addr, error) {
	var addrs []netip.Addr
	err := c.lab.View(func(tx *engine.Tx) error {
		h, err := tx.Host(c.lab.HostName)
		if err == nil {
			addrs = h.Info.Addrs
		}
		return err
	})
	return addrs, err
}

// writeFile writes doc to path through a temporary file renamed into
// place, mode 0600 from the start: the document holds preshared keys.
func writeFile(path, name string, doc *vpnxml.Document) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".ikedb-*")
	if err != nil {
		return fail("cannot create %s: %s", name, proc.Strerror(err))
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
		return fail("cannot write %s: %s", name, proc.Strerror(err))
	}
	return nil
}
