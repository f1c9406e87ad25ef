package engine

import "sort"

// Subsystem is one SRC-controlled daemon of a host (AIX's tmd, isakmpd,
// cpsd): whether it runs and under which process id.
type Subsystem struct {
	Name    string `json:"name"`
	Running bool   `json:"running"`
	PID     int    `json:"pid,omitempty"`
}

const subsysKey = "subsystems"

// Subsystems returns the host's subsystems by name.
func (h *Host) Subsystems() (map[string]Subsystem, error) {
	m := map[string]Subsystem{}
	_, err := h.b.Get(subsysKey, &m)
	return m, err
}

// Subsystem returns one subsystem (zero value: defined nowhere, stopped).
func (h *Host) Subsystem(name string) (Subsystem, error) {
	m, err := h.Subsystems()
	return m[name], err
}

// SetSubsystem records a subsystem's state.
func (h *Host) SetSubsystem(s Subsystem) error {
	m, err := h.Subsystems()
	if err != nil {
		return err
	}
	m[s.Name] = s
	return h.b.Put(subsysKey, m)
}

// SubsystemNames lists the recorded subsystems in name order.
func (h *Host) SubsystemNames() ([]string, error) {
	m, err := h.Subsystems()
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, err
}
