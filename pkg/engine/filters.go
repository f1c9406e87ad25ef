package engine

import "fmt"

// Filters is a host's packet filter tables, one per IP version, each
// one JSON record: rule IDs are positions, so every change rewrites the
// table, which is small.
type Filters struct{ h *Host }

// Filters is the host's packet filter tables.
func (h *Host) Filters() Filters { return Filters{h} }

func filterKey(version int) string {
	if version == 6 {
		return "filters/v6"
	}
	return "filters/v4"
}

// Table returns version's table and whether the host has one (a host
// whose tables were never written has the vendor's initial rules, which
// the personality supplies).
func (v Filters) Table(version int) (FilterTable, bool, error) {
	var t FilterTable
	found, err := filterRecord(version).get(v.h.b, &t)
	if err != nil {
		return FilterTable{}, false, fmt.Errorf("filter table v%d: %w", version, err)
	}
	return t, found, nil
}

// SetTable replaces version's table.
func (v Filters) SetTable(version int, t FilterTable) error {
	return filterRecord(version).put(v.h.b, &t)
}
