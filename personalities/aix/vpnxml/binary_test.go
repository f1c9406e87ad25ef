package vpnxml

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// binarySeeds are the binary forms of the documents in testdata.
func binarySeeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	for _, name := range []string{"testdata/example.xml", "testdata/full.xml"} {
		in, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Decode(bytes.NewReader(in), DecodeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		seeds[name] = AppendBinary(nil, doc)
	}
	return seeds
}

// The binary form keeps every definition and value, one definition
// at a time as ikedb -p spools them, and the whole document at once.
func TestBinaryRoundTrip(t *testing.T) {
	for _, name := range []string{"testdata/example.xml", "testdata/full.xml"} {
		in, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := Decode(bytes.NewReader(in), DecodeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var r BinaryReader
		back, err := r.Read(AppendBinary(nil, whole))
		if err != nil {
			t.Fatalf("%s: Read: %v", name, err)
		}
		if diff := cmp.Diff(whole, back, ignorePos, cmpAddr); diff != "" {
			t.Errorf("%s: whole document (-read +binary):\n%s", name, diff)
		}
		var parts int
		_, err = DecodeEach(bytes.NewReader(in), DecodeOptions{}, func(part *Document) error {
			parts++
			back, err := r.Read(AppendBinary(nil, part))
			if err != nil {
				t.Fatalf("%s: Read: %v", name, err)
			}
			if diff := cmp.Diff(part, back, ignorePos, cmpAddr); diff != "" {
				t.Errorf("%s: definition %d (-read +binary):\n%s", name, parts, diff)
			}
			return nil
		})
		if err != nil || parts == 0 {
			t.Fatalf("%s: DecodeEach: %d definitions, %v", name, parts, err)
		}
	}
}

// A binary form cut short or with a byte changed is an error or
// another document, never a panic.
func TestBinaryReadDamaged(t *testing.T) {
	for name, b := range binarySeeds(t) {
		var r BinaryReader
		for n := range len(b) {
			if _, err := r.Read(b[:n]); err == nil {
				t.Errorf("%s: the first %d of %d bytes read without error", name, n, len(b))
			}
		}
		if _, err := r.Read(append(b, 0)); err == nil {
			t.Errorf("%s: a byte past the end read without error", name)
		}
	}
}

// FuzzBinaryRead checks that Read never panics, and that what it reads
// has a binary form that reads back the same.
func FuzzBinaryRead(f *testing.F) {
	for _, b := range binarySeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var r BinaryReader
		doc, err := r.Read(in)
		if err != nil {
			return
		}
		back, err := r.Read(AppendBinary(nil, doc))
		if err != nil {
			t.Fatalf("Read of AppendBinary: %v", err)
		}
		if diff := cmp.Diff(doc, back, cmpAddr); diff != "" {
			t.Fatalf("second reading differs:\n%s", diff)
		}
	})
}
