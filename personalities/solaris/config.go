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
				return nil, &groupError{rule: r.Label, keyword: "oakley_group", group: x.Group, err: err}
			}
		}
		if r.P2PFS != 0 {
			if err := supportedGroup(r.P2PFS); err != nil {
				return nil, &groupError{rule: r.Label, keyword: "p2_pfs", group: r.P2PFS, err: err}
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

// groupError is a rule naming a group this in.iked cannot compute. It
// renders as the sentence in.iked -c and the debug file show, full stop
// included, like ikeconfig.Error.
type groupError struct {
	rule, keyword string
	group         int
	err           error
}

func (e *groupError) Error() string {
	return fmt.Sprintf("rule '%s': %s %d: %v.", e.rule, e.keyword, e.group, e.err)
}

func (e *groupError) Unwrap() error { return e.err }
