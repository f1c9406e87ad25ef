package lab

import (
	"fmt"
	"strings"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Revived says what a clock move does to the SAs it would revive (see
// engine.SAs.CountRevived): refuse the move, or delete them.
type Revived int

const (
	RefuseRevived Revived = iota
	DeleteRevived
)

// RevivedError refuses a clock move that would revive SAs.
type RevivedError struct {
	To    time.Time
	SAs   engine.RevivedSAs
	Hosts []string
}

func (e *RevivedError) Error() string {
	verb := "was"
	if e.SAs.Total() > 1 {
		verb = "were"
	}
	return fmt.Sprintf("the lab clock cannot go back to %s: %s on %s %s created or expired since (--force deletes them)",
		e.To.Format(time.RFC3339), saCount(e.SAs), hostList(e.Hosts), verb)
}

// saCount is "1 phase 1 SA", "2 phase 1 SAs and 1 phase 2 SA", ...
func saCount(r engine.RevivedSAs) string {
	var parts []string
	for i, n := range []int{r.Phase1, r.Phase2} {
		switch {
		case n == 1:
			parts = append(parts, fmt.Sprintf("1 phase %d SA", i+1))
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d phase %d SAs", n, i+1))
		}
	}
	return strings.Join(parts, " and ")
}

// hostList names the first host only, so the refusal stays one line.
func hostList(hosts []string) string {
	switch len(hosts) {
	case 1:
		return "host " + hosts[0]
	case 2:
		return "host " + hosts[0] + " and 1 other host"
	}
	return fmt.Sprintf("host %s and %d other hosts", hosts[0], len(hosts)-1)
}

// settleRevived applies what to the SAs a move of the clock to t would
// revive on every host. The caller writes the new clock afterwards, in
// the same transaction, so a refusal changes nothing.
func settleRevived(tx *engine.Tx, t time.Time, what Revived) error {
	refusal := &RevivedError{To: t}
	names, err := tx.Store().HostNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		h, err := tx.Host(name)
		if err != nil {
			return err
		}
		count := h.SAs().CountRevived
		if what == DeleteRevived {
			count = h.SAs().DeleteRevived
		}
		n, err := count(t)
		if err != nil {
			return fmt.Errorf("host %s: %w", name, err)
		}
		if n.Total() > 0 {
			refusal.SAs.Phase1 += n.Phase1
			refusal.SAs.Phase2 += n.Phase2
			refusal.Hosts = append(refusal.Hosts, name)
		}
	}
	if what == RefuseRevived && refusal.SAs.Total() > 0 {
		return refusal
	}
	return nil
}
