package engine

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A batch keeps each policy as its record; setting the key manager
// cookie in the record gives what encoding the policy with it would.
func TestPhase1BatchWithCookie(t *testing.T) {
	var b Phase1Batch
	var want []Phase1Policy
	for i, cookie := range []uint32{0, 1, 300, 1 << 31} {
		var p Phase1Policy
		n := i * 7
		fillAll(t, reflect.ValueOf(&p).Elem(), &n)
		b.Add(&p)
		p.KMCookie = cookie
		want = append(want, p)
	}
	if b.Len() != len(want) {
		t.Fatalf("Len %d, want %d", b.Len(), len(want))
	}
	for i := range want {
		label, _, _, err := b.row(i).split()
		if err != nil || string(label) != want[i].Label {
			t.Fatalf("row %d: label %q, %v; want %q", i, label, err, want[i].Label)
		}
		row, err := b.row(i).withCookie(nil, want[i].KMCookie)
		if err != nil {
			t.Fatal(err)
		}
		if string(row) != string(want[i].marshalBinary()) {
			t.Errorf("row %d with cookie differs from the policy's record", i)
		}
		got, err := unmarshalPhase1Policy(row)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want[i], *got, addrCmp); d != "" {
			t.Errorf("row %d (-want +got):\n%s", i, d)
		}
	}
	if _, err := (phase1Row{p1CodecVersion, 9, 'x'}).withCookie(nil, 1); err == nil {
		t.Error("a record cut inside its label was accepted")
	}
}
