package smf

import "testing"

func TestMatchAbbreviations(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		want    int
	}{
		{"svc:/network/ipsec/ike:default", 1}, {"svc:/network/ipsec/ike", 1}, {"network/ipsec/ike", 1},
		{"ipsec/ike", 1}, {"ike", 1}, {"ike:default", 1}, {"network/*ike", 1}, {"svc:/*ike*", 1},
		{"default", 4}, {"ipsec", 0}, {"psec/ike", 0}, {"ike:other", 0}, {"svc:/ike", 0}, {"*", 4},
		{"network/ipsec/[mp]*", 2}, {"[", 0}, {"", 0},
	} {
		if got := len(match(tc.pattern)); got != tc.want {
			t.Errorf("match(%q) = %d instances, want %d", tc.pattern, got, tc.want)
		}
	}
}

// FuzzMatch: any operand resolves without a panic, and an exact FMRI
// always names its own instance.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{"ike", "svc:/network/ipsec/*", "[!a-z]*", "a[", `\`, "svc:", ":", "ike:default"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		for _, in := range match(p) {
			if got := match(in.FMRI()); len(got) != 1 || got[0] != in {
				t.Fatalf("%s does not name itself", in.FMRI())
			}
		}
	})
}
