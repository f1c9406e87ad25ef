package lab

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// A runbook may kill the PID lssrc printed: it must never name a live
// process, here or on any Linux machine.
func TestDaemonPIDsAreNeverLive(t *testing.T) {
	l := openTestLab(t, "1s")
	var pids []int
	err := l.Update(func(tx *engine.Tx) error {
		for range 3 {
			pid, err := NextPID(tx)
			if err != nil {
				return err
			}
			pids = append(pids, pid)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	limit := 4 << 20
	if b, err := os.ReadFile("/proc/sys/kernel/pid_max"); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && n > limit {
			t.Fatalf("pid_max %d above PID_MAX_LIMIT", n)
		}
	}
	for i, pid := range pids {
		if pid < limit {
			t.Errorf("pid %d is below PID_MAX_LIMIT %d", pid, limit)
		}
		if i > 0 && pid <= pids[i-1] {
			t.Errorf("pids not increasing: %v", pids)
		}
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
			t.Errorf("pid %d is a live process", pid)
		}
	}
}
