package ike

import "testing"

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
