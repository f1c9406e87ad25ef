package ike

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/heappacer"
)

// The tunnel definitions as the tunnel manager sees them: phase 1
// policies (AIX IKETunnels, and Solaris rules too: one engine) and phase
// 2 policies, each with its per-phase definition number.

type p1Def struct {
	num int
	pol *engine.Phase1Policy
}

type p2Def struct {
	num int
	pol *engine.Phase2Policy
}

// definitions loads the definitions with their numbers. Definitions are
// numbered when stored; one that a lab from before that rule left
// unnumbered shows the number it would be given, which a read-only
// listing does not write and an activation does.
func definitions(h *engine.Host) ([]p1Def, []p2Def, error) {
	var p1 []p1Def
	var p2 []p2Def
	// The rules the engine decodes for its own matching: an activation
	// carries them from one transaction to the next.
	rules, err := h.Policies().Phase1Rules()
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, 0, len(rules))
	for _, p := range rules {
		p1 = append(p1, p1Def{pol: p})
		names = append(names, p.Label)
	}
	if h.Tx().Store().Writable() {
		// An activation keeps the numbers it goes by.
		if err := h.Tunnels().Assign(engine.TunnelPhase1, names); err != nil {
			return nil, nil, err
		}
	}
	nums, err := h.Tunnels().Numbers(engine.TunnelPhase1)
	if err != nil {
		return nil, nil, err
	}
	var unnumbered []string
	for _, name := range names {
		if _, ok := nums[name]; !ok {
			unnumbered = append(unnumbered, name)
		}
	}
	provisional, err := h.Tunnels().Provisional(engine.TunnelPhase1, unnumbered)
	if err != nil {
		return nil, nil, err
	}
	for i := range p1 {
		var ok bool
		if p1[i].num, ok = nums[p1[i].pol.Label]; !ok {
			p1[i].num = provisional[p1[i].pol.Label]
		}
	}
	nums2, err := h.Tunnels().Numbers(engine.TunnelPhase2)
	if err != nil {
		return nil, nil, err
	}
	err = h.Policies().ScanPhase2(func(p *engine.Phase2Policy) error {
		p2 = append(p2, p2Def{num: nums2[p.Name], pol: p})
		return nil
	})
	sortByNum(p1, func(d p1Def) uint32 { return uint32(d.num) })
	sortByNum(p2, func(d p2Def) uint32 { return uint32(d.num) })
	return p1, p2, err
}

// target is one tunnel to activate: a phase 1 definition, and optionally
// one of its phase 2 definitions, by name: the step that activates it
// reads it then, so 10,000 decoded definitions are not kept all along.
type target struct {
	p1    *p1Def
	p2    string
	hasP2 bool
}

// activateDefinitions activates the database tunnels the request selects:
// all of them without a selector; autostart ones; by numlist or namelist
// of the given phase (without a phase, numlist names phase 1 tunnels
// whose phase 2 tunnels start too); or by remote id. As tmd, it
// activates them one at a time, committing a few at a time (lab.Writer's
// Steps): a command killed half way keeps the tunnels it committed, and
// other commands get the lab between two tunnels.
func (r *invocation) activateDefinitions() error {
	w := r.lab.Writer()
	defer w.Close()
	var targets []target
	err := w.Update(r.onTMD(func(h *engine.Host) error {
		p1, p2, err := definitions(h)
		if err != nil {
			return err
		}
		targets, err = r.selectTargets(p1, p2)
		if err == nil && len(targets) == 0 {
			err = errors.New("no tunnel definition matches the request")
		}
		return err
	}))
	if err != nil {
		return err
	}
	// tmd refuses a tunnel that is up and goes on with the others; its
	// complaint is told once the refusing transaction has committed.
	refused := make([]error, len(targets))
	// Each tunnel allocates about 130 KiB and keeps almost none of it: at
	// the default GOGC the collector would run every 15 tunnels, a
	// twentieth of the command's CPU.
	pacer := heappacer.Start(r.p.Getenv, 32<<20, 2, 8<<20)
	defer pacer.Stop()
	return w.Steps(len(targets), func(tx *engine.Tx, i int) error {
		refused[i] = nil
		return r.onHost(func(h *engine.Host) error {
			err := r.activateTarget(h, targets[i])
			if exists := (*tunnelExistsError)(nil); errors.As(err, &exists) {
				refused[i] = err
				return nil // what it did before the refusal stands
			}
			return err
		})(tx)
	}, func(i int) {
		if i%8 == 0 {
			pacer.Adjust()
		}
		if refused[i] != nil {
			complain(r.p.Stderr, refused[i].Error())
			r.failed = true
		}
	})
}

