// Package dnsname checks host and domain names as the vendors' IKE tools
// accept them in identities.
package dnsname

import "strings"

// Valid reports whether s is a domain name of at most 253 bytes, in
// labels of 1-63 letters, digits, hyphens or underscores. Names without
// dots are accepted: administrators commonly give short host names, and
// IKE carries the text as is.
func Valid(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || !validLabel(label) {
			return false
		}
	}
	return true
}

func validLabel(label string) bool {
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
