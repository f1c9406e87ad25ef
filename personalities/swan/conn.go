package swan

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// conn is one phase 1 policy as both targets see it: a connection
// between address sets, its IKE proposals and its children.
type conn struct {
	Name          string
	Local, Remote []string // addresses, ranges or subnets
	Aggressive    bool
	Auth          engine.AuthMethod
	Proposals     []string
	LifetimeSecs  uint32
	Children      []child
}

// child is one phase 2 definition, or the default a kernel ACQUIRE asks
// for when the rule has none.
type child struct {
	Name          string
	LocalTS       string // "" = the connection's addresses
	RemoteTS      string
	Transport     bool
	ESP, AH       []string
	LifetimeSecs  uint32
	RekeySecs     uint32
	IdleSecs      uint32
	LifetimeBytes uint64
	RekeyBytes    uint64
	Start         bool
}

// defNonceLen is the nonce length (in bits) in.iked and AIX use unless
// told otherwise.
const defNonceLen = 64

// readConns reads the host's phase 1 and phase 2 policies as conns,
// warning for each setting neither target can carry.
func readConns(h *engine.Host, warn func(string)) ([]conn, error) {
	p2 := map[string][]*engine.Phase2Policy{}
	err := h.Policies().ScanPhase2(func(p *engine.Phase2Policy) error {
		p2[p.Phase1] = append(p2[p.Phase1], p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []conn
	used := map[string]bool{}
	err = h.Policies().ScanPhase1(func(p *engine.Phase1Policy) error {
		c, ok := readConn(p, uniqueName(p.Label, used), warn)
		if !ok {
			return nil
		}
		for _, q := range p2[p.Label] {
			if ch, ok := readChild(q, uniqueName(q.Name, used), warn); ok {
				c.Children = append(c.Children, ch)
			}
		}
		delete(p2, p.Label)
		if len(c.Children) == 0 {
			c.Children = []child{defaultChild(p, c.Name)}
		}
		out = append(out, c)
		return nil
	})
	for label, qs := range p2 {
		for _, q := range qs {
			warn(fmt.Sprintf("phase 2 definition %q: not exported: no phase 1 rule %q", q.Name, label))
		}
	}
	return out, err
}

func readConn(p *engine.Phase1Policy, name string, warn func(string)) (conn, bool) {
	c := conn{Name: name, Aggressive: p.Mode == engine.XchgAggressive,
		Local: addrList(p.LocalAddrs), Remote: addrList(p.RemoteAddrs)}
	for i, x := range p.Transforms {
		if i == 0 {
			c.Auth, c.LifetimeSecs = x.Auth, x.LifetimeSecs
		}
		if x.Auth != c.Auth {
			warn(fmt.Sprintf("rule %q: transform %d: not exported: a connection has one authentication method", p.Label, i+1))
			continue
		}
		if x.LifetimeSecs != c.LifetimeSecs {
			warn(fmt.Sprintf("rule %q: transform %d: its lifetime of %d seconds becomes the first transform's %d", p.Label, i+1, x.LifetimeSecs, c.LifetimeSecs))
		}
		if x.LifetimeKB != 0 {
			warn(fmt.Sprintf("rule %q: transform %d: its lifetime of %d kilobytes is not exported (IKE SAs have no byte lifetime)", p.Label, i+1, x.LifetimeKB))
		}
		props, err := ikeProposals(x)
		if err != nil {
			warn(fmt.Sprintf("rule %q: transform %d: not exported: %v", p.Label, i+1, err))
			continue
		}
		c.Proposals = append(c.Proposals, props...)
	}
	if c.Auth != engine.AuthPreshared && c.Auth != engine.AuthRSASig {
		warn(fmt.Sprintf("rule %q: not exported: only preshared keys and RSA signatures are", p.Label))
		return c, false
	}
	if len(c.Proposals) == 0 {
		warn(fmt.Sprintf("rule %q: not exported: no transform to carry", p.Label))
		return c, false
	}
	if len(c.Local) == 0 || len(c.Remote) == 0 {
		warn(fmt.Sprintf("rule %q: not exported: it names no local or no remote address", p.Label))
		return c, false
	}
	if (p.P1NonceLen != 0 && p.P1NonceLen != defNonceLen) || (p.P2NonceLen != 0 && p.P2NonceLen != defNonceLen) {
		warn(fmt.Sprintf("rule %q: its nonce lengths are not exported (the targets choose their own)", p.Label))
	}
	return c, true
}

// defaultChild is what a kernel ACQUIRE asks for under rule p: ESP with
// AES-128 and HMAC-SHA1 in transport mode between the two hosts, with
// the rule's phase 2 PFS group and lifetimes.
func defaultChild(p *engine.Phase1Policy, name string) child {
	ch := child{Name: name, Transport: true, LifetimeSecs: 28800}
	if p.P2LifetimeSecs != 0 {
		ch.LifetimeSecs = p.P2LifetimeSecs
	}
	ch.RekeySecs, ch.IdleSecs = p.P2SoftSecs, p.P2IdleSecs
	ch.LifetimeBytes, ch.RekeyBytes = uint64(p.P2LifetimeKB)*1024, uint64(p.P2SoftKB)*1024
	esp, err := espProposal(&engine.IPsecTransform{Cipher: engine.CipherAES, KeyBits: 128, Auth: engine.HashSHA1}, p.P2PFS)
	if err != nil {
		esp, _ = espProposal(&engine.IPsecTransform{Cipher: engine.CipherAES, KeyBits: 128, Auth: engine.HashSHA1}, 0)
	}
	ch.ESP = []string{esp}
	return ch
}

func readChild(q *engine.Phase2Policy, name string, warn func(string)) (child, bool) {
	ch := child{Name: name, Start: q.AutoStart}
	var err error
	if ch.LocalTS, err = selectorTS(q.Local); err == nil {
		ch.RemoteTS, err = selectorTS(q.Remote)
	}
	if err != nil {
		warn(fmt.Sprintf("phase 2 definition %q: not exported: %v", q.Name, err))
		return ch, false
	}
	for i, pr := range q.Proposals {
		x := pr.ESP
		if x == nil {
			x = pr.AH
		}
		if x == nil {
			continue
		}
		if pr.ESP != nil && pr.AH != nil {
			warn(fmt.Sprintf("phase 2 definition %q: proposal %d: its AH is not exported (no ESP and AH bundles)", q.Name, i+1))
		}
		if len(ch.ESP)+len(ch.AH) == 0 {
			ch.Transport, ch.LifetimeSecs, ch.LifetimeBytes = x.Transport, x.LifetimeSecs, uint64(x.LifetimeKB)*1024
		} else if x.LifetimeSecs != ch.LifetimeSecs || x.Transport != ch.Transport {
			warn(fmt.Sprintf("phase 2 definition %q: proposal %d: its mode and lifetimes become the first proposal's", q.Name, i+1))
		}
		var s string
		if pr.ESP != nil {
			if s, err = espProposal(pr.ESP, q.PFSGroup); err == nil {
				ch.ESP = append(ch.ESP, s)
			}
		} else if s, err = ahProposal(pr.AH, q.PFSGroup); err == nil {
			ch.AH = append(ch.AH, s)
		}
		if err != nil {
			warn(fmt.Sprintf("phase 2 definition %q: proposal %d: not exported: %v", q.Name, i+1, err))
		}
	}
	if len(ch.ESP)+len(ch.AH) == 0 {
		warn(fmt.Sprintf("phase 2 definition %q: not exported: no proposal to carry", q.Name))
		return ch, false
	}
	if len(ch.ESP) != 0 && len(ch.AH) != 0 {
		warn(fmt.Sprintf("phase 2 definition %q: its AH proposals are not exported (a child is ESP or AH)", q.Name))
		ch.AH = nil
	}
	if q.KeyOverlapSecs != 0 && q.KeyOverlapSecs < ch.LifetimeSecs {
		ch.RekeySecs = ch.LifetimeSecs - q.KeyOverlapSecs
	}
	return ch, true
}

// selectorTS is a phase 2 side as a traffic selector: its addresses
// (one subnet, range or host) and its protocol and port.
func selectorTS(s engine.Selector) (string, error) {
	if len(s.Addrs) != 1 {
		return "", fmt.Errorf("a group of %d addresses (a selector is one range)", len(s.Addrs))
	}
	ts := rangeText(s.Addrs[0])
	if s.Protocol != 0 || s.Port != 0 {
		proto := "%any"
		if s.Protocol != 0 {
			proto = fmt.Sprint(s.Protocol)
		}
		port := ""
		if s.Port != 0 {
			port = fmt.Sprintf("/%d", s.Port)
		}
		ts += "[" + proto + port + "]"
	}
	return ts, nil
}

func addrList(rs []engine.AddrRange) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = rangeText(r)
	}
	return out
}

// rangeText is an address range as a host, a subnet when it is one, or
// FIRST-LAST.
func rangeText(r engine.AddrRange) string {
	if r.First == r.Last {
		return r.First.String()
	}
	for bits := r.First.BitLen(); bits >= 0; bits-- {
		p := netip.PrefixFrom(r.First, bits)
		if p.Masked().Addr() != r.First {
			break
		}
		if lastOf(p) == r.Last {
			return p.String()
		}
	}
	return r.First.String() + "-" + r.Last.String()
}

func lastOf(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// uniqueName makes a label a section name (letters, digits, "_", "-"),
// unique in the file.
func uniqueName(label string, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, label)
	if name == "" {
		name = "rule"
	}
	name = name[:min(len(name), 60)]
	base := name
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	used[name] = true
	return name
}
