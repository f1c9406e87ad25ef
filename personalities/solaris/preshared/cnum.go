package preshared

import (
	"math"

	"github.com/ikemu/ikemu/pkg/cnum"
)

// The original parsers read numbers with strtol, strtoul, sscanf("%u") and
// atoi, which all skip leading white space, take a sign and ignore trailing
// garbage. These helpers reproduce those rules without the C overflow
// behaviour (magnitudes saturate instead).

// magCap bounds decimal magnitudes; every caller compares against far
// smaller limits, so saturating here never changes a verdict.
const magCap = 1 << 40

// isCSpace is isspace() in the C locale.
func isCSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// asciiLower lower-cases ASCII letters only, like the C locale's tolower
// used by strcasecmp; it avoids the Unicode folding of strings.EqualFold
// (which would, say, accept the Kelvin sign for "k").
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return lowerFrom(s, i)
		}
	}
	return s
}

func lowerFrom(s string, i int) string {
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// scanDecimal reads [space][sign]digits from s. ok is false when no digit
// follows the optional sign (strtol's "str == end").
func scanDecimal(s string) (neg bool, mag uint64, ok bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	for ; i < len(s) && isDigit(s[i]); i++ {
		ok = true
		if mag < magCap {
			mag = mag*10 + uint64(s[i]-'0')
		}
	}
	return neg, min(mag, magCap), ok
}

// atoi is C atoi: 0 when no number is there.
func atoi(s string) int64 {
	neg, mag, _ := scanDecimal(s)
	if neg {
		return -int64(mag)
	}
	return int64(mag)
}

// strtoul0 is strtoul(s, NULL, 0) with a 64-bit unsigned long: base from
// the prefix (0x hex, 0 octal, else decimal), negation modulo 2^64, and
// ULONG_MAX on overflow.
func strtoul0(s string) uint64 {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	base, i := numberBase(s, i)
	v, overflow := accumulate(s[i:], base)
	if overflow {
		return math.MaxUint64
	}
	if neg {
		return -v
	}
	return v
}

// numberBase picks strtoul's base for base 0 and skips a 0x prefix that
// is followed by a hex digit (otherwise the 0 alone is the number).
func numberBase(s string, i int) (uint64, int) {
	if i+2 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && cnum.HexDigit(s[i+2]) >= 0 {
		return 16, i + 2
	}
	if i < len(s) && s[i] == '0' {
		return 8, i
	}
	return 10, i
}

func accumulate(s string, base uint64) (v uint64, overflow bool) {
	for i := 0; i < len(s); i++ {
		d := cnum.HexDigit(s[i])
		if d < 0 || uint64(d) >= base {
			break
		}
		if v > (math.MaxUint64-uint64(d))/base {
			overflow = true
		}
		v = v*base + uint64(d)
	}
	return v, overflow
}
