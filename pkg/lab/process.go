package lab

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/ikemu/ikemu/pkg/engine"
)

// ThisProcess is the running process as a served host's daemons record
// it: its id, when it started and in which boot.
func ThisProcess() (engine.ServingProcess, error) {
	pid := os.Getpid()
	start, err := processStart(pid)
	if err != nil {
		return engine.ServingProcess{}, err
	}
	boot, err := bootID()
	if err != nil {
		return engine.ServingProcess{}, err
	}
	return engine.ServingProcess{PID: pid, Start: start, Boot: boot}, nil
}

// kernelProcesses answers from /proc whether a recorded process runs: the
// same id, started at the same tick of the same boot, and not a zombie
// (a killed serve its parent has not yet reaped serves nothing).
type kernelProcesses struct{}

func (kernelProcesses) Alive(p engine.ServingProcess) bool {
	boot, err := bootID()
	if err != nil || boot != p.Boot {
		return false
	}
	stat, err := procStat(p.PID)
	if err != nil || stat.state == 'Z' || stat.state == 'X' {
		return false
	}
	return stat.start == p.Start
}

// processStart is when process pid started, in clock ticks since boot.
func processStart(pid int) (uint64, error) {
	st, err := procStat(pid)
	return st.start, err
}

type statFields struct {
	state byte
	start uint64
}

// procStat reads the state (field 3) and start time (field 22) of
// /proc/PID/stat; the command name (field 2) may hold spaces and
// parentheses, so the fields are counted after its last ')'.
func procStat(pid int) (statFields, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return statFields{}, fmt.Errorf("process %d: %w", pid, err)
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return statFields{}, fmt.Errorf("process %d: %w", pid, errBadStat)
	}
	f := bytes.Fields(b[i+1:])
	const startField = 22 - 3 // fields counted from the state, field 3
	if len(f) <= startField || len(f[0]) != 1 {
		return statFields{}, fmt.Errorf("process %d: %w", pid, errBadStat)
	}
	start, err := strconv.ParseUint(string(f[startField]), 10, 64)
	if err != nil {
		return statFields{}, fmt.Errorf("process %d: %w", pid, errBadStat)
	}
	return statFields{state: f[0][0], start: start}, nil
}

var errBadStat = errors.New("unreadable /proc stat line")

// bootID names the running boot; process start times count from it.
func bootID() (string, error) {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return "", fmt.Errorf("boot id: %w", err)
	}
	return string(bytes.TrimSpace(b)), nil
}
