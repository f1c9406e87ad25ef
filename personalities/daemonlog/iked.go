package daemonlog

import (
	"fmt"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// debugCategoryNames are in.iked's short names of its debug bits, in bit
// order, as its debug lines carry them.
var debugCategoryNames = [...]string{
	"cert", "key", "op", "phase1", "phase2", "pfkey", "policy", "prop", "door", "config", "label",
}

func categoryName(bit uint32) string {
	for i, n := range debugCategoryNames {
		if bit == 1<<i {
			return n
		}
	}
	return fmt.Sprintf("0x%x", bit)
}

// debugLine adds in.iked's debug line for e, when the daemon runs with
// e's category enabled and has somewhere to write it.
func debugLine(f *fileLines, e *engine.Event) {
	st := e.Log
	if !st.IKERunning || st.Debug&e.Category == 0 || st.DebugFile == "" {
		return
	}
	msg, ok := debugText(e)
	if !ok {
		return
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(msg, "\n"), "\n") {
		fmt.Fprintf(&b, "%s in.iked[%d]: %s: %s\n", stamp(e), st.IKEPID, categoryName(e.Category), line)
	}
	f.add(st.DebugFile, b.String())
}

func debugText(e *engine.Event) (string, bool) {
	switch e.Kind {
	case engine.EventDiagnostic:
		return e.Detail, true
	case engine.EventNote:
		return e.Detail, e.Vendor == Solaris
	case engine.EventPhase1Initiated:
		return fmt.Sprintf("initiating phase 1 %s -> %s with rule %q", e.Local, e.Remote, e.Rule), true
	case engine.EventProposalSelected:
		x := e.Xform
		return fmt.Sprintf("selected proposal: auth %d encr %d (%d bits) hash %d group %d lifetime %d s",
			x.Auth, x.Cipher, x.KeyMax, x.Hash, x.Group, x.LifetimeSecs), true
	case engine.EventPhase1Established:
		if e.Initiator {
			return fmt.Sprintf("phase 1 SA established with %s, cookies 0x%x 0x%x", e.Remote, e.CookieI, e.CookieR), true
		}
		return fmt.Sprintf("phase 1 SA established with %s (responder), cookies 0x%x 0x%x", e.Remote, e.CookieI, e.CookieR), true
	case engine.EventPhase1Failed:
		if e.Initiator {
			return "phase 1 failed: " + e.Detail, true
		}
		return fmt.Sprintf("phase 1 from %s failed: %s", addrText(e.Remote), e.Detail), true
	case engine.EventPhase2Established:
		return fmt.Sprintf("phase 2 SA %s <-> %s established (tunnel %d, SPI in 0x%x out 0x%x)",
			rangeText(e.LocalRange), rangeText(e.RemoteRange), e.Tunnel, e.SPIIn, e.SPIOut), true
	}
	return "", false
}
