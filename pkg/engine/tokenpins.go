package engine

import "fmt"

// The PIN of each token login is kept by Credentials, outside the lab
// database, under a PINSlot: the daemon run and the token. These are the
// engine's uses of it.

// pinSlot names the PIN of the login to token label in d's run.
func (h *Host) pinSlot(d Daemon, label string) PINSlot {
	return PINSlot{Run: d.run(h.Info.Name), Token: label}
}

// tokenPIN is the PIN of a token the daemon is logged in to.
func (h *Host) tokenPIN(d Daemon, label string) (string, error) {
	if !hasSession(d.Tokens, label) {
		return "", fmt.Errorf("PKCS#11 token %q is not logged in", label)
	}
	pin, ok, err := h.tx.credentials().PIN(h.pinSlot(d, label))
	switch {
	case err != nil:
		return "", fmt.Errorf("PKCS#11 token %q: %w", label, err)
	case !ok:
		return "", fmt.Errorf("PKCS#11 token %q is not logged in (its PIN is gone: log in again)", label)
	}
	return pin, nil
}

// heldLogins are the daemon's token sessions whose PIN is still kept. A
// session whose PIN went (the machine restarted, which empties memory,
// or the PIN store was cleared) unlocks nothing, as the token would
// refuse to sign.
func (h *Host) heldLogins(d Daemon) []TokenSession {
	held := d.Tokens[:0:0]
	for _, l := range d.Tokens {
		_, ok, err := h.tx.credentials().PIN(h.pinSlot(d, l.Label))
		if err != nil {
			h.diag(DebugCert, "PKCS#11 token %q: %v", l.Label, err)
		}
		if ok {
			held = append(held, l)
		}
	}
	return held
}

// forgetPINs drops the PINs a daemon record change leaves without a
// session: every PIN of the old run when the daemon becomes another run
// (stopped, started, replaced), else the PINs of the sessions that went.
// Forgetting the whole run also removes a PIN that a failed transaction
// stored without its session.
func (h *Host) forgetPINs(old, d Daemon) error {
	creds := h.tx.credentials()
	oldRun := old.run(h.Info.Name)
	if oldRun.none() {
		return nil
	}
	if !oldRun.same(d.run(h.Info.Name)) {
		return wrapForget(creds.ForgetRun(oldRun))
	}
	for _, l := range old.Tokens {
		if !hasSession(d.Tokens, l.Label) {
			if err := creds.ForgetPIN(h.pinSlot(old, l.Label)); err != nil {
				return wrapForget(err)
			}
		}
	}
	return nil
}

func wrapForget(err error) error {
	if err != nil {
		return fmt.Errorf("forget token PIN: %w", err)
	}
	return nil
}

func hasSession(ls []TokenSession, label string) bool {
	for _, l := range ls {
		if l.Label == label {
			return true
		}
	}
	return false
}
