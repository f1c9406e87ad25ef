package vpnxml

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// cmpAddr lets go-cmp compare netip.Addr, whose fields are unexported.
var cmpAddr = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

// ignorePos compares documents without where they were read.
var ignorePos = cmpopts.IgnoreTypes(Node{})

// node builds the Node of an element at line whose attributes follow one
// per line, as ikedb -g writes them.
func node(line int, attrs ...string) Node {
	n := Node{Pos: Pos{Line: line}}
	for i, a := range attrs {
		n.Attrs = append(n.Attrs, AttrPos{Name: a, Pos: Pos{Line: line + 1 + i}})
	}
	return n
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

// wrap puts body inside a document whose first two lines are the XML
// declaration and the root start tag, so body starts on line 3.
func wrap(body string) string {
	return "<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n" + body + "</AIX_VPN>\n"
}

func decodeString(t *testing.T, s string, opts DecodeOptions) *Document {
	t.Helper()
	doc, err := Decode(strings.NewReader(s), opts)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return doc
}

func writeString(t testing.TB, doc *Document) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, doc); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.String()
}

// errStrings renders errors for comparison.
func errStrings(errs []*Error) []string {
	if len(errs) == 0 {
		return nil
	}
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

// fakeDB is a Lookup holding the names given.
type fakeDB map[string]bool

func (f fakeDB) HasIKEProtection(n string) bool   { return f["IKEProtection:"+n] }
func (f fakeDB) HasIPSecProtection(n string) bool { return f["IPSecProtection:"+n] }
func (f fakeDB) HasIPSecProposal(n string) bool   { return f["IPSecProposal:"+n] }
func (f fakeDB) HasIKETunnel(n string) bool       { return f["IKETunnel:"+n] }
func (f fakeDB) HasIKEGroup(n string) bool        { return f["IKEGroup:"+n] }

// anyDB holds every name.
type anyDB struct{}

func (anyDB) HasIKEProtection(string) bool   { return true }
func (anyDB) HasIPSecProtection(string) bool { return true }
func (anyDB) HasIPSecProposal(string) bool   { return true }
func (anyDB) HasIKETunnel(string) bool       { return true }
func (anyDB) HasIKEGroup(string) bool        { return true }
