package labwire

import (
	"errors"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
)

// A serving process is the process of its hosts' daemons (see
// engine.ServingProcess): it records itself on each served host while it
// serves, rereads the hosts' configuration on SIGHUP as the daemon does,
// and when it stops, so do the daemons it stood for.

// claim records this process as the served hosts' daemons' process, in
// one transaction: a host another live process serves refuses them all.
// A process that cannot name itself (no /proc) serves unrecorded, its
// hosts' daemons keeping their emulated process ids.
func (s *server) claim() error {
	me, err := lab.ThisProcess()
	if err != nil {
		s.logf("process ids not recorded: %v", err)
		return nil
	}
	err = s.l.Update(func(tx *engine.Tx) error {
		for _, name := range s.hosts {
			h, err := tx.Host(name)
			if err != nil {
				return err
			}
			if err := h.Daemons().Serve(me); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		s.me = me
	}
	return err
}

// release removes the records of a process that never served.
func (s *server) release() {
	if s.me.PID == 0 {
		return
	}
	err := s.l.Update(func(tx *engine.Tx) error {
		return s.eachHost(tx, func(h *engine.Host) error {
			_, err := h.Daemons().EndServing(s.me)
			return err
		})
	})
	if err != nil {
		s.logf("clearing the serving records: %v", err)
	}
}

// eachHost runs f on every served host the lab still has.
func (s *server) eachHost(tx *engine.Tx, f func(h *engine.Host) error) error {
	for _, name := range s.hosts {
		h, err := tx.Host(name)
		if errors.Is(err, engine.ErrNoHost) {
			continue
		}
		if err != nil {
			return err
		}
		if err := f(h); err != nil {
			return err
		}
	}
	return nil
}

// reload is SIGHUP: each served host whose IKE daemon runs rereads its
// configuration in a transaction of its own, the daemon's log lines
// written as for svcadm refresh; one that does not load changes nothing.
// AIX's ike group rereads nothing: its tunnel database is read at each
// activation and negotiation, and isakmpd.conf's log level on ike
// cmd=log, the command IBM documents for it.
func (s *server) reload() {
	if s.daemon == nil {
		return
	}
	for _, name := range s.hosts {
		running := false
		err := s.l.Update(func(tx *engine.Tx) error {
			h, err := tx.Host(name)
			if err != nil {
				return err
			}
			d, err := h.Daemons().IKE()
			if err != nil || !d.Running {
				return err
			}
			running = true
			return s.daemon.Reload(h)
		})
		if err != nil {
			s.logRefusedReload(name, err)
			continue
		}
		if running {
			s.logf("%s: %s reread its configuration", name, s.daemon.Name())
		}
	}
}

// logRefusedReload tells why the daemon kept its configuration: the
// daemon's own account of a file that does not load (its verdict is a
// start's), else the error.
func (s *server) logRefusedReload(host string, err error) {
	var de engine.DetailedError
	if !errors.As(err, &de) {
		s.logf("%s: %s kept its configuration: %v", host, s.daemon.Name(), err)
		return
	}
	s.logf("%s: %s kept its configuration:", host, s.daemon.Name())
	for line := range strings.Lines(de.Detail()) {
		s.logf("%s: %s", host, strings.TrimSuffix(line, "\n"))
	}
}

// stopDaemons ends the serving: the process that was the served hosts'
// daemons is going, so in.iked stops (its SAs and token PINs with it)
// and the ike group's subsystems are inoperative, in one transaction. A
// host another process has taken meanwhile keeps its daemons.
func (s *server) stopDaemons() error {
	var stopped [][2]string
	err := s.l.Update(func(tx *engine.Tx) error {
		stopped = stopped[:0]
		return s.eachHost(tx, func(h *engine.Host) error {
			names, err := s.stopHost(h)
			if len(names) > 0 {
				stopped = append(stopped, [2]string{h.Info.Name, strings.Join(names, ", ")})
			}
			return err
		})
	})
	if err != nil {
		s.logf("stopping the served hosts' daemons: %v", err)
		return err
	}
	for _, st := range stopped {
		s.logf("%s: stopped %s", st[0], st[1])
	}
	return nil
}

// stopHost stops h's running daemons and names them; their last log
// lines still carry this process's id.
func (s *server) stopHost(h *engine.Host) ([]string, error) {
	if s.me.PID != 0 {
		p, ok, err := h.Daemons().Serving()
		if err != nil || !ok || p != s.me {
			return nil, err
		}
	}
	names, err := s.stopRunning(h)
	if err != nil || s.me.PID == 0 {
		return names, err
	}
	_, err = h.Daemons().EndServing(s.me)
	return names, err
}

func (s *server) stopRunning(h *engine.Host) ([]string, error) {
	var names []string
	if s.daemon != nil {
		d, err := h.Daemons().IKE()
		if err != nil {
			return nil, err
		}
		if d.Running {
			if err := s.daemon.Stop(h); err != nil {
				return nil, err
			}
			names = append(names, s.daemon.Name())
		}
	}
	subs, err := h.Daemons().SubsystemNames()
	if err != nil {
		return nil, err
	}
	for _, n := range subs {
		sub, err := h.Daemons().Subsystem(n)
		if err != nil {
			return nil, err
		}
		if sub.Running {
			if err := h.Daemons().SetSubsystem(engine.Subsystem{Name: n}); err != nil {
				return nil, err
			}
			names = append(names, n)
		}
	}
	return names, nil
}
