package native

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// AcquireCmd plays the kernel ACQUIRE that makes in.iked negotiate. With
// an IPsec policy on the host (ipsecconf), the flow is first matched
// against it: only traffic the policy protects is ACQUIREd.
type AcquireCmd struct {
	From  string `required:"" help:"Local address (one of the current host's)."`
	To    string `required:"" help:"Remote address: another lab host's, or an outside peer's."`
	Proto string `help:"IP protocol of the flow: a name (tcp, udp, icmp, ipv6-icmp) or a number."`
	Sport int    `help:"Source (local) port of the flow."`
	Dport int    `help:"Destination (remote) port of the flow."`
}

func (c *AcquireCmd) Run(e *env) error {
	t, err := c.traffic()
	if err != nil {
		return err
	}
	l, err := e.lab()
	if err != nil {
		return err
	}
	// A wire peer answers over UDP.
	if peer, ok, err := wirePeerOf(l, t.Remote); err != nil || ok {
		if err != nil {
			return err
		}
		return c.acquireWire(e, l, t, peer)
	}
	var res engine.AcquireResult
	var negErr *engine.NegotiationError
	var qmErr *engine.Phase2Error
	err = l.Host(func(h *engine.Host) error {
		if !h.Info.Owns(t.Local) {
			return fmt.Errorf("--from %s is not an address of host %s", t.Local, h.Info.Name)
		}
		// The kernel's decision comes first: a flow bypassed, dropped or
		// carried by a live SA needs no IKE daemon.
		res, err = h.CarryTraffic(t)
		if err != nil || res.Verdict != engine.VerdictProtect || len(res.Carriers) > 0 {
			return err
		}
		d, err := h.Daemons().IKE()
		if err != nil {
			return err
		}
		if !d.Running {
			return fmt.Errorf("in.iked is not running on host %s", h.Info.Name)
		}
		res, err = h.AcquireTraffic(t)
		if errors.As(err, &negErr) || errors.As(err, &qmErr) {
			return nil // the failure's counters, log lines and phase 1 SA must land
		}
		return err
	})
	if err != nil {
		return err
	}
	return c.report(e, t, res, negErr, qmErr)
}

func (c *AcquireCmd) report(e *env, t engine.Traffic, res engine.AcquireResult, negErr *engine.NegotiationError, qmErr *engine.Phase2Error) error {
	from, to := t.Local, t.Remote
	switch res.Verdict {
	case engine.VerdictBypass:
		fmt.Fprintf(e.p.Stdout, "IPsec policy bypasses %s -> %s (%s); no ACQUIRE\n", from, to, ruleName(res.Rule))
		return nil
	case engine.VerdictDrop:
		fmt.Fprintf(e.p.Stdout, "IPsec policy drops %s -> %s (%s); no ACQUIRE\n", from, to, ruleName(res.Rule))
		return statusError(1)
	}
	if len(res.Carriers) > 0 {
		return c.reportCarried(e, t, res)
	}
	if negErr != nil {
		fmt.Fprintf(e.p.Stdout, "phase 1 %s -> %s failed: %s\n", from, to, negErr.Reason)
		return statusError(1)
	}
	sa := res.SA
	how := "negotiated"
	if res.Reused {
		how = "reused"
	}
	head := fmt.Sprintf("phase 1 SA %s -> %s %s (cookies 0x%x 0x%x)", from, to, how, sa.CookieI, sa.CookieR)
	switch {
	case qmErr != nil:
		fmt.Fprintf(e.p.Stdout, "%s; quick mode failed: %s\n", head, qmErr.Reason)
		return statusError(1)
	default:
		fmt.Fprintf(e.p.Stdout, "%s; quick mode SA %d created\n", head, sa.QMCreated)
	}
	return nil
}

// reportCarried is the line for a flow live SAs carried without an
// ACQUIRE, and what its destination did with it.
func (c *AcquireCmd) reportCarried(e *env, t engine.Traffic, res engine.AcquireResult) error {
	var sas []string
	negotiated := false
	for _, sa := range res.Carriers {
		if sa.Manual {
			sas = append(sas, fmt.Sprintf("manual %s SA spi %#x to %s", sa.Protocol, sa.SPI, sa.Dst))
			continue
		}
		negotiated = true
		sas = append(sas, fmt.Sprintf("%s SA spi %#x to %s (cookies 0x%x 0x%x)", sa.Protocol, sa.SPI, sa.Dst,
			sa.Phase2.CookieI, sa.Phase2.CookieR))
	}
	line := fmt.Sprintf("IPsec policy protects %s -> %s (%s) with %s", t.Local, t.Remote, ruleName(res.Rule),
		strings.Join(sas, " and "))
	first := res.Carriers[0]
	switch res.Peer {
	case engine.PeerNoSA:
		fmt.Fprintf(e.p.Stdout, "%s; %s holds no %s SA spi %#x and drops the packets\n", line, t.Remote, first.Protocol, first.SPI)
		return statusError(1)
	case engine.PeerKeyMismatch:
		fmt.Fprintf(e.p.Stdout, "%s; %s keys that SPI with other algorithms or keys and drops the packets\n", line, t.Remote)
		return statusError(1)
	case engine.PeerPolicyDrops:
		fmt.Fprintf(e.p.Stdout, "%s; the IPsec policy of %s refuses the packets\n", line, t.Remote)
		return statusError(1)
	}
	if negotiated {
		// the quick mode SA in.iked made for the host pair, in place
		fmt.Fprintf(e.p.Stdout, "%s; the shared quick mode SA protects it\n", line)
		return nil
	}
	fmt.Fprintf(e.p.Stdout, "%s; no ACQUIRE\n", line)
	return nil
}

// ruleName names the policy entry that decided, as ipsecconf lists it.
func ruleName(r *engine.IPsecRule) string {
	if r == nil {
		return "no policy entry covers it"
	}
	return fmt.Sprintf("ipsecconf index %d", r.Index)
}

// traffic is the flow the flags describe.
func (c *AcquireCmd) traffic() (engine.Traffic, error) {
	from, err := parseAddr(c.From)
	if err != nil {
		return engine.Traffic{}, err
	}
	to, err := parseAddr(c.To)
	if err != nil {
		return engine.Traffic{}, err
	}
	proto, err := protocolNumber(c.Proto)
	if err != nil {
		return engine.Traffic{}, err
	}
	for _, p := range []int{c.Sport, c.Dport} {
		if p < 0 || p > 65535 {
			return engine.Traffic{}, fmt.Errorf("port %d is not between 0 and 65535", p)
		}
	}
	return engine.Traffic{Local: from, Remote: to, Protocol: proto, LocalPort: c.Sport, RemotePort: c.Dport}, nil
}

// protocolNumber reads an IP protocol by name or number.
func protocolNumber(s string) (int, error) {
	names := map[string]int{"": 0, "icmp": 1, "tcp": 6, "udp": 17, "ipv6-icmp": 58, "icmp6": 58, "sctp": 132}
	if n, ok := names[s]; ok {
		return n, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 255 {
		return 0, fmt.Errorf("--proto %q is not an IP protocol name or number", clip(s))
	}
	return n, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80]
	}
	return s
}
