package daemonlog

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

func TestWriteRendersBothVendorsAndDropsUncommittedState(t *testing.T) {
	dir := t.TempDir()
	dbg, sys := filepath.Join(dir, "in.iked.log"), filepath.Join(dir, "ipsec.log")
	st := &engine.LogState{IKERunning: true, IKEPID: 1001, Debug: engine.DebugAll, DebugFile: dbg,
		Syslog: engine.SyslogConfig{Level: engine.LogInformation, File: sys}, PIDs: map[string]int{"isakmpd": 1006}}
	when := time.Date(2026, 3, 4, 10, 15, 0, 0, time.Local)
	a, b := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	evs := []engine.Event{
		{Host: "h", Time: when, Kind: engine.EventPhase1Established, Category: engine.DebugPhase1,
			Local: a, Remote: b, Initiator: true, CookieI: 1, CookieR: 2, Log: st},
		{Host: "h", Time: when, Kind: engine.EventPhase1Failed, Category: engine.DebugPhase1,
			Initiator: true, Detail: "no response from 10.0.0.2", Log: st},
	}
	Write(evs, false)
	got, _ := os.ReadFile(dbg)
	want := "Mar  4 10:15:00 in.iked[1001]: phase1: phase 1 failed: no response from 10.0.0.2\n"
	if string(got) != want {
		t.Errorf("uncommitted debug file:\n%q\nwant\n%q", got, want)
	}
	Write(evs[:1], true)
	got, _ = os.ReadFile(sys)
	want = "Mar  4 10:15:00 h isakmpd[1006]: Phase 1 negotiation failed: no response from 10.0.0.2\n" +
		"Mar  4 10:15:00 h isakmpd[1006]: Phase 1 SA established (initiator) 10.0.0.1 <-> 10.0.0.2, cookies 0x1 0x2\n"
	if string(got) != want {
		t.Errorf("syslog:\n%q\nwant\n%q", got, want)
	}
	if fi, err := os.Stat(sys); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("syslog file mode: %v %v", fi, err)
	}
}