func (r *invocation) selectTargets(p1 []p1Def, p2 []p2Def) ([]target, error) {
	q := r.req
	byLabel := map[string]*p1Def{}
	for i := range p1 {
		byLabel[p1[i].pol.Label] = &p1[i]
	}
	under := func(d *p2Def) *p1Def { return byLabel[d.pol.Phase1] }
	children := map[string][]int{} // phase 1 label: its phase 2 definitions
	for j := range p2 {
		children[p2[j].pol.Phase1] = append(children[p2[j].pol.Phase1], j)
	}
	r.selection = nil
	addP1 := func(d *p1Def) {
		kids := children[d.pol.Label]
		if q.Phase == "1" || len(kids) == 0 {
			r.selection = append(r.selection, target{p1: d})
			return
		}
		for _, j := range kids {
			r.selection = append(r.selection, target{p1: d, p2: p2[j].pol.Name, hasP2: true})
		}
	}
	addP2 := func(d *p2Def) error {
		parent := under(d)
		if parent == nil {
			return fmt.Errorf("phase 2 tunnel %s has no phase 1 tunnel %s", d.pol.Name, d.pol.Phase1)
		}
		r.selection = append(r.selection, target{p1: parent, p2: d.pol.Name, hasP2: true})
		return nil
	}
	switch {
	case q.Autostart:
		for j := range p2 {
			if p2[j].pol.AutoStart {
				if err := addP2(&p2[j]); err != nil {
					return nil, err
				}
			}
		}
	case q.NumList != nil || q.NameList != nil:
		return r.selectListed(p1, p2, addP1, addP2)
	case q.RemID != "":
		return r.selectRemID(p1, p2, addP1, addP2)
	default:
		for i := range p1 {
			addP1(&p1[i])
		}
	}
	return r.selection, nil
}

func (r *invocation) selectListed(p1 []p1Def, p2 []p2Def, addP1 func(*p1Def), addP2 func(*p2Def) error) ([]target, error) {
	q := r.req
	match := func(num int, name string) bool {
		if q.NumList != nil {
			return q.NumList.Contains(num)
		}
		for _, n := range q.NameList {
			if n == name {
				return true
			}
		}
		return false
	}
	var found int
	if q.Phase == "2" {
		for j := range p2 {
			if match(p2[j].num, p2[j].pol.Name) {
				found++
				if err := addP2(&p2[j]); err != nil {
					return nil, err
				}
			}
		}
	} else {
		for i := range p1 {
			if match(p1[i].num, p1[i].pol.Label) {
				found++
				addP1(&p1[i])
			}
		}
	}
	if found == 0 {
		return nil, errors.New("no tunnel definition matches the request")
	}
	return r.collected(), nil
}

// The closures above append to the selection being built; collected
// hands it back (kept on the run so the helpers stay small).
func (r *invocation) collected() []target { return r.selection }

func (r *invocation) selectRemID(p1 []p1Def, p2 []p2Def, addP1 func(*p1Def), addP2 func(*p2Def) error) ([]target, error) {
	want := remIDRanges(r.req.RemID)
	if r.req.Phase == "2" {
		for j := range p2 {
			if selectorMatches(p2[j].pol.Remote, want, r.req.RemID) {
				if err := addP2(&p2[j]); err != nil {
					return nil, err
				}
			}
		}
		return r.collected(), nil
	}
	for i := range p1 {
		pol := p1[i].pol
		if rangesMatch(pol.RemoteAddrs, want) || containsFold(pol.RemoteIDs.Include, r.req.RemID) {
			addP1(&p1[i])
		}
	}
	return r.collected(), nil
}

