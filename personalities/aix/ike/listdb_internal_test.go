package ike

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
)

// A phase 2 definition finds the first phase 1 definition of its label,
// whether the guess (the next one, or the last found) is right, wrong,
// or not to be trusted because labels repeat.
func TestPhase1LabelsIndex(t *testing.T) {
	for _, tc := range []struct {
		what    string
		labels  []string
		indexed bool
		lookups []string
		want    []int
	}{
		{"in order", []string{"a", "b", "c"}, true, []string{"a", "b", "b", "c"}, []int{0, 1, 1, 2}},
		{"out of order", []string{"a", "b", "c"}, true, []string{"c", "a", "zz", "b", "c"}, []int{2, 0, -1, 1, 2}},
		{"repeated labels", []string{"a", "b", "a", "b"}, false, []string{"a", "b", "a", "b"}, []int{0, 1, 0, 1}},
		{"none", nil, true, []string{"a"}, []int{-1}},
	} {
		ls := &phase1Labels{unique: true}
		for _, l := range tc.labels {
			ls.add([]byte(l), tc.indexed)
		}
		for i, l := range tc.lookups {
			if got := ls.index([]byte(l)); got != tc.want[i] {
				t.Errorf("%s: index(%q) = %d, want %d", tc.what, l, got, tc.want[i])
			}
		}
	}
}

// A definition left unnumbered (as a lab from before numbering at store
// time left them) is listed under the number it would be given, in
// number order, without the listing writing it.
func TestListDBShowsProvisionalNumbers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	activateLabAt(t, dir, 3) // t0, t1, t2 numbered 1, 2, 3
	l, err := lab.Open(benchProc(dir, io.Discard, "a"), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = l.Update(func(tx *engine.Tx) error {
		h, err := tx.Host("a")
		if err != nil {
			return err
		}
		if err := h.Tunnels().Free(engine.TunnelPhase1, "t0"); err != nil {
			return err
		}
		return h.Tunnels().Assign(engine.TunnelPhase1, []string{"taken"}) // takes 1
	})
	if err != nil {
		t.Fatal(err)
	}
	line := func(phase, num int, local, remote string) string {
		return fmt.Sprintf("%-7d%-8d%-12s%-32s%s\n", phase, num, "Dormant", local, remote)
	}
	want := listHeader +
		line(1, 2, "10.1.0.2", "10.2.0.2") + line(2, 2, "10.1.0.2-10.1.0.2", "10.2.0.2-10.2.0.2") +
		line(1, 3, "10.1.0.3", "10.2.0.3") + line(2, 3, "10.1.0.3-10.1.0.3", "10.2.0.3-10.2.0.3") +
		line(1, 4, "10.1.0.1", "10.2.0.1") + line(2, 1, "10.1.0.1-10.1.0.1", "10.2.0.1-10.2.0.1")
	for range 2 { // and again: the listing numbered nothing
		var out bytes.Buffer
		if code := Main([]string{"cmd=list", "db"}, benchProc(dir, &out, "a")); code != 0 {
			t.Fatalf("list db: exit %d", code)
		}
		if out.String() != want {
			t.Errorf("list db:\n%s\nwant:\n%s", out.String(), want)
		}
	}
}
