package engine

// Answers reports whether the host answers IKE: its IKE daemon runs, or
// one of its SRC subsystems that negotiates (AIX's isakmpd, started with
// startsrc -g ike on a host whose in.iked is stopped).
func (v Daemons) Answers() (bool, error) {
	c := &v.h.tx.cache
	running, known := c.ikeRunning[v.h.Info.Name]
	if !known {
		d, err := v.IKE()
		if err != nil {
			return false, err
		}
		running = d.Running
		if c.ikeRunning == nil {
			c.ikeRunning = map[string]bool{}
		}
		c.ikeRunning[v.h.Info.Name] = running
	}
	if running {
		return true, nil
	}
	subs, err := v.Subsystems()
	for _, s := range subs {
		if s.Running && s.Negotiates {
			return true, err
		}
	}
	return false, err
}
