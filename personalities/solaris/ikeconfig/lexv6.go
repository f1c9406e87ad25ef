package ikeconfig

// v6Len returns the length of the longest prefix of s that the daemon's
// IPv6 pattern matches, 0 if none. The pattern is looser than IPv6 itself
// (any number of groups; validation comes later), so it is matched here
// the way lex does: groups of 1-4 hex digits joined by ':', at most one
// '::', at least two groups unless '::' occurs, optionally followed by
// ':' and a dotted quad. The scan is linear: a small state machine records
// the last accepting position, and the dotted-quad tail is tried wherever
// an accepting prefix is followed by ':'.
func v6Len(s string) int {
	if len(s) > 0 && s[0] == ':' && (len(s) < 2 || s[1] != ':') {
		return 0
	}
	var st v6State
	last, ext := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && i > 0 && last == i {
			if n := v4Len(s[i+1:]); n > 0 {
				ext = max(ext, i+1+n)
			}
		}
		if !st.step(s[i]) {
			break
		}
		if st.accepting() {
			last = i + 1
		}
	}
	return max(last, ext)
}

// v6State is the position of the IPv6 matcher.
type v6State struct {
	groups int  // hex groups seen
	digits int  // digits in the current group
	colons int  // colons just seen (0, 1 or 2)
	double bool // a '::' has been seen
}

// step consumes c; false means no longer prefix can match.
func (st *v6State) step(c byte) bool {
	switch {
	case isHex(c):
		if st.digits == 4 {
			return false
		}
		if st.digits == 0 {
			st.groups++
		}
		st.digits++
		st.colons = 0
	case c == ':':
		switch st.colons {
		case 0:
			st.colons = 1
			st.digits = 0
		case 1:
			if st.double {
				return false
			}
			st.double = true
			st.colons = 2
		default:
			return false
		}
	default:
		return false
	}
	return true
}

// accepting reports whether the input so far is a complete match.
func (st *v6State) accepting() bool {
	if st.colons == 2 {
		return true
	}
	return st.digits > 0 && (st.double || st.groups >= 2)
}
