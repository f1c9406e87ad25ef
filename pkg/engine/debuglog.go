package engine

import (
	"fmt"
	"os"
	"strings"
)

var debugCategoryNames = [...]string{
	"cert", "key", "op", "phase1", "phase2", "pfkey", "policy", "prop", "door", "config", "label",
}

// DebugCategoryName is the short name of one debug bit, as used in log lines.
func DebugCategoryName(bit uint32) string {
	for i, n := range debugCategoryNames {
		if bit == 1<<i {
			return n
		}
	}
	return fmt.Sprintf("0x%x", bit)
}

// Debugf appends one line to the daemon's debug file when the daemon runs
// with category cat enabled. Logging never fails the operation it
// describes: an unwritable debug file is the administrator's to fix.
func (h *Host) Debugf(cat uint32, format string, args ...any) {
	d, err := h.Daemons().IKE()
	if err != nil {
		return
	}
	WriteDebug(d, h.tx.now.Local().Format("Jan _2 15:04:05"), cat, fmt.Sprintf(format, args...))
}

// WriteDebug appends msg (one or more lines) to d's debug file if cat is enabled.
func WriteDebug(d Daemon, stamp string, cat uint32, msg string) {
	if !d.Running || d.Debug&cat == 0 || d.DebugFile == "" {
		return
	}
	f, err := os.OpenFile(d.DebugFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(msg, "\n"), "\n") {
		fmt.Fprintf(&b, "%s in.iked[%d]: %s: %s\n", stamp, d.PID, DebugCategoryName(cat), line)
	}
	_, _ = f.WriteString(b.String())
}
