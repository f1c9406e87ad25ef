package engine

import "encoding/json"

// daemonRow is a Daemon as the lab file holds it. ikemu before the PIN
// moved out of the lab file kept each token session's PIN in the record
// ("pin"); decoding catches that field so that no copy of it survives:
// such a session is void (its PIN is not where PINs are kept now, so its
// token counts as logged out) and is dropped.
type daemonRow struct {
	Daemon
	// Tokens shadows Daemon.Tokens when decoding (the shallower field
	// wins), so each session's legacy PIN lands in sessionRow.
	Tokens []sessionRow `json:"tokens,omitempty"`
}

type sessionRow struct {
	TokenSession
	LegacyPIN json.RawMessage `json:"pin,omitempty"`
}

// daemon is the record without the void sessions, and whether there
// were any (then the stored record still holds a PIN and must be
// rewritten).
func (r *daemonRow) daemon() (Daemon, bool) {
	d := r.Daemon
	d.Tokens = nil
	stale := false
	for i := range r.Tokens {
		if r.Tokens[i].LegacyPIN != nil {
			clear(r.Tokens[i].LegacyPIN) // the decoder's copy of the PIN
			stale = true
			continue
		}
		d.Tokens = append(d.Tokens, r.Tokens[i].TokenSession)
	}
	return d, stale
}
