package proc

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestWindowsBuildRefusedClearly: GOOS=windows fails with the one line
// that says why, not with the lab's undefined POSIX calls.
func TestWindowsBuildRefusedClearly(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles; skipped in -short")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command here")
	}
	cmd := exec.Command(gobin, "build", "-o", os.DevNull, "../../cmd/ikemu")
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("GOOS=windows build succeeded; README says it is excluded")
	}
	if !strings.Contains(string(out), "undefined: ikemu_does_not_build_for_Windows_use_WSL_or_the_container_image") {
		t.Fatalf("GOOS=windows build failed without the explanation:\n%s", out)
	}
	if strings.Contains(string(out), "syscall.") {
		t.Errorf("the explanation is buried in other errors:\n%s", out)
	}
}
