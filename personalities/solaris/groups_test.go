package solaris

import (
	"testing"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
)

// The group list lives in pkg/ikecrypto; these tables hold only the
// Solaris names for it. A group added there must get its names here, or
// be listed as one Solaris does not have.
func TestGroupNamesCoverKnownGroups(t *testing.T) {
	for _, n := range ikecrypto.KnownGroups() {
		if _, ok := groupNames[n]; !ok {
			t.Errorf("group %d has no name in groupNames", n)
		}
	}
}

func TestDumpGroupsCoverKnownGroups(t *testing.T) {
	// ikeadm dump groups lists no EC2N group (illumos ike_groups[]).
	absent := map[int]bool{3: true, 4: true}
	listed := map[int]bool{}
	for _, g := range ikeGroups {
		listed[g.n] = true
	}
	for _, n := range ikecrypto.KnownGroups() {
		if !listed[n] && !absent[n] {
			t.Errorf("group %d is missing from ikeGroups (dump groups)", n)
		}
		if listed[n] && absent[n] {
			t.Errorf("group %d is listed but marked absent", n)
		}
	}
}