// remIDRanges reads a remid as an address, "addr,mask" subnet or
// "from,to" range.
func remIDRanges(s string) []engine.AddrRange {
	a, b, two := strings.Cut(s, ",")
	first, err := netip.ParseAddr(a)
	if err != nil {
		return nil
	}
	if !two {
		return []engine.AddrRange{{First: first, Last: first}}
	}
	second, err := netip.ParseAddr(b)
	if err != nil {
		return nil
	}
	if bits, ok := maskBits(second); ok && first.Is4() {
		p := netip.PrefixFrom(first, bits).Masked()
		return []engine.AddrRange{{First: p.Addr(), Last: lastAddr(p)}}
	}
	return []engine.AddrRange{{First: first, Last: second}}
}

func maskBits(m netip.Addr) (int, bool) {
	if !m.Is4() {
		return 0, false
	}
	b := m.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	ones := 0
	for v&0x80000000 != 0 {
		ones++
		v <<= 1
	}
	return ones, v == 0 && ones > 0
}

func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Addr().As16()
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	for i := bits; i < 128; i++ {
		a[i/8] |= 1 << (7 - i%8)
	}
	l := netip.AddrFrom16(a)
	if p.Addr().Is4() {
		return l.Unmap()
	}
	return l
}

func rangesMatch(have, want []engine.AddrRange) bool {
	for _, w := range want {
		for _, h := range have {
			if h.First == w.First && h.Last == w.Last {
				return true
			}
		}
	}
	return false
}

func selectorMatches(s engine.Selector, want []engine.AddrRange, id string) bool {
	return rangesMatch(s.Addrs, want) || (s.Group != "" && s.Group == id)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// activateTarget negotiates one target between each address pair its
// definition covers (a group remote id gives one tunnel per member).
func (r *invocation) activateTarget(h *engine.Host, t target) error {
	pol := t.p1.pol
	if len(pol.LocalAddrs) == 0 || len(pol.RemoteAddrs) == 0 {
		return fmt.Errorf("tunnel %s has no IP addresses; give them with ipaddr=src,dst", pol.Label)
	}
	src := pol.LocalAddrs[0].First
	a := activation{phase: r.req.Phase, p1Policy: pol.Label}
	if !t.hasP2 && a.phase != "1" {
		a.phase = "1"
	}
	var p2 *engine.Phase2Policy
	if t.hasP2 {
		var err error
		if p2, err = h.Policies().Phase2ByName(t.p2); err != nil {
			return err
		}
	}
	for _, rem := range pol.RemoteAddrs {
		dst := rem.First
		if p2 != nil {
			spec, err := r.quickModeSpec(h, p2, src, dst)
			if err != nil {
				return err
			}
			a.spec, a.p2Fail = spec, spec == nil
			a.p2Policy = p2.Name
		}
		if err := r.activatePair(h, src, dst, a); err != nil {
			return err
		}
	}
	return nil
}

// quickModeSpec is the phase 2 a definition asks for, with the proposal
// the responder accepts (engine.SelectPhase2); nil when the responder
// accepts none, so phase 2 fails after phase 1.
func (r *invocation) quickModeSpec(h *engine.Host, p *engine.Phase2Policy, src, dst netip.Addr) (*engine.QuickModeSpec, error) {
	if len(p.Proposals) == 0 || len(p.Local.Addrs) == 0 || len(p.Remote.Addrs) == 0 {
		return nil, fmt.Errorf("phase 2 tunnel %s is incomplete", p.Name)
	}
	offer := engine.Phase2Offer{Local: p.Local.Addrs[0], Remote: p.Remote.Addrs[0],
		Proposals: p.Proposals, PFS: p.PFSGroup, Policy: p.Name}
	spec, err := h.PlanPhase2(dst, offer)
	if refused := (*engine.Phase2Error)(nil); errors.As(err, &refused) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &spec, nil
}
