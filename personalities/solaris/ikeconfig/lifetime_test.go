package ikeconfig

import (
	"math/rand/v2"
	"testing"
)

func TestSanitizeP2(t *testing.T) {
	tests := []struct {
		name    string
		in, out p2Life
	}{
		{"nothing set", p2Life{}, p2Life{28800, 24000, 13333, 29491200, 24576000}},
		{"hard too small", p2Life{hard: 50}, p2Life{100, 90, 50, 102400, 92160}},
		{"hard too big", p2Life{hard: 200000}, p2Life{172800, 24000, 13333, 176947200, 159252480}},
		{"soft too small", p2Life{hard: 1000, soft: 10}, p2Life{1000, 90, 50, 1024000, 921600}},
		{"soft too big", p2Life{hard: 1000, soft: 200000}, p2Life{1000, 900, 500, 1024000, 921600}},
		{"soft equal hard", p2Life{hard: 1000, soft: 1000}, p2Life{1000, 1000, 555, 1024000, 1024000}},
		{"both too big become equal", p2Life{hard: 999999, soft: 999999},
			p2Life{172800, 172800, 96000, 176947200, 176947200}},
		{"soft above hard", p2Life{hard: 3600, soft: 4000}, p2Life{3600, 3240, 1800, 3686400, 3317760}},
		{"soft too close", p2Life{hard: 3600, soft: 3595}, p2Life{3600, 3590, 1994, 3686400, 3317760}},
		{"default soft above small hard", p2Life{hard: 3600}, p2Life{3600, 3240, 1800, 3686400, 3317760}},
		{"default soft equals hard", p2Life{hard: 24000}, p2Life{24000, 23990, 13327, 24576000, 22118400}},
		{"idle too small", p2Life{idle: 5}, p2Life{28800, 24000, 30, 29491200, 24576000}},
		{"idle above soft", p2Life{idle: 30000}, p2Life{28800, 24000, 13333, 29491200, 24576000}},
		{"idle too close", p2Life{idle: 23995}, p2Life{28800, 24000, 23990, 29491200, 24576000}},
		{"hard kb too small", p2Life{hardKB: 10}, p2Life{28800, 24000, 13333, 1024, 921}},
		{"hard kb too big", p2Life{hardKB: 4000000000}, p2Life{28800, 24000, 13333, 536870912, 53687091}},
		{"soft kb too small is reset", p2Life{hardKB: 100000, softKB: 899}, p2Life{28800, 24000, 13333, 100000, 90000}},
		{"soft kb reset when hard kb derived", p2Life{softKB: 5000}, p2Life{28800, 24000, 13333, 29491200, 24576000}},
		{"soft kb above hard kb", p2Life{hardKB: 100000, softKB: 200000}, p2Life{28800, 24000, 13333, 100000, 90000}},
		{"soft kb too close", p2Life{hardKB: 100000, softKB: 99950}, p2Life{28800, 24000, 13333, 100000, 99900}},
		{"soft kb follows soft secs", p2Life{hard: 28800, soft: 20000}, p2Life{28800, 20000, 11111, 29491200, 20480000}},
	}
	for _, tt := range tests {
		if got := sanitizeP2(tt.in); got != tt.out {
			t.Errorf("%s: sanitizeP2(%+v) = %+v, want %+v", tt.name, tt.in, got, tt.out)
		}
	}
}

// TestSanitizeP2FixedPoint checks the property write/read round trips rely
// on: a sanitized set of lifetimes passes the check unchanged, and the
// daemon's own invariants hold.
func TestSanitizeP2FixedPoint(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func() uint32 {
		switch r.IntN(4) {
		case 0:
			return 0
		case 1:
			return r.Uint32()
		default:
			return r.Uint32N(300000)
		}
	}
	for range 200000 {
		in := p2Life{pick(), pick(), pick(), pick(), pick()}
		out := sanitizeP2(in)
		if again := sanitizeP2(out); again != out {
			t.Fatalf("sanitizeP2 not idempotent: %+v -> %+v -> %+v", in, out, again)
		}
		if msg := lifeInvariant(out); msg != "" {
			t.Fatalf("sanitizeP2(%+v) = %+v: %s", in, out, msg)
		}
	}
}

// lifeInvariant restates the assertions the daemon makes after its check.
func lifeInvariant(l p2Life) string {
	switch {
	case l.hard < minP2Hard || l.hard > maxP2Secs:
		return "hard out of range"
	case l.soft < minP2Soft || l.soft > l.hard:
		return "soft out of range"
	case l.idle < minP2Idle || l.soft-l.idle < minDiffSecs:
		return "idle out of range"
	case l.hardKB < minP2HardKB || l.hardKB > maxP2KB:
		return "hard kb out of range"
	case l.softKB < minP2SoftKB || l.softKB > l.hardKB:
		return "soft kb out of range"
	case l.hard != l.soft && (l.hard-l.soft < minDiffSecs || l.hardKB-l.softKB < minDiffKB):
		return "soft too close to hard"
	}
	return ""
}
