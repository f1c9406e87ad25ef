package native

import (
	"fmt"
	"io"
	"net/netip"

	"github.com/ikemu/ikemu/pkg/engine"
)

// PeerCmd sets how outside peers (addresses no lab host owns) answer.
type PeerCmd struct {
	Set  PeerSetCmd  `cmd:"" help:"Set an outside peer's behaviour."`
	List PeerListCmd `cmd:"" help:"List the outside peers with a behaviour set."`
	Rm   PeerRmCmd   `cmd:"" help:"Forget an outside peer (it accepts again)."`
}

// PeerSetCmd is "ikemu peer set ADDR --behavior B [--port N]".
type PeerSetCmd struct {
	Addr     string `arg:"" help:"The peer's address."`
	Behavior string `required:"" enum:"accept,no-response,reject-proposal,auth-fail,wire" help:"accept, no-response, reject-proposal, auth-fail, or wire (a real peer over UDP)."`
	Port     uint16 `help:"UDP port of a wire peer (default 500)."`
}

func (c *PeerSetCmd) Run(e *env) error {
	a, err := parseAddr(c.Addr)
	if err != nil {
		return err
	}
	b, err := engine.ParsePeerBehavior(c.Behavior)
	if err != nil {
		return err
	}
	if b == engine.PeerWire {
		return updateLab(e, func(tx *engine.Tx) error { return tx.SetWirePeer(a, c.Port) })
	}
	if c.Port != 0 {
		return fmt.Errorf("--port is for --behavior wire")
	}
	return updateLab(e, func(tx *engine.Tx) error { return tx.SetPeer(a, b) })
}

// PeerListCmd is "ikemu peer list".
type PeerListCmd struct {
	outputFlag
}

func (c *PeerListCmd) Run(e *env) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	var peers []engine.OutsidePeer
	err = l.View(func(tx *engine.Tx) error {
		var err error
		peers, err = tx.Peers()
		return err
	})
	if err != nil {
		return err
	}
	views := make([]peerView, len(peers))
	for i, p := range peers {
		views[i] = newPeerView(p)
	}
	if c.Output == "json" {
		return writeEnvelope(e.p.Stdout, "peers", views)
	}
	for _, v := range views {
		v.text(e.p.Stdout)
	}
	return nil
}

// peerView is an outside peer as the views show it.
type peerView struct {
	Addr     netip.Addr `json:"addr"`
	Behavior string     `json:"behavior"`
}

func newPeerView(p engine.OutsidePeer) peerView {
	return peerView{Addr: p.Addr, Behavior: string(p.Behavior)}
}

func (v peerView) text(w io.Writer) {
	fmt.Fprintf(w, "%-40s %s\n", v.Addr, v.Behavior)
}

// PeerRmCmd is "ikemu peer rm ADDR".
type PeerRmCmd struct {
	Addr string `arg:"" help:"The peer's address."`
}

func (c *PeerRmCmd) Run(e *env) error {
	a, err := parseAddr(c.Addr)
	if err != nil {
		return err
	}
	return updateLab(e, func(tx *engine.Tx) error { return tx.RemovePeer(a) })
}

func parseAddr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, fmt.Errorf("bad address %q", s)
	}
	return a.Unmap(), nil
}
