package engine

// Answers reports whether the host answers IKE: its IKE daemon runs, or
// one of its SRC subsystems that negotiates (AIX's isakmpd, started with
// startsrc -g ike on a host whose in.iked is stopped).
func (v Daemons) Answers() (bool, error) {
	d, err := v.IKE()
	if err != nil || d.Running {
		return d.Running, err
	}
	subs, err := v.Subsystems()
	for _, s := range subs {
		if s.Running && s.Negotiates {
			return true, err
		}
	}
	return false, err
}
