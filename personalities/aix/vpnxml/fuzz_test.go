package vpnxml

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fuzzEntities gives the fuzzer entities of each kind to reference.
func fuzzEntities() map[string]string {
	return map[string]string{
		"gw":  "10.1.1.2",
		"amp": "CN=A&amp;B",
		"grp": "<IKEGroup IKE_GroupName=\"fz\">\n<FQDN Value=\"a.example.com\"/>\n</IKEGroup>",
		"two": "&grp;&grp;",
	}
}

// FuzzDecode checks that Decode never panics and returns only *Error, and
// that whatever decodes and validates round-trips through the Writer.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(wrap(vBase)))
	opts := DecodeOptions{Entities: fuzzEntities()}
	f.Fuzz(func(t *testing.T, in []byte) {
		doc, err := Decode(bytes.NewReader(in), opts)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Decode error of type %T: %v", err, err)
			}
			return
		}
		if errs := Validate(doc, anyDB{}); errs != nil {
			return
		}
		var out1, out2 bytes.Buffer
		if err := Write(&out1, doc); err != nil {
			t.Fatalf("Write: %v", err)
		}
		back, err := Decode(bytes.NewReader(out1.Bytes()), DecodeOptions{})
		if err != nil {
			t.Fatalf("Decode(Write(doc)): %v\n%s", err, out1.Bytes())
		}
		if errs := Validate(back, anyDB{}); errs != nil {
			t.Fatalf("Validate(Decode(Write(doc))): %v\n%s", errStrings(errs), out1.Bytes())
		}
		if diff := cmp.Diff(doc, back, cmpAddr, ignorePos); diff != "" {
			t.Fatalf("Decode(Write(doc)) != doc (-doc +back):\n%s", diff)
		}
		if err := Write(&out2, back); err != nil {
			t.Fatalf("Write again: %v", err)
		}
		if !bytes.Equal(out1.Bytes(), out2.Bytes()) {
			t.Fatalf("Write(Decode(Write(doc))) differs:\n%s\n---\n%s", out1.Bytes(), out2.Bytes())
		}
	})
}
