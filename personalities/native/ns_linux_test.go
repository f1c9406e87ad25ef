//go:build linux

package native

import (
	"slices"
	"testing"
)

// TestTopMountsUnder: a recursive bind of each top mount brings the
// nested ones along, and dir's own mount or its neighbours are no part.
func TestTopMountsUnder(t *testing.T) {
	mounts := []string{"/", "/etc", "/etc/hosts", "/etc/ssl", "/etc/ssl/certs", "/etcetera", "/etc/hosts"}
	got := topMountsUnder("/etc", mounts)
	if want := []string{"/etc/hosts", "/etc/ssl"}; !slices.Equal(got, want) {
		t.Errorf("topMountsUnder = %q, want %q", got, want)
	}
}

func TestUnescapeMountinfo(t *testing.T) {
	if got := unescapeMountinfo(`/mnt/a\040b\134c`); got != `/mnt/a b\c` {
		t.Errorf("got %q", got)
	}
}

// TestWithVendorPath: the vendor directories are added once, after the
// caller's own.
func TestWithVendorPath(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"A=1", "PATH=/bin:/usr/bin"}, []string{"A=1", "PATH=/bin:/usr/bin:/usr/sbin"}},
		{[]string{"A=1"}, []string{"A=1", "PATH=/usr/sbin:/usr/bin"}},
		{[]string{"PATH=/usr/sbin:/usr/bin"}, []string{"PATH=/usr/sbin:/usr/bin"}},
	} {
		if got := withVendorPath(slices.Clone(tc.in)); !slices.Equal(got, tc.want) {
			t.Errorf("withVendorPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestVendorToolPath: tools without an entry land in /usr/sbin.
func TestVendorToolPath(t *testing.T) {
	for tool, want := range map[string]string{"in.iked": "/usr/lib/inet/in.iked", "svcs": "/usr/bin/svcs", "lsfilt": "/usr/sbin/lsfilt"} {
		if got := vendorToolPath(tool); got != want {
			t.Errorf("vendorToolPath(%s) = %s, want %s", tool, got, want)
		}
	}
}
