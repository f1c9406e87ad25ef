package native

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// tunnelItem is a tunnel definition as AIX's tunnel manager numbers it
// (ike cmd=list db): a phase 1 definition, or a phase 2 one under it.
type tunnelItem struct {
	Host   string   `json:"host"`
	Phase  int      `json:"phase"`
	Tunnel int      `json:"tunnel"`
	Name   string   `json:"name"`
	Phase1 string   `json:"phase1,omitempty"`
	Local  []string `json:"local"`
	Remote []string `json:"remote"`
	Origin string   `json:"origin,omitempty"`
}

func (it tunnelItem) text(w io.Writer) {
	fmt.Fprintf(w, "phase %d tunnel %d %q %s -> %s origin %s\n", it.Phase, it.Tunnel, it.Name,
		strings.Join(it.Local, ","), strings.Join(it.Remote, ","), orNone(it.Origin))
}

// tunnels emits the phase 1 definitions, then the phase 2 ones, with the
// numbers ike cmd=list db shows (a definition not yet activated gets the
// number it would get, as there).
func (f showFilter) tunnels(h *engine.Host, emit emitFunc) error {
	var p1 []*engine.Phase1Policy
	var names []string
	if err := h.Policies().ScanPhase1(func(p *engine.Phase1Policy) error {
		p1 = append(p1, p)
		names = append(names, p.Label)
		return nil
	}); err != nil {
		return err
	}
	provisional, err := h.Tunnels().Provisional(engine.TunnelPhase1, names)
	if err != nil {
		return err
	}
	for _, p := range p1 {
		n, ok := h.Tunnels().Number(engine.TunnelPhase1, p.Label)
		if !ok {
			n = provisional[p.Label]
		}
		it := tunnelItem{Host: h.Info.Name, Phase: 1, Tunnel: n, Name: p.Label, Local: rangesText(p.LocalAddrs),
			Remote: rangesText(p.RemoteAddrs), Origin: p.Origin}
		if f.keepTunnel(it, p.RemoteAddrs) {
			if err := emit(it, it.text); err != nil {
				return err
			}
		}
	}
	return h.Policies().ScanPhase2(func(p *engine.Phase2Policy) error {
		n, _ := h.Tunnels().Number(engine.TunnelPhase2, p.Name)
		it := tunnelItem{Host: h.Info.Name, Phase: 2, Tunnel: n, Name: p.Name, Phase1: p.Phase1,
			Local: rangesText(p.Local.Addrs), Remote: rangesText(p.Remote.Addrs), Origin: p.Origin}
		if !f.keepTunnel(it, p.Remote.Addrs) {
			return nil
		}
		return emit(it, it.text)
	})
}

func (f showFilter) keepTunnel(it tunnelItem, remote []engine.AddrRange) bool {
	return (f.Tunnel == 0 || it.Tunnel == f.Tunnel) && (f.Rule == "" || it.Name == f.Rule || it.Phase1 == f.Rule) && f.peerInAny(remote)
}

// certItem is an entry of the daemon's certificate cache.
type certItem struct {
	Host     string    `json:"host"`
	ID       int       `json:"id"`
	Subject  string    `json:"subject"`
	Issuer   string    `json:"issuer"`
	Serial   string    `json:"serial"`
	NotAfter time.Time `json:"not_after"`
	SHA256   string    `json:"sha256"`
	File     string    `json:"file,omitempty"`
	Token    string    `json:"token,omitempty"`
	Trusted  bool      `json:"trusted"`
	Key      string    `json:"private_key"`
}

func newCertItem(host string, c engine.CachedCert) certItem {
	sum := sha256.Sum256(c.Source.DER)
	it := certItem{Host: host, ID: c.ID, SHA256: hex.EncodeToString(sum[:]), File: c.Source.File, Token: c.Source.Token,
		Trusted: c.Trusted, Key: linkageName(c.Linkage)}
	if c.Cert != nil {
		it.Subject, it.Issuer = c.Cert.Subject.String(), c.Cert.Issuer.String()
		it.Serial, it.NotAfter = c.Cert.SerialNumber.Text(16), c.Cert.NotAfter.UTC()
	}
	return it
}

func (it certItem) text(w io.Writer) {
	fmt.Fprintf(w, "%d %q issuer %q key %s trusted %v\n", it.ID, it.Subject, it.Issuer, it.Key, it.Trusted)
}

func linkageName(l engine.CertLinkage) string {
	switch l {
	case engine.CertOffWire:
		return "off-wire"
	case engine.CertKeyLocked:
		return "locked"
	case engine.CertKeyAvailable:
		return "available"
	}
	return "none"
}

// tokenItem is a PKCS#11 token the host's in.iked is logged in to. The
// PIN is never part of it.
type tokenItem struct {
	Host  string `json:"host"`
	Label string `json:"label"`
	Keys  int    `json:"keys_unlocked"`
}

func (it tokenItem) text(w io.Writer) {
	fmt.Fprintf(w, "%q logged in, %d key(s) unlocked\n", it.Label, it.Keys)
}
