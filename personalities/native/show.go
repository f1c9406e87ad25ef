package native

import (
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// ShowCmd is "ikemu show KIND": the lab's state as text, one JSON
// envelope or JSON lines, streamed item by item.
type ShowCmd struct {
	Kind   string `arg:"" enum:"hosts,peers,p1,p2,rules,keys,tunnels,stats,defaults,certs,tokens" help:"What to show: hosts, peers, p1 (phase 1 SAs), p2 (phase 2 SAs), rules (phase 1 policies), keys (preshared), tunnels (AIX tunnel definitions), stats, defaults (in.iked's global defaults), certs (certificate cache), tokens (logged-in PKCS#11 tokens)."`
	Host   string `placeholder:"NAME" help:"The host to show (default: $IKEMU_HOST, else local); for hosts, only that host."`
	Output string `short:"o" enum:"text,json,jsonl" default:"text" help:"Output format: text, json (one envelope) or jsonl (one item a line)."`
	Peer   string `placeholder:"ADDR" help:"Only SAs, rules and keys whose remote side holds ADDR."`
	Rule   string `placeholder:"LABEL" help:"Only SAs and rules of this rule label (p2: this phase 2 definition)."`
	Tunnel int    `placeholder:"N" help:"Only the SAs of this tunnel number."`
	State  string `placeholder:"S" help:"Only phase 2 SAs in state S (active, negotiating, failed, expired), or hosts whose in.iked is S (running, stopped)."`
	Keys   bool   `help:"Include keys (p1 keying material, preshared keys): only when the host's in.iked runs at privilege keymat."`
}

// showFilter holds the parsed filters.
type showFilter struct {
	peer     netip.Addr
	defaults DefaultsLister
	*ShowCmd
}

func (c *ShowCmd) Run(e *env) error {
	f := showFilter{ShowCmd: c, defaults: e.Defaults}
	if c.Peer != "" {
		a, err := parseAddr(c.Peer)
		if err != nil {
			return fmt.Errorf("--peer: %w", err)
		}
		f.peer = a
	}
	if c.Keys && c.Kind != "p1" && c.Kind != "keys" {
		return fmt.Errorf("--keys applies to p1 and keys only")
	}
	l, err := e.lab()
	if err != nil {
		return err
	}
	if c.Host != "" && c.Kind != "hosts" {
		l.HostName = c.Host
	}
	iw := newItemWriter(e.p.Stdout, c.Output, c.Kind)
	pr := newProgress(e.p.Stderr, c.Kind+" items", 0)
	emit := func(v any, text func(io.Writer)) error {
		pr.Add(1)
		return iw.Item(v, text)
	}
	err = l.View(func(tx *engine.Tx) error {
		if c.Kind == "hosts" {
			return f.hosts(tx, l.HostRoot, l.HostName, emit)
		}
		if c.Kind == "peers" {
			return f.peers(tx, emit)
		}
		h, err := tx.Host(l.HostName)
		if err != nil {
			return err
		}
		return f.host(h, emit)
	})
	pr.Done()
	if err != nil {
		// What was written stays, and the envelope stays open: a reader
		// sees a failed listing as broken JSON, never as a short one.
		iw.Abort()
		return err
	}
	return iw.Close()
}

type emitFunc func(v any, text func(io.Writer)) error

func (f showFilter) host(h *engine.Host, emit emitFunc) error {
	name := h.Info.Name
	if f.Keys {
		d, err := h.Daemons().IKE()
		if err != nil {
			return err
		}
		if !d.Running || d.Priv != engine.PrivKeymat {
			return fmt.Errorf("--keys: in.iked on host %s does not run at privilege keymat (ikemu daemon start --priv keymat)", name)
		}
	}
	switch f.Kind {
	case "p1":
		return h.SAs().ScanPhase1(func(sa *engine.Phase1SA) error {
			if !f.peerIn(sa.Remote) || (f.Rule != "" && sa.PolicyLabel != f.Rule) || (f.Tunnel != 0 && int(sa.TunnelNum) != f.Tunnel) || f.State != "" && f.State != "active" {
				return nil
			}
			it := newP1Item(name, sa, f.Keys)
			return emit(it, it.text)
		})
	case "p2":
		return h.SAs().ScanPhase2(func(sa *engine.Phase2SA) error {
			it := newP2Item(name, sa)
			if !f.peerIn(sa.Remote) || (f.Rule != "" && sa.PolicyName != f.Rule) || (f.Tunnel != 0 && int(sa.TunnelNum) != f.Tunnel) || (f.State != "" && !strings.EqualFold(f.State, it.State)) {
				return nil
			}
			return emit(it, it.text)
		})
	case "rules":
		return h.Policies().ScanPhase1(func(p *engine.Phase1Policy) error {
			if (f.Rule != "" && p.Label != f.Rule) || !f.peerInAny(p.RemoteAddrs) {
				return nil
			}
			it := newRuleItem(name, p)
			return emit(it, it.text)
		})
	case "keys":
		return h.Keys().Scan(func(_ engine.PSKRef, k *engine.PresharedKey) error {
			if f.peer.IsValid() && k.RemoteAddr != f.peer {
				return nil
			}
			it := newKeyItem(name, k, f.Keys)
			return emit(it, it.text)
		})
	case "tunnels":
		return f.tunnels(h, emit)
	case "certs":
		certs, err := h.Certs().Cache()
		if err != nil {
			return err
		}
		for _, c := range certs {
			it := newCertItem(name, c)
			if err := emit(it, it.text); err != nil {
				return err
			}
		}
		return nil
	case "tokens":
		d, err := h.Daemons().IKE()
		if err != nil {
			return err
		}
		for _, t := range d.Tokens {
			it := tokenItem{Host: name, Label: t.Label, Keys: len(t.Keys)}
			if err := emit(it, it.text); err != nil {
				return err
			}
		}
		return nil
	case "stats":
		s, err := h.Daemons().Stats()
		if err != nil {
			return err
		}
		it := newStatsItem(name, s)
		return emit(it, it.text)
	case "defaults":
		if f.defaults == nil {
			return fmt.Errorf("defaults: this binary wires no IKE daemon's defaults")
		}
		return f.defaults(h, func(token, desc, unit string, value, hard uint32) error {
			it := newDefaultItem(name, token, desc, unit, value, hard)
			return emit(it, it.text)
		})
	}
	return fmt.Errorf("unknown kind %q", f.Kind)
}

func (f showFilter) hosts(tx *engine.Tx, root func(string) string, current string, emit emitFunc) error {
	hosts, err := tx.Hosts()
	if err != nil {
		return err
	}
	for _, hi := range hosts {
		if f.Host != "" && hi.Name != f.Host {
			continue
		}
		v, err := newHostView(tx, hi, root(hi.Name), current)
		if err != nil {
			return err
		}
		if f.State != "" && f.State != map[bool]string{true: "running", false: "stopped"}[v.Iked.Running] {
			continue
		}
		if err := emit(v, v.text); err != nil {
			return err
		}
	}
	return nil
}

func (f showFilter) peers(tx *engine.Tx, emit emitFunc) error {
	peers, err := tx.Peers()
	if err != nil {
		return err
	}
	for _, p := range peers {
		if f.peer.IsValid() && p.Addr != f.peer {
			continue
		}
		v := newPeerView(p)
		if err := emit(v, v.text); err != nil {
			return err
		}
	}
	return nil
}

func (f showFilter) peerIn(r engine.AddrRange) bool {
	if !f.peer.IsValid() {
		return true
	}
	return r.First.Compare(f.peer) <= 0 && f.peer.Compare(r.Last) <= 0
}

func (f showFilter) peerInAny(rs []engine.AddrRange) bool {
	if !f.peer.IsValid() {
		return true
	}
	for _, r := range rs {
		if f.peerIn(r) {
			return true
		}
	}
	return false
}
