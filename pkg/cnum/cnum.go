// Package cnum holds the pieces of C's number conversions (strtoul and
// friends) that the vendors' tools parse their arguments and files with.
package cnum

// HexDigit is the value of an ASCII hex digit, or -1: the digit test and
// value strtoul uses for every base up to 16.
func HexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
