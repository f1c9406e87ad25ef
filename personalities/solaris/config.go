package solaris

import (
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/personalities/solaris/ikeconfig"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/ikecrypto"
)

// parseIkeConfig parses ike.config text as this in.iked loads it: the
// grammar, then the Diffie-Hellman groups this daemon can compute. The
// grammar admits groups 3, 4, 25 and 26, which it cannot; refusing them
// at load is clearer than failing every negotiation that picks them.
func parseIkeConfig(text []byte) (*ikeconfig.File, error) {
	return parseIkeConfigInto(text, nil)
}

// parseIkeConfigInto is parseIkeConfig that, given a batch, puts the
// rules there instead of in File.Rules (a load's compact copy). The
// groups are checked once the grammar has accepted the whole file, so a
// syntax error anywhere still wins.
func parseIkeConfigInto(text []byte, batch *engine.Phase1Batch) (*ikeconfig.File, error) {
	var groupErr error
	check := func(r *engine.Phase1Policy) {
		if groupErr == nil {
			groupErr = ruleGroups(r)
		}
	}
	var opts ikeconfig.Options
	if batch != nil {
		opts.Rule = func(r *engine.Phase1Policy) {
			check(r)
			batch.Add(r)
		}
	}
	f, err := ikeconfig.ParseBytes(text, opts)
	if err != nil {
		return nil, err
	}
	for i := range f.Rules {
		check(&f.Rules[i])
	}
	if groupErr != nil {
		return nil, groupErr
	}
	return f, nil
}

// ruleGroups refuses a rule naming a group this daemon cannot compute.
func ruleGroups(r *engine.Phase1Policy) error {
	for _, x := range r.Transforms {
		if err := supportedGroup(x.Group); err != nil {
			return &groupError{rule: r.Label, keyword: "oakley_group", group: x.Group, err: err}
		}
	}
	if r.P2PFS != 0 {
		if err := supportedGroup(r.P2PFS); err != nil {
			return &groupError{rule: r.Label, keyword: "p2_pfs", group: r.P2PFS, err: err}
		}
	}
	return nil
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
