package engine

import (
	"errors"

	"github.com/ikemu/ikemu/pkg/store"
)

// errRowFound stops a scan at the first row.
var errRowFound = errors.New("row found")

func hasRows(t *store.Table) (bool, error) {
	err := t.Scan(func(store.Seq, []byte) error { return errRowFound })
	if errors.Is(err, errRowFound) {
		return true, nil
	}
	return false, err
}

// Holding names the first kind of state the host holds that a new host
// does not: SAs (phase 1 or 2, expired ones included), tunnel entries, or
// loaded rules, phase 2 policies or preshared keys. It is "" for a host
// as new, whatever its daemons' states.
func (h *Host) Holding() (string, error) {
	kinds := []struct{ table, what string }{
		{p1saTable, "phase 1 SAs"},
		{p2saTable, "phase 2 SAs"},
		{tunnelEntryTable, "tunnel entries"},
		{policyTable, "loaded rules"},
		{phase2Table, "loaded phase 2 policies"},
		{pskTable, "loaded preshared keys"},
	}
	for _, k := range kinds {
		found, err := hasRows(h.b.Table(k.table))
		if err != nil {
			return "", err
		}
		if found {
			return k.what, nil
		}
	}
	return "", nil
}
