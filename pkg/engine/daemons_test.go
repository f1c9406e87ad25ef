package engine_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

func TestDaemonRoundTrip(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	d := engine.Daemon{Running: true, PID: 4242, Started: labClock, Priv: engine.PrivKeymat, Debug: engine.DebugPhase1 | engine.DebugCert,
		DebugFile: "/var/log/iked.dbg", ConfigFile: "/etc/inet/ike/config", PKCS11Module: "/usr/lib/softhsm.so",
		Tokens: []engine.TokenSession{{Label: "tok", Keys: []engine.TokenKey{{ID: []byte{1}, Fingerprint: []byte{2}}}}}}
	l.host("h", func(h *engine.Host) error { return h.Daemons().SetIKE(d) })
	l.host("h", func(h *engine.Host) error {
		got, err := h.Daemons().IKE()
		if err != nil {
			return err
		}
		if !got.Started.Equal(d.Started) {
			t.Errorf("started %v", got.Started)
		}
		got.Started = d.Started
		if !reflect.DeepEqual(got, d) {
			t.Errorf("daemon:\n got %+v\nwant %+v", got, d)
		}
		return nil
	})
}

func TestSubsystemsRoundTrip(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		v := h.Daemons()
		if s, err := v.Subsystem("tmd"); err != nil || s != (engine.Subsystem{}) {
			t.Errorf("unrecorded subsystem: %+v %v", s, err)
		}
		for _, s := range []engine.Subsystem{{Name: "tmd", Running: true, PID: 10}, {Name: "isakmpd", Running: true, PID: 11}, {Name: "cpsd"}} {
			if err := v.SetSubsystem(s); err != nil {
				return err
			}
		}
		return v.SetSubsystem(engine.Subsystem{Name: "tmd", Running: false})
	})
	l.host("h", func(h *engine.Host) error {
		v := h.Daemons()
		names, err := v.SubsystemNames()
		if err != nil || !reflect.DeepEqual(names, []string{"cpsd", "isakmpd", "tmd"}) {
			t.Errorf("names %v %v", names, err)
		}
		if s, _ := v.Subsystem("isakmpd"); s != (engine.Subsystem{Name: "isakmpd", Running: true, PID: 11}) {
			t.Errorf("isakmpd %+v", s)
		}
		if s, _ := v.Subsystem("tmd"); s.Running || s.PID != 0 {
			t.Errorf("tmd after stop %+v", s)
		}
		return nil
	})
}

func TestStatsCountersAndCurrent(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	l.host("h", func(h *engine.Host) error {
		if err := h.Daemons().UpdateStats(func(s *engine.Stats) { s.InitTotal += 3; s.RespFail++ }); err != nil {
			return err
		}
		if err := h.Daemons().UpdateStats(func(s *engine.Stats) { s.InitTotal++ }); err != nil {
			return err
		}
		i := p1sa(1, 1, "10.0.0.1", "10.0.0.2", labClock, 60)
		i.Initiator = true
		for _, sa := range []*engine.Phase1SA{i, p1sa(2, 2, "10.0.0.1", "10.0.0.3", labClock, 3600), p1sa(3, 3, "10.0.0.1", "10.0.0.4", labClock, 3600)} {
			if err := h.SAs().AddPhase1(sa); err != nil {
				return err
			}
		}
		return nil
	})
	l.host("h", func(h *engine.Host) error {
		sv, err := h.Daemons().Stats()
		if err != nil {
			return err
		}
		if sv.InitTotal != 4 || sv.RespFail != 1 || sv.InitCurrent != 1 || sv.RespCurrent != 2 {
			t.Errorf("stats %+v", sv)
		}
		return nil
	})
	l.now = labClock.Add(time.Minute) // the initiator SA expired
	l.host("h", func(h *engine.Host) error {
		sv, _ := h.Daemons().Stats()
		if sv.InitCurrent != 0 || sv.RespCurrent != 2 {
			t.Errorf("current after expiry %+v", sv)
		}
		if err := h.Daemons().ResetStats(); err != nil {
			return err
		}
		sv, _ = h.Daemons().Stats()
		if sv.Stats != (engine.Stats{}) || sv.RespCurrent != 2 {
			t.Errorf("after reset %+v", sv)
		}
		return nil
	})
}

func TestSyslogRoundTrip(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	want := engine.SyslogConfig{Level: engine.LogEvents, File: filepath.Join(t.TempDir(), "isakmpd.log")}
	l.host("h", func(h *engine.Host) error {
		if c, err := h.Daemons().Syslog(); err != nil || c != (engine.SyslogConfig{}) {
			t.Errorf("default syslog %+v %v", c, err)
		}
		return h.Daemons().SetSyslog(want)
	})
	l.host("h", func(h *engine.Host) error {
		if c, _ := h.Daemons().Syslog(); c != want {
			t.Errorf("syslog %+v", c)
		}
		return nil
	})
}

