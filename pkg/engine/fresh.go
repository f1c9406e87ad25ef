package engine

// Holding names the first kind of state the host holds that a new host
// does not: SAs (phase 1 or 2, expired ones included), tunnel entries, or
// loaded rules, phase 2 policies or preshared keys. It is "" for a host
// as new, whatever its daemons' states.
func (h *Host) Holding() (string, error) {
	kinds := []struct{ table, what string }{
		{p1saTable, "phase 1 SAs"},
		{p2saTable, "phase 2 SAs"},
		{manualSATable, "manual SAs"},
		{tunnelEntryTable, "tunnel entries"},
		{policyTable, "loaded rules"},
		{phase2Table, "loaded phase 2 policies"},
		{pskTable, "loaded preshared keys"},
	}
	for _, k := range kinds {
		if h.b.Table(k.table).Len() > 0 {
			return k.what, nil
		}
	}
	return "", nil
}
