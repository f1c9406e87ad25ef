package engine

import (
	"maps"
	"sort"
)

// Daemons is a host's daemons as the lab records them: the IKE daemon
// (in.iked, isakmpd), the SRC subsystems of AIX's ike group, their
// logging configuration and the IKE daemon's counters.
type Daemons struct{ h *Host }

// Daemons is the host's daemons.
func (h *Host) Daemons() Daemons { return Daemons{h} }

// IKE returns the IKE daemon's state. A record an older ikemu wrote with
// a token PIN in it loses that session, here and, in a writable
// transaction, in the lab file at once.
func (v Daemons) IKE() (Daemon, error) {
	var row daemonRow
	if _, err := daemonRecord().get(v.h.b, &row); err != nil {
		return Daemon{}, err
	}
	d, stale := row.daemon()
	if stale && v.h.tx.st.Writable() {
		if err := daemonWrite().put(v.h.b, &d); err != nil {
			return Daemon{}, err
		}
	}
	return d, nil
}

// SetIKE stores the IKE daemon's state. The PINs of token sessions d no
// longer has are forgotten, and when d is another run (a stop or start)
// every PIN of the run before: a PIN never outlives its login or run.
func (v Daemons) SetIKE(d Daemon) error {
	old, err := v.IKE()
	if err != nil {
		return err
	}
	if err := v.h.forgetPINs(old, d); err != nil {
		return err
	}
	v.h.tx.cache.dropLogState(v.h.Info.Name)
	delete(v.h.tx.cache.ikeRunning, v.h.Info.Name)
	return daemonWrite().put(v.h.b, &d)
}

// Stats returns the counters plus current SA counts.
func (v Daemons) Stats() (StatsView, error) {
	var sv StatsView
	var err error
	if sv.Stats, err = v.counters(); err != nil {
		return sv, err
	}
	err = v.h.SAs().ScanPhase1(func(sa *Phase1SA) error {
		if sa.Expired(v.h.tx.now) {
			return nil
		}
		if sa.Initiator {
			sv.InitCurrent++
		} else {
			sv.RespCurrent++
		}
		return nil
	})
	return sv, err
}

// Counters returns the stored counters alone, without the scan of the
// SAs that Stats makes for the current counts.
func (v Daemons) Counters() (Stats, error) { return v.counters() }

// counters reads the counters record once per transaction: each
// negotiation bumps several on both ends.
func (v Daemons) counters() (Stats, error) {
	if s, ok := v.h.tx.cache.stats[v.h.Info.Name]; ok {
		return s, nil
	}
	var s Stats
	if _, err := statsRecord().get(v.h.b, &s); err != nil {
		return s, err
	}
	v.h.tx.cache.setStats(v.h.Info.Name, s)
	return s, nil
}

// UpdateStats applies fn to the stored counters.
func (v Daemons) UpdateStats(fn func(*Stats)) error {
	s, err := v.counters()
	if err != nil {
		return err
	}
	fn(&s)
	return v.putCounters(s)
}

// ResetStats zeroes the counters (daemon restart).
func (v Daemons) ResetStats() error { return v.putCounters(Stats{}) }

func (v Daemons) putCounters(s Stats) error {
	v.h.tx.cache.setStats(v.h.Info.Name, s)
	return statsRecord().put(v.h.b, &s)
}

// Subsystems returns the host's subsystems by name, a map of the
// caller's own; the record is decoded once per transaction (every
// activation asks whether isakmpd runs).
func (v Daemons) Subsystems() (map[string]Subsystem, error) {
	if m, ok := v.h.tx.cache.subsystems[v.h.Info.Name]; ok {
		return maps.Clone(m), nil
	}
	m := map[string]Subsystem{}
	if _, err := subsystemsRecord().get(v.h.b, &m); err != nil {
		return m, err
	}
	if v.h.tx.cache.subsystems == nil {
		v.h.tx.cache.subsystems = map[string]map[string]Subsystem{}
	}
	v.h.tx.cache.subsystems[v.h.Info.Name] = maps.Clone(m)
	return m, nil
}

// Subsystem returns one subsystem (zero value: defined nowhere, stopped).
func (v Daemons) Subsystem(name string) (Subsystem, error) {
	m, err := v.Subsystems()
	return m[name], err
}

// SetSubsystem records a subsystem's state.
func (v Daemons) SetSubsystem(s Subsystem) error {
	m, err := v.Subsystems()
	if err != nil {
		return err
	}
	m[s.Name] = s
	v.h.tx.cache.dropLogState(v.h.Info.Name)
	delete(v.h.tx.cache.subsystems, v.h.Info.Name)
	return subsystemsRecord().put(v.h.b, &m)
}

// SubsystemNames lists the recorded subsystems in name order.
func (v Daemons) SubsystemNames() ([]string, error) {
	m, err := v.Subsystems()
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, err
}

// Syslog returns the host's daemon logging configuration.
func (v Daemons) Syslog() (SyslogConfig, error) {
	var c SyslogConfig
	_, err := syslogRecord().get(v.h.b, &c)
	return c, err
}

// SetSyslog records the host's daemon logging configuration.
func (v Daemons) SetSyslog(c SyslogConfig) error {
	v.h.tx.cache.dropLogState(v.h.Info.Name)
	return syslogRecord().put(v.h.b, &c)
}

const daemonKey = "daemon"

const statsKey = "stats"

const syslogKey = "syslog"

const subsysKey = "subsystems"
