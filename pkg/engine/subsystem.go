package engine

// Subsystem is one SRC-controlled daemon of a host (AIX's tmd, isakmpd,
// cpsd): whether it runs and under which process id.
type Subsystem struct {
	Name    string `json:"name"`
	Running bool   `json:"running"`
	PID     int    `json:"pid,omitempty"`
	// Negotiates marks the subsystem that answers IKE (AIX's isakmpd).
	Negotiates bool `json:"negotiates,omitempty"`
}
