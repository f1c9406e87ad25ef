package solaris

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/personalities/solaris/ikeconfig"
	"github.com/ikemu/ikemu/pkg/ikecrypto"
)

// parseIkeConfig parses ike.config text as this in.iked loads it: the
// grammar, then the Diffie-Hellman groups this daemon can compute. The
// grammar admits groups 3, 4, 25 and 26, which it cannot; refusing them
// at load is clearer than failing every negotiation that picks them.
func parseIkeConfig(text []byte) (*ikeconfig.File, error) {
	f, err := ikeconfig.Parse(bytes.NewReader(text))
	if err != nil {
		return nil, err
	}
	for _, r := range f.Rules {
		for _, x := range r.Transforms {
			if err := supportedGroup(x.Group); err != nil {
				return nil, fmt.Errorf("rule '%s': oakley_group %d: %w.", r.Label, x.Group, err)
			}
		}
		if r.P2PFS != 0 {
			if err := supportedGroup(r.P2PFS); err != nil {
				return nil, fmt.Errorf("rule '%s': p2_pfs %d: %w.", r.Label, r.P2PFS, err)
			}
		}
	}
	return f, nil
}

func supportedGroup(n int) error {
	if _, err := ikecrypto.LookupGroup(n); err != nil {
		if errors.Is(err, ikecrypto.ErrGroupUnsupported) {
			return fmt.Errorf("group %d is not supported by this in.iked", n)
		}
		return err
	}
	return nil
}
