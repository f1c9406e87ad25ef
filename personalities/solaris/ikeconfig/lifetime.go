package ikeconfig

// p2Life holds the five phase 2 lifetimes of a rule; zero means not given.
type p2Life struct {
	hard, soft, idle uint32 // seconds
	hardKB, softKB   uint32 // kilobytes
}

// Phase 2 lifetime defaults and limits (the constants "ikeadm get
// defaults" lists).
const (
	defP2Hard   = 28800
	defP2Soft   = 24000
	minP2Hard   = 100
	minP2Soft   = 90
	minP2Idle   = 30
	minP2HardKB = 1024
	minP2SoftKB = 900
	minDiffSecs = 10
	minDiffKB   = 100
	maxP2Secs   = 172800
	kbPerSec    = 1024
	maxP2KB     = 536870912
)

// sanitizeP2 is the daemon's lifetime sanity check: seconds first, then
// kilobytes derived from or kept in proportion with them. The result is a
// fixed point (sanitizing it again changes nothing), which is what lets
// "write rule" output read back unchanged.
func sanitizeP2(l p2Life) p2Life {
	l.hard, l.soft = saneSecs(l.hard, l.soft)
	l.idle = saneIdle(l.soft, l.idle)
	l.hardKB, l.softKB = saneKB(l)
	return l
}

// saneSecs checks the hard and soft lifetimes in seconds. A soft lifetime
// equal to the hard one disables soft expiry and is left alone.
func saneSecs(hard, soft uint32) (uint32, uint32) {
	if hard == 0 {
		hard = defP2Hard
	}
	hard = min(max(hard, minP2Hard), maxP2Secs)
	if soft != 0 {
		soft = min(max(soft, minP2Soft), maxP2Secs)
	}
	if soft == hard {
		return hard, soft
	}
	if soft == 0 {
		soft = defP2Soft
	}
	if soft > hard {
		soft = hardToSoft(hard)
	}
	if hard-soft < minDiffSecs {
		soft = hard - minDiffSecs
	}
	return hard, soft
}

// saneIdle keeps the idle time (when DPD runs) below the soft lifetime.
func saneIdle(soft, idle uint32) uint32 {
	if idle != 0 && idle < minP2Idle {
		idle = minP2Idle
	}
	if idle == 0 || idle > soft {
		idle = soft * 5 / 9
	}
	if soft-idle < minDiffSecs {
		idle = soft - minDiffSecs
	}
	return idle
}

// saneKB checks the kilobyte lifetimes against the (already checked)
// second lifetimes in l.
func saneKB(l p2Life) (uint32, uint32) {
	hard, soft := l.hardKB, l.softKB
	if hard == 0 {
		hard, soft = l.hard*kbPerSec, 0
	}
	hard = min(max(hard, minP2HardKB), maxP2KB)
	if soft != 0 && soft < minP2SoftKB {
		soft = 0
	}
	if l.hard == l.soft {
		return hard, hard
	}
	if soft == 0 {
		// Keep the kilobyte proportion when the hard value is not the
		// default, else follow the soft lifetime in seconds.
		if hard != defP2Hard*kbPerSec {
			soft = hardToSoft(hard)
		} else {
			soft = l.soft * kbPerSec
		}
	}
	if soft > hard {
		soft = hardToSoft(hard)
	}
	if hard-soft < minDiffKB {
		soft = hard - minDiffKB
	}
	return hard, soft
}

// hardToSoft is 90 %, multiplying first in 32 bits as the daemon does, so
// that kilobyte values above 2^32/9 wrap exactly as they do there.
func hardToSoft(h uint32) uint32 {
	return h * 9 / 10
}
