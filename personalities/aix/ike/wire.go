package ike

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
	"github.com/ikemu/ikemu/pkg/labwire"
)

// wirePeer reports whether dst is an outside peer reached over UDP.
func (r *invocation) wirePeer(dst netip.Addr) (netip.AddrPort, bool, error) {
	var peer netip.AddrPort
	var ok bool
	err := r.lab.View(func(tx *engine.Tx) error {
		var err error
		peer, ok, err = tx.WirePeer(dst)
		return err
	})
	return peer, ok, err
}

// activateWire is cmd=activate ipaddr=src,dst toward a wire peer: the
// same checks and log lines as activatePair, each in a short
// transaction, with the negotiation itself over UDP between them
// (pkg/labwire), so the lab is not locked while the peer answers.
func (r *invocation) activateWire(src, dst netip.Addr, peer netip.AddrPort) error {
	var queued bool
	err := r.lab.Update(r.onTMD(func(h *engine.Host) error {
		if !h.Info.Owns(src) {
			return fmt.Errorf("%s is not an address of this host", src)
		}
		isakmpd, err := h.Daemons().Subsystem("isakmpd")
		if err != nil {
			return err
		}
		if !isakmpd.Running {
			queued = true
			daemonlog.Syslog(h, engine.LogErrors, "tmd", "isakmpd is not running; phase 1 request %s -> %s queued", src, dst)
			return h.Tunnels().AddEntry(&engine.TunnelEntry{Phase: 1, Status: engine.TunnelNegotiating, Local: src.String(),
				Remote: dst.String(), LocalAddr: src, RemAddr: dst, Initiator: true, When: h.Now()})
		}
		existing, err := h.SAs().NewestPhase1(src, dst)
		if err != nil {
			return err
		}
		if existing != nil && r.req.Phase == "1" {
			return &tunnelExistsError{phase: 1, num: existing.TunnelNum, local: src.String(), remote: dst.String()}
		}
		if existing != nil {
			if err := r.refuseActivePhase2(h, hostToHost(existing)); err != nil {
				return err
			}
		}
		daemonlog.Syslog(h, engine.LogInformation, "tmd", "phase 1 request %s -> %s sent to isakmpd", src, dst)
		return nil
	}))
	if err != nil || queued {
		return err
	}
	// hostToHost's protection: ESP 3DES/HMAC-SHA1, tunnel mode.
	suite := ikev1.Phase2Suite{Protocol: isakmp.ProtocolESP, Cipher: engine.Cipher3DES,
		Auth: engine.HashSHA1, Encapsulation: isakmp.EncapsulationTunnel, LifetimeSecs: 28800}
	res, err := labwire.Initiate(context.Background(), r.lab, r.lab.HostName, src, peer,
		labwire.Options{Phase1Only: r.req.Phase == "1", Suites: []ikev1.Phase2Suite{suite}, AIX: true})
	var negErr *engine.NegotiationError
	if !errors.As(err, &negErr) {
		return err
	}
	// Like tmd, the request succeeded; the failure is in the list and the log.
	return r.lab.Update(r.onHost(func(h *engine.Host) error {
		if res.SA == nil {
			daemonlog.Syslog(h, engine.LogErrors, "tmd", "phase 1 negotiation %s -> %s failed: %s", src, dst, negErr.Reason)
			return h.Tunnels().AddEntry(&engine.TunnelEntry{Phase: 1, Status: engine.TunnelFailed, Local: src.String(),
				Remote: dst.String(), LocalAddr: src, RemAddr: dst, Initiator: true, When: h.Now(), Reason: negErr.Reason})
		}
		daemonlog.Syslog(h, engine.LogErrors, "isakmpd", "Phase 2 negotiation %s -> %s failed: %s", src, dst, negErr.Reason)
		return h.Tunnels().AddEntry(&engine.TunnelEntry{Phase: 2, Status: engine.TunnelFailed, Local: src.String() + "-" + src.String(),
			Remote: dst.String() + "-" + dst.String(), LocalAddr: src, RemAddr: dst, Initiator: true, When: h.Now(),
			Reason: negErr.Reason})
	}))
}
