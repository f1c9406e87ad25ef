package ipsecconf

import (
	"bytes"
	"io"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// cmpAddr lets go-cmp compare netip.Addr, whose fields are unexported.
var cmpAddr = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

// ignorePos compares documents without where they were read.
var ignorePos = cmpopts.IgnoreTypes(vpnxml.Node{})

func addrs(list ...string) []netip.Addr {
	var out []netip.Addr
	for _, s := range list {
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}

// result is one conversion of strings.
type result struct {
	doc  *vpnxml.Document
	warn []string
	err  error
}

// convert runs Convert on text; secrets "" means no ipsec.secrets.
func convert(conf, secrets string, local ...string) result {
	var sec io.Reader
	if secrets != "" {
		sec = strings.NewReader(secrets)
	}
	doc, ws, err := Convert(strings.NewReader(conf), "ipsec.conf", sec, "ipsec.secrets", Options{LocalAddrs: addrs(local...)})
	return result{doc, warnStrings(ws), err}
}

func warnStrings(ws []Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

// mustConvert fails the test on an error or a document that does not
// validate and round-trip.
func mustConvert(t *testing.T, conf, secrets string, local ...string) result {
	t.Helper()
	r := convert(conf, secrets, local...)
	if r.err != nil {
		t.Fatalf("Convert: %v", r.err)
	}
	roundTrip(t, r.doc)
	return r
}

// roundTrip checks that doc validates, and that writing and decoding it
// gives it back.
func roundTrip(t testing.TB, doc *vpnxml.Document) {
	t.Helper()
	if errs := vpnxml.Validate(doc, nil); len(errs) > 0 {
		t.Fatalf("Validate: %v", errs)
	}
	var b bytes.Buffer
	if err := vpnxml.Write(&b, doc); err != nil {
		t.Fatalf("Write: %v", err)
	}
	back, err := vpnxml.Decode(bytes.NewReader(b.Bytes()), vpnxml.DecodeOptions{})
	if err != nil {
		t.Fatalf("Decode(Write(doc)): %v\n%s", err, b.Bytes())
	}
	if errs := vpnxml.Validate(back, nil); len(errs) > 0 {
		t.Fatalf("Validate(Decode(Write(doc))): %v", errs)
	}
	if diff := cmp.Diff(doc, back, cmpAddr, ignorePos, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("Decode(Write(doc)) differs (-doc +back):\n%s", diff)
	}
}

// hasWarning reports whether a warning contains every fragment.
func hasWarning(ws []string, fragments ...string) bool {
	for _, w := range ws {
		all := true
		for _, f := range fragments {
			all = all && strings.Contains(w, f)
		}
		if all {
			return true
		}
	}
	return false
}

// v1 wraps conn bodies in a file that says IKEv1, so that tests need not.
func v1(body string) string {
	return "conn %default\n\tkeyexchange=ikev1\n\n" + body
}

func v4(s string) vpnxml.ID { return vpnxml.ID{Type: vpnxml.IPv4Address, Addr: netip.MustParseAddr(s)} }

func subnet4(a, mask string) vpnxml.ID {
	return vpnxml.ID{Type: vpnxml.IPv4Subnet, Addr: netip.MustParseAddr(a), Mask: netip.MustParseAddr(mask)}
}
