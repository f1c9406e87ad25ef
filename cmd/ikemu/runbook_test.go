//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestRunbooks runs vendor runbooks, shell scripts written for a real
// Solaris or AIX machine, unchanged under "ikemu exec" (testdata/runbook).
// They need root (mounts over /etc and /usr) and mount namespaces.
func TestRunbooks(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("runbooks: not root (ikemu exec mounts over /etc and /usr)")
	}
	probe := exec.Command("/bin/sh", "-c", "exit 0")
	probe.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS}
	if err := probe.Run(); err != nil {
		t.Skipf("runbooks: no mount namespaces here: %v", err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("..", "..", "testdata", "runbook"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("IKEMU_UPDATE_SCRIPTS") == "1",
		Setup: func(e *testscript.Env) error {
			e.Setenv("IKEMU_LAB", filepath.Join(e.WorkDir, "lab"))
			e.Setenv("HOME", e.WorkDir)
			e.Setenv("TZ", "UTC")
			e.Setenv("IKEMU_LOCK_TIMEOUT", "5s")
			return setRuntimeDir(e)
		},
	})
}
