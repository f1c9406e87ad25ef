// Package devices is AIX's device configuration commands (lsdev, mkdev,
// rmdev) as far as they reach the IP security extension: the ipsec_v4
// and ipsec_v6 devices of the emulated host, Defined or Available, with
// IBM's texts and message numbers.
package devices

import (
	"net/netip"
	"slices"

	"github.com/ikemu/ikemu/pkg/engine"
)

// kind is one device the emulation knows, as the predefined device
// database describes it.
type kind struct {
	name, typ, description string
}

// The ipsec class's devices. Their class, subclass and type are what
// lsdev -F prints [I: the subclass is ikemu's].
var kinds = []kind{
	{"ipsec_v4", "4", "IP Version 4 Security Extension"},
	{"ipsec_v6", "6", "IP Version 6 Security Extension"},
}

const (
	class    = "ipsec"
	subclass = "node"
)

func kindOf(name string) (kind, bool) {
	for _, k := range kinds {
		if k.name == name {
			return k, true
		}
	}
	return kind{}, false
}

// customized returns the host's customized devices in name order. A host
// without a device record has both devices Available (hosts made before
// devices were recorded ran IKE, so their extension was loaded).
func customized(h *engine.Host) ([]engine.Device, error) {
	m, found, err := h.Services().Devices()
	if err != nil {
		return nil, err
	}
	if !found {
		for _, k := range kinds {
			m[k.name] = engine.Device{Name: k.name, State: engine.DeviceAvailable}
		}
	}
	out := make([]engine.Device, 0, len(m))
	for _, d := range m {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b engine.Device) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out, nil
}

// save replaces the host's device record with devs.
func save(h *engine.Host, devs []engine.Device) error {
	m := make(map[string]engine.Device, len(devs))
	for _, d := range devs {
		m[d.Name] = d
	}
	return h.Services().SetDevices(m)
}

// RequireFor returns the refusal of a tunnel between addresses of
// family a when the IP security device of that family is not Available,
// nil when it is. AIX documents the words for its manual-tunnel
// commands; the IKE commands use the same [I].
func RequireFor(h *engine.Host, a netip.Addr) error {
	name := "ipsec_v6"
	if a.Unmap().Is4() {
		name = "ipsec_v4"
	}
	devs, err := customized(h)
	if err != nil {
		return err
	}
	for _, d := range devs {
		if d.Name == name {
			if d.State == engine.DeviceAvailable {
				return nil
			}
			return &DeviceError{Name: name, State: d.State}
		}
	}
	return &DeviceError{Name: name}
}

// DeviceError is a tunnel refused because its device is not Available
// (State Defined) or not defined at all (State empty); its text is the
// sentence AIX prints.
type DeviceError struct {
	Name  string
	State engine.DeviceState
}

func (e *DeviceError) Error() string {
	if e.State == "" {
		return "Device " + e.Name + " is not defined."
	}
	return "Device " + e.Name + " is in " + string(e.State) + " status."
}
