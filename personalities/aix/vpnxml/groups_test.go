package vpnxml

import (
	"slices"
	"testing"

	"github.com/ikemu/ikemu/pkg/ikecrypto"
)

// AIX accepts a subset of the groups pkg/ikecrypto computes; every group
// it accepts must be one the engine can negotiate.
func TestDHGroupsAreSupported(t *testing.T) {
	supported := ikecrypto.SupportedGroups()
	for _, g := range dhGroups {
		if !slices.Contains(supported, int(g)) {
			t.Errorf("IKE_DHGroup %d is not a group pkg/ikecrypto computes", g)
		}
	}
}