// Each event carries the host's logging state as it was when the event
// happened, so a line told after the daemon stopped still has its pid.
func TestEventsCarryLoggingStateOfTheirMoment(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("h", "10.0.0.1")
	dbg := filepath.Join(t.TempDir(), "iked.dbg")
	l.update(func(tx *engine.Tx) error {
		h, err := tx.Host("h")
		if err != nil {
			return err
		}
		h.Emit(engine.Event{Kind: engine.EventNote, Detail: "before"})
		if err := h.Daemons().SetIKE(engine.Daemon{Running: true, PID: 9, Debug: engine.DebugPhase1, DebugFile: dbg}); err != nil {
			return err
		}
		if err := h.Daemons().SetSubsystem(engine.Subsystem{Name: "isakmpd", Running: true, PID: 77}); err != nil {
			return err
		}
		h.Emit(engine.Event{Kind: engine.EventNote, Detail: "running"})
		if err := h.Daemons().SetIKE(engine.Daemon{}); err != nil {
			return err
		}
		h.Emit(engine.Event{Kind: engine.EventNote, Detail: "stopped"})
		evs := tx.Events()
		if len(evs) != 3 {
			t.Fatalf("%d events", len(evs))
		}
		if evs[0].Host != "h" || !evs[0].Time.Equal(labClock) || evs[0].Log.DebugFile != "" {
			t.Errorf("first event %+v", evs[0])
		}
		if st := evs[1].Log; !st.IKERunning || st.IKEPID != 9 || st.DebugFile != dbg || st.PIDs["isakmpd"] != 77 {
			t.Errorf("running state %+v", st)
		}
		if evs[2].Log.IKERunning || evs[2].Log.PIDs["isakmpd"] != 77 {
			t.Errorf("stopped state %+v", evs[2].Log)
		}
		return nil
	})
}

func TestHostsAndPeers(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("b", "10.0.0.2")
	l.addHost("a", "10.0.0.1", "::ffff:10.0.0.9")
	l.update(func(tx *engine.Tx) error {
		hosts, err := tx.Hosts()
		if err != nil {
			return err
		}
		if len(hosts) != 2 || hosts[0].Name != "a" || hosts[1].Name != "b" {
			t.Errorf("hosts %+v", hosts)
		}
		if name, ok := tx.HostByAddr(addr("10.0.0.9")); !ok || name != "a" {
			t.Errorf("v4-mapped address stored unmapped: %q %v", name, ok)
		}
		if _, err := tx.AddHost(engine.HostInfo{Name: "c", Addrs: []netipAddr{addr("10.0.0.2")}}, engine.Daemon{}); err == nil {
			t.Error("address of b given to c")
		}
		if _, err := tx.Host("zz"); err == nil {
			t.Error("unknown host opened")
		}
		if err := tx.SetPeer(addr("10.0.0.1"), engine.PeerAuthFail); err == nil {
			t.Error("a lab host's address became an outside peer")
		}
		if b, _ := tx.PeerBehaviorOf(addr("192.0.2.1")); b != engine.PeerAccept {
			t.Errorf("default behaviour %q", b)
		}
		for _, p := range []string{"192.0.2.9", "192.0.2.1"} {
			if err := tx.SetPeer(addr(p), engine.PeerNoResponse); err != nil {
				return err
			}
		}
		peers, _ := tx.Peers()
		if len(peers) != 2 || peers[0].Addr != addr("192.0.2.1") {
			t.Errorf("peers %+v", peers)
		}
		if err := tx.RemovePeer(addr("192.0.2.9")); err != nil {
			return err
		}
		if err := tx.RemovePeer(addr("192.0.2.9")); err == nil {
			t.Error("removed twice")
		}
		if _, err := engine.ParsePeerBehavior("sulk"); err == nil {
			t.Error("unknown behaviour parsed")
		}
		if err := tx.RemoveHost("b"); err != nil {
			return err
		}
		if _, ok := tx.HostByAddr(addr("10.0.0.2")); ok {
			t.Error("removed host still owns its address")
		}
		if err := tx.RemoveHost("b"); err == nil {
			t.Error("removed twice")
		}
		h, err := tx.Host("a")
		if err != nil {
			return err
		}
		return h.SetInfo(engine.HostInfo{Name: "renamed", Addrs: []netipAddr{addr("10.0.0.3")}})
	})
	l.update(func(tx *engine.Tx) error {
		if name, ok := tx.HostByAddr(addr("10.0.0.3")); !ok || name != "a" {
			t.Errorf("SetInfo keeps the name and takes the addresses: %q %v", name, ok)
		}
		return nil
	})
}
