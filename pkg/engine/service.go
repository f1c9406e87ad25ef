package engine

import "time"

// ServiceState is where a host's service manager has a service: running
// (online), enabled but waiting (offline), off (disabled), or stopped
// after its start failed until an administrator clears it (maintenance).
type ServiceState string

const (
	ServiceOnline      ServiceState = "online"
	ServiceOffline     ServiceState = "offline"
	ServiceDisabled    ServiceState = "disabled"
	ServiceMaintenance ServiceState = "maintenance"
)

// Service is one system service as the host's service manager records it:
// whether the administrator enabled it (and whether only until the next
// boot), its state since when, and, when its start failed, the start
// method's exit status and the messages it wrote.
type Service struct {
	Name      string       `json:"name"`
	Enabled   bool         `json:"enabled"`
	Temporary bool         `json:"temporary,omitempty"`
	State     ServiceState `json:"state"`
	Since     time.Time    `json:"since,omitzero"`
	// ExitStatus is the failed start method's exit status (maintenance).
	ExitStatus int `json:"exit_status,omitempty"`
	// Fault is what the failed start method said, in the engine's
	// words (one line each).
	Fault []string `json:"fault,omitempty"`
}

// DeviceState is a kernel device's configuration state: defined in the
// device database but not loaded, or loaded and usable.
type DeviceState string

const (
	DeviceDefined   DeviceState = "Defined"
	DeviceAvailable DeviceState = "Available"
)

// Device is one kernel device of the host (the IP security extensions).
type Device struct {
	Name  string      `json:"name"`
	State DeviceState `json:"state"`
}
