package engine

import "time"

// Services is a host's service manager and device database as the lab
// records them: the services the personalities emulate (Solaris SMF's
// IPsec services) and the kernel devices (AIX's ipsec_v4 and ipsec_v6).
// A host whose record has no entry for a service or device has it as the
// personality's defaults say (hosts made before these records existed).
type Services struct{ h *Host }

// Services is the host's service and device records.
func (h *Host) Services() Services { return Services{h} }

// Get returns a service's record and whether there is one.
func (v Services) Get(name string) (Service, bool, error) {
	m, err := v.all()
	s, ok := m[name]
	return s, ok, err
}

// Set records a service's state.
func (v Services) Set(s Service) error {
	m, err := v.all()
	if err != nil {
		return err
	}
	m[s.Name] = s
	return servicesRecord().put(v.h.b, &m)
}

func (v Services) all() (map[string]Service, error) {
	m := map[string]Service{}
	_, err := servicesRecord().get(v.h.b, &m)
	return m, err
}

// Devices returns the host's recorded devices by name, and whether the
// host has a device record at all.
func (v Services) Devices() (map[string]Device, bool, error) {
	m := map[string]Device{}
	found, err := devicesRecord().get(v.h.b, &m)
	return m, found, err
}

// SetDevices replaces the host's device record.
func (v Services) SetDevices(m map[string]Device) error {
	return devicesRecord().put(v.h.b, &m)
}

// Booted is when the host came up (its services' state time until they
// change), zero for hosts made before it was recorded.
func (v Services) Booted() (time.Time, error) {
	var t time.Time
	_, err := bootedRecord().get(v.h.b, &t)
	return t, err
}

// SetBooted records when the host came up.
func (v Services) SetBooted(t time.Time) error { return bootedRecord().put(v.h.b, &t) }

const servicesKey = "services"

const bootedKey = "booted"

const devicesKey = "devices"
