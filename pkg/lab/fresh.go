package lab

import (
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/pkg/engine"
)

// ErrPopulated is the refusal to initialise a lab that is no longer as
// new: seeding it or freezing its clock then would not reproduce a
// fixture, and a clock moved back would revive its SAs.
var ErrPopulated = errors.New("lab init: the lab is not new")

// CheckFresh returns ErrPopulated, with what it found first, unless the
// lab is as Open creates it: the default host alone, holding no SAs,
// tunnel entries or loaded configuration, and no outside peers. Daemon
// states and the files in the host trees do not count: lab init touches
// neither.
func CheckFresh(tx *engine.Tx) error {
	names, err := tx.Store().HostNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		if name != DefaultHost {
			return populated("it has host %s", name)
		}
		h, err := tx.Host(name)
		if err != nil {
			return err
		}
		what, err := h.Holding()
		if err != nil {
			return fmt.Errorf("host %s: %w", name, err)
		}
		if what != "" {
			return populated("host %s holds %s", name, what)
		}
	}
	peers, err := tx.Peers()
	if err != nil {
		return err
	}
	if len(peers) > 0 {
		return populated("it has outside peers")
	}
	return nil
}

func populated(format string, args ...any) error {
	return fmt.Errorf("%w (%s); --force initialises it anyway", ErrPopulated, fmt.Sprintf(format, args...))
}
