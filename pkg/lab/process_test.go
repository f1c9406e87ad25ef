package lab

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestThisProcessAlive: this process is alive as ThisProcess names it;
// the same id with another start time, another boot or no such process
// is not; a process that has exited and one that is a zombie are not.
func TestThisProcessAlive(t *testing.T) {
	me, err := ThisProcess()
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	var k kernelProcesses
	if !k.Alive(me) {
		t.Fatalf("this process %+v is not alive", me)
	}
	for name, p := range map[string]func(){
		"start": func() { me.Start++ },
		"boot":  func() { me.Boot = "another boot" },
	} {
		saved := me
		p()
		if k.Alive(me) {
			t.Errorf("another %s: alive", name)
		}
		me = saved
	}
	child := exec.Command("/bin/sh", "-c", "exit 0")
	if err := child.Start(); err != nil {
		t.Skip(err)
	}
	start, err := processStart(child.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	p := me
	p.PID, p.Start = child.Process.Pid, start
	// Once it has exited it is a zombie until reaped, then gone.
	deadline := time.Now().Add(5 * time.Second)
	for k.Alive(p) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if k.Alive(p) {
		t.Error("an exited child (a zombie) is alive")
	}
	_ = child.Wait()
	if k.Alive(p) {
		t.Error("a reaped child is alive")
	}
}

// TestProcStatCommandName: the command name may hold spaces and ')'.
func TestProcStatCommandName(t *testing.T) {
	dir := t.TempDir()
	// A copy of sleep named with the awkward characters.
	sh, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip(err)
	}
	b, err := os.ReadFile(sh)
	if err != nil {
		t.Skip(err)
	}
	odd := dir + "/a b) c"
	if err := os.WriteFile(odd, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(odd, "5")
	if err := cmd.Start(); err != nil {
		t.Skip(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	st, err := procStat(cmd.Process.Pid)
	if err != nil || st.start == 0 || st.state == 0 {
		t.Fatalf("procStat: %+v %v", st, err)
	}
}
