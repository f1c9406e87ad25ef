package solaris

import (
	"fmt"
	"strings"

	"github.com/ikemu/ikemu/pkg/cnum"
	"github.com/ikemu/ikemu/pkg/engine"
)

var debugKeywords = []struct {
	word string
	bit  uint32
}{
	{"cert", engine.DebugCert}, {"key", engine.DebugKey}, {"op", engine.DebugOp},
	{"p1", engine.DebugPhase1}, {"phase1", engine.DebugPhase1},
	{"p2", engine.DebugPhase2}, {"phase2", engine.DebugPhase2},
	{"pfkey", engine.DebugPFKey}, {"pol", engine.DebugPolicy}, {"policy", engine.DebugPolicy},
	{"prop", engine.DebugProp}, {"door", engine.DebugDoor}, {"config", engine.DebugConfig},
	{"label", engine.DebugLabel}, {"all", engine.DebugAll}, {"0", 0},
}

var debugDescriptions = []string{
	"Certificate management", "Key management", "Operational", "Phase 1 SA creation",
	"Phase 2 SA creation", "PF_KEY interface", "Policy management", "Proposal construction",
	"Door interface", "Config file processing", "MAC label processing",
}

// parseDebugLevel reads a debug level as ikeadm does: a number first
// (strtoul semantics, trailing garbage ignored); if that is zero, a
// keyword expression joined by '+' and '-'. On failure it returns the
// text the vendor shows (see debugWords).
func parseDebugLevel(arg string) (uint32, string, bool) {
	if n := strtoul(arg); n != 0 {
		return uint32(n), "", true
	}
	if n, ok := strtolWhole(arg); ok {
		return uint32(n), "", true
	}
	return debugWords(arg)
}

// debugWords evaluates a keyword expression as parsedbgopts does with
// strtok_d: runs of '+' and '-' separate words and never make empty ones;
// the first word is removed if the argument starts with '-', else added;
// every later word takes the sign of the separator right after the word
// before it. strtok_d writes a NUL over the separator ending each word
// that has more text after it, so on failure the vendor's message shows
// the argument only up to the end of its first word in that case.
func debugWords(arg string) (uint32, string, bool) {
	shown := arg
	var level uint32
	sign := byte('+')
	if arg != "" && arg[0] == '-' {
		sign = '-'
	}
	words := 0
	for i := 0; ; {
		for i < len(arg) && isDebugSep(arg[i]) {
			i++
		}
		if i == len(arg) {
			break
		}
		j := i
		for j < len(arg) && !isDebugSep(arg[j]) {
			j++
		}
		if words == 0 && j < len(arg) {
			shown = arg[:j]
		}
		words++
		bit, ok := debugKeyword(arg[i:j])
		if !ok {
			return 0, shown, false
		}
		if sign == '+' {
			level |= bit
		} else {
			level &^= bit
		}
		if j == len(arg) {
			break
		}
		sign, i = arg[j], j+1
	}
	// Only separators: the vendor looks up a missing word and crashes;
	// refuse it as a bad flag instead.
	if words == 0 {
		return 0, shown, false
	}
	return level, "", true
}

func isDebugSep(c byte) bool { return c == '+' || c == '-' }

// debugKeyword looks a nickname up as strcasecmp does in the C locale:
// ASCII letters only fold.
func debugKeyword(w string) (uint32, bool) {
	for _, k := range debugKeywords {
		if asciiEqualFold(k.word, w) {
			return k.bit, true
		}
	}
	return 0, false
}

func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if asciiLower(a[i]) != asciiLower(b[i]) {
			return false
		}
	}
	return true
}

func asciiLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// parsePrivLevel reads a privilege level: a number, or base/modkeys/keymat.
func parsePrivLevel(arg string) (engine.Privilege, bool) {
	n := strtoul(arg)
	if n == 0 {
		switch strings.ToLower(arg) {
		case "base", "0":
			n = 0
		case "modkeys":
			n = 1
		case "keymat":
			n = 2
		default:
			v, ok := strtolWhole(arg)
			if !ok {
				return 0, false
			}
			n = uint64(v)
		}
	}
	if n > 2 {
		return 0, false
	}
	return engine.Privilege(n), true
}

func privDescription(p engine.Privilege) string {
	switch p {
	case engine.PrivBase:
		return "base privileges"
	case engine.PrivModKeys:
		return "access to preshared key information"
	case engine.PrivKeymat:
		return "access to keying material"
	}
	return fmt.Sprintf("<unknown level %d>", p)
}

// debugListing is the category listing of get/set debug.
func debugListing(level uint32) string {
	if level == 0 {
		return "No debug categories enabled.\n"
	}
	var b strings.Builder
	b.WriteString("Debug categories enabled:")
	for i, d := range debugDescriptions {
		if level&(1<<i) != 0 {
			b.WriteString("\n\t" + d)
		}
	}
	b.WriteString("\n")
	return b.String()
}

// strtoul mimics C strtoul(s, NULL, 0): leading blanks, an optional sign,
// base from the prefix, digits until the first invalid one; overflow
// saturates; a minus sign negates in unsigned arithmetic.
func strtoul(s string) uint64 {
	n, _ := strtoull(s)
	return n
}

// strtoull is strtoul that also reports overflow (ERANGE).
func strtoull(s string) (uint64, bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	base := uint64(10)
	if i+2 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && cnum.HexDigit(s[i+2]) >= 0 {
		base, i = 16, i+2
	} else if i < len(s) && s[i] == '0' {
		base = 8
	}
	var n uint64
	for ; i < len(s); i++ {
		d := cnum.HexDigit(s[i])
		if d < 0 || uint64(d) >= base {
			break
		}
		if n > (^uint64(0)-uint64(d))/base {
			return ^uint64(0), true
		}
		n = n*base + uint64(d)
	}
	if neg {
		return -n, false
	}
	return n, false
}

// strtolWhole is strtol(s, &end, 0) that must consume all of s. It is only
// asked after strtoul read zero, so the whole-number forms left are the
// spellings of zero ("0", "00", "0x0", "-0"), and the empty string: with
// nothing to convert strtol leaves its end pointer at the start, which
// there is already the end.
func strtolWhole(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	s = strings.TrimLeft(s, " \t")
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if s == "" || strings.Trim(s, "0") != "" {
		return 0, false
	}
	return 0, true
}
