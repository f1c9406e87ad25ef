package ike

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/personalities/aix/devices"
	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
)

// activate starts the tunnel of an ipaddr= request through the shared
// engine (activateDefinitions the defined ones). Like tmd it returns
// once negotiation has run: the result is in "ike cmd=list" and the log,
// and only a request that cannot start (or a tunnel already up) fails.
func (r *invocation) activate(h *engine.Host) error {
	return r.activatePair(h, r.req.IPAddr[0], r.req.IPAddr[1], activation{phase: r.req.Phase})
}

// activation is what one selected tunnel asks for.
type activation struct {
	phase    string // "", "1" or "2"
	spec     *engine.QuickModeSpec
	p1Policy string
	p2Policy string
	p2Fail   bool // the peer accepts none of the phase 2 proposals
}

// activatePair activates phase 1 (and, unless phase=1, one phase 2)
// between two addresses.
func (r *invocation) activatePair(h *engine.Host, src, dst netip.Addr, a activation) error {
	if !h.Info.Owns(src) {
		return fmt.Errorf("%s is not an address of this host", src)
	}
	if err := devices.RequireFor(h, src); err != nil {
		return err
	}
	isakmpd, err := h.Daemons().Subsystem("isakmpd")
	if err != nil {
		return err
	}
	if !isakmpd.Running {
		// tmd queues the request until isakmpd answers.
		daemonlog.Syslog(h, engine.LogErrors, "tmd", "isakmpd is not running; phase 1 request %s -> %s queued", src, dst)
		return h.Tunnels().AddEntry(&engine.TunnelEntry{Phase: 1, Status: engine.TunnelNegotiating, Local: src.String(),
			Remote: dst.String(), LocalAddr: src, RemAddr: dst, Initiator: true, When: h.Now(), Policy: a.p1Policy})
	}
	existing, err := h.SAs().NewestPhase1(src, dst)
	if err != nil {
		return err
	}
	if existing != nil && a.phase == "1" {
		return &tunnelExistsError{phase: 1, num: existing.TunnelNum, local: src.String(), remote: dst.String()}
	}
	if existing != nil {
		// Before anything is negotiated: a refused activation changes nothing.
		if err := r.refuseActivePhase2(h, a.phase2Spec(existing)); err != nil {
			return err
		}
	}
	daemonlog.Syslog(h, engine.LogInformation, "tmd", "phase 1 request %s -> %s sent to isakmpd", src, dst)
	sa, _, err := h.EnsurePhase1(src, dst)
	var negErr *engine.NegotiationError
	if errors.As(err, &negErr) {
		daemonlog.Syslog(h, engine.LogErrors, "tmd", "phase 1 negotiation %s -> %s failed: %s", src, dst, negErr.Reason)
		return h.Tunnels().AddEntry(&engine.TunnelEntry{Phase: 1, Status: engine.TunnelFailed, Local: src.String(),
			Remote: dst.String(), LocalAddr: src, RemAddr: dst, Initiator: true, When: h.Now(), Reason: negErr.Reason, Policy: a.p1Policy})
	}
	if err != nil || a.phase == "1" {
		return err
	}
	if a.p2Fail {
		daemonlog.Syslog(h, engine.LogErrors, "isakmpd", "Phase 2 negotiation %s -> %s failed: no proposal chosen", src, dst)
		return h.Tunnels().AddEntry(&engine.TunnelEntry{Phase: 2, Status: engine.TunnelFailed, Local: src.String() + "-" + src.String(),
			Remote: dst.String() + "-" + dst.String(), LocalAddr: src, RemAddr: dst, Initiator: true, When: h.Now(),
			Reason: "no proposal chosen", Policy: a.p2Policy})
	}
	spec := a.phase2Spec(sa)
	if err := r.refuseActivePhase2(h, spec); err != nil {
		return err
	}
	_, err = h.QuickMode(sa, spec)
	return err
}

// phase2Spec is the phase 2 the activation asks for under sa.
func (a activation) phase2Spec(sa *engine.Phase1SA) engine.QuickModeSpec {
	if a.spec != nil {
		return *a.spec
	}
	return hostToHost(sa)
}

// tunnelExistsError is the tunnel manager's refusal of a tunnel that is
// already up (IBM: "If the tunnel already exists ... it reports an
// error"), naming the tunnel as ike cmd=list shows it.
type tunnelExistsError struct {
	phase         int
	num           uint32
	local, remote string
}

func (e *tunnelExistsError) Error() string {
	return fmt.Sprintf("phase %d tunnel %d between %s and %s already exists", e.phase, e.num, e.local, e.remote)
}

// refuseActivePhase2 fails when a phase 2 tunnel for the same traffic
// (the same local and remote identities) is active on this host, whoever
// initiated it.
func (r *invocation) refuseActivePhase2(h *engine.Host, spec engine.QuickModeSpec) error {
	found, err := h.SAs().OldestLivePhase2(spec.Local, spec.Remote)
	if err != nil || found == nil {
		return err
	}
	return &tunnelExistsError{phase: 2, num: found.TunnelNum, local: rangeID(found.Local), remote: rangeID(found.Remote)}
}

// hostToHost is the phase 2 of an ipaddr= activation without a definition:
// the two hosts, ESP in tunnel mode.
func hostToHost(sa *engine.Phase1SA) engine.QuickModeSpec {
	return engine.QuickModeSpec{Local: sa.Local, Remote: sa.Remote, LifetimeSecs: 28800, PFS: sa.PFS,
		Proposal: engine.P2Transform{Protocol: "ESP", Cipher: engine.Cipher3DES, KeyBits: 192, Auth: engine.HashSHA1, Encapsulate: "Tunnel"}}
}
