package engine

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// AcquireWire is the kernel's part of a flow toward a wire peer, as
// AcquireTraffic plays it toward a lab host: the policy's verdict and the
// live SAs that carry the flow (CarryTraffic). For a flow the policy
// protects and no SA carries, the ACQUIRE is recorded and suites are the
// Quick Mode the rule makes in.iked propose, each alternative in order;
// without policy suites is nil, the ACQUIRE's default offer.
func (h *Host) AcquireWire(t Traffic) (res AcquireResult, suites []ikev1.Phase2Suite, err error) {
	t.Local, t.Remote = t.Local.Unmap(), t.Remote.Unmap()
	if h.IPsecPolicy().Len() == 0 {
		return AcquireResult{}, nil, h.SADB().acquired(t, nil)
	}
	res, err = h.CarryTraffic(t)
	if err != nil || res.Verdict != VerdictProtect || len(res.Carriers) > 0 {
		return res, nil, err
	}
	if suites, err = ruleSuites(res.Rule); err != nil {
		return res, nil, err
	}
	return res, suites, h.SADB().acquired(t, res.Rule)
}

// ruleSuites are a protecting rule's IPsec alternatives as Quick Mode
// suites (ruleOffer's proposals; lifetimes are the phase 1 rule's, set
// by the initiator). A wire Quick Mode offers one protocol per proposal,
// so an AH+ESP alternative cannot go to a wire peer.
func ruleSuites(rule *IPsecRule) ([]ikev1.Phase2Suite, error) {
	mode := isakmp.EncapsulationTransport
	if rule.TunnelMode {
		mode = isakmp.EncapsulationTunnel
	}
	var out []ikev1.Phase2Suite
	for _, a := range rule.Actions {
		if a.Kind != IPsecApply {
			continue
		}
		if a.AH && a.ESP {
			return nil, fmt.Errorf("ipsecconf index %d asks for AH and ESP together, which a Quick Mode toward a wire peer cannot offer", rule.Index)
		}
		for _, p := range actionProposals(a, !rule.TunnelMode, 0, 0) {
			if p.ESP != nil {
				out = append(out, ikev1.Phase2Suite{Protocol: isakmp.ProtocolESP, Cipher: p.ESP.Cipher,
					KeyBits: p.ESP.KeyBits, Auth: p.ESP.Auth, Encapsulation: mode})
				continue
			}
			out = append(out, ikev1.Phase2Suite{Protocol: isakmp.ProtocolAH, Auth: p.AH.Auth, Encapsulation: mode})
		}
	}
	return out, nil
}
