package ike

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
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
	var names []string
	err := h.Policies().ScanPhase1(func(p *engine.Phase1Policy) error {
		p1 = append(p1, p1Def{pol: p})
		names = append(names, p.Label)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if h.Tx().Store().Writable() {
		// An activation keeps the numbers it goes by.
		if err := h.Tunnels().Assign(engine.TunnelPhase1, names); err != nil {
			return nil, nil, err
		}
	}
	provisional, err := h.Tunnels().Provisional(engine.TunnelPhase1, names)
	if err != nil {
		return nil, nil, err
	}
	for i := range p1 {
		var ok bool
		if p1[i].num, ok = h.Tunnels().Number(engine.TunnelPhase1, p1[i].pol.Label); !ok {
			p1[i].num = provisional[p1[i].pol.Label]
		}
	}
	err = h.Policies().ScanPhase2(func(p *engine.Phase2Policy) error {
		n, _ := h.Tunnels().Number(engine.TunnelPhase2, p.Name)
		p2 = append(p2, p2Def{num: n, pol: p})
		return nil
	})
	sortByNum(p1, func(d p1Def) uint32 { return uint32(d.num) })
	sortByNum(p2, func(d p2Def) uint32 { return uint32(d.num) })
	return p1, p2, err
}

// target is one tunnel to activate: a phase 1 definition, and optionally
// one of its phase 2 definitions.
type target struct {
	p1 *p1Def
	p2 *p2Def
}

// activateDefinitions activates the database tunnels the request selects:
// all of them without a selector; autostart ones; by numlist or namelist
// of the given phase (without a phase, numlist names phase 1 tunnels
// whose phase 2 tunnels start too); or by remote id. As tmd, it
// activates them one at a time, each in its own transaction: a command
// killed half way keeps the tunnels it finished, and other commands get
// the lab between two tunnels.
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
	for _, t := range targets {
		var refused error
		err := w.Update(r.onHost(func(h *engine.Host) error {
			err := r.activateTarget(h, t)
			if exists := (*tunnelExistsError)(nil); errors.As(err, &exists) {
				refused = err
				return nil // what it did before the refusal stands
			}
			return err
		}))
		if err != nil {
			return err
		}
		if refused != nil {
			// tmd refuses this one and goes on with the others.
			complain(r.p.Stderr, refused.Error())
			r.failed = true
		}
	}
	return nil
}

func (r *invocation) selectTargets(p1 []p1Def, p2 []p2Def) ([]target, error) {
	q := r.req
	byLabel := map[string]*p1Def{}
	for i := range p1 {
		byLabel[p1[i].pol.Label] = &p1[i]
	}
	under := func(d *p2Def) *p1Def { return byLabel[d.pol.Phase1] }
	r.selection = nil
	addP1 := func(d *p1Def) {
		if q.Phase == "1" {
			r.selection = append(r.selection, target{p1: d})
			return
		}
		any := false
		for j := range p2 {
			if p2[j].pol.Phase1 == d.pol.Label {
				r.selection, any = append(r.selection, target{p1: d, p2: &p2[j]}), true
			}
		}
		if !any {
			r.selection = append(r.selection, target{p1: d})
		}
	}
	addP2 := func(d *p2Def) error {
		parent := under(d)
		if parent == nil {
			return fmt.Errorf("phase 2 tunnel %s has no phase 1 tunnel %s", d.pol.Name, d.pol.Phase1)
		}
		r.selection = append(r.selection, target{p1: parent, p2: d})
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
	if t.p2 == nil && a.phase != "1" {
		a.phase = "1"
	}
	for _, rem := range pol.RemoteAddrs {
		dst := rem.First
		if t.p2 != nil {
			spec, err := r.quickModeSpec(h, t.p2.pol, src, dst)
			if err != nil {
				return err
			}
			a.spec, a.p2Fail = spec, spec == nil
			a.p2Policy = t.p2.pol.Name
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

// listDB lists the definitions: the short layout, the definition
// numbers, and the tunnel manager's state (Active when an SA of the
// definition is up, else Dormant). It reads the database only, so it
// works while tmd is stopped.
func (r *invocation) listDB() error {
	return r.lab.View(r.onHost(func(h *engine.Host) error {
		p1, p2, err := definitions(h)
		if err != nil {
			return err
		}
		active, err := activeDefinitions(h)
		if err != nil {
			return err
		}
		rows := r.rows(p1, p2, active)
		if len(rows) == 0 {
			return nil
		}
		w := bufio.NewWriter(r.p.Stdout)
		defer w.Flush()
		io.WriteString(w, listHeader)
		for _, row := range rows {
			row.write(w)
		}
		return nil
	}))
}

// activeDefinitions names the definitions with a live SA.
func activeDefinitions(h *engine.Host) (map[string]bool, error) {
	up := map[string]bool{}
	now := h.Now()
	err := h.SAs().ScanPhase1(func(sa *engine.Phase1SA) error {
		up["1/"+sa.PolicyLabel] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = h.SAs().ScanPhase2(func(sa *engine.Phase2SA) error {
		if !sa.Expired(now) && sa.PolicyName != "" {
			up["2/"+sa.PolicyName] = true
		}
		return nil
	})
	return up, err
}

func (r *invocation) rows(p1 []p1Def, p2 []p2Def, active map[string]bool) []listRow {
	q := r.req
	status := func(key string) string {
		if active[key] {
			return string(engine.TunnelActive)
		}
		return "Dormant"
	}
	p1Row := func(d *p1Def) listRow {
		return listRow{"1", fmt.Sprint(d.num), status("1/" + d.pol.Label), p1Side(d.pol.LocalAddrs, d.pol.LocalIDs), p1Side(d.pol.RemoteAddrs, d.pol.RemoteIDs)}
	}
	p2Row := func(d *p2Def) listRow {
		return listRow{"2", fmt.Sprint(d.num), status("2/" + d.pol.Name), selectorText(d.pol.Local), selectorText(d.pol.Remote)}
	}
	byLabel := map[string]*p1Def{}
	for i := range p1 {
		byLabel[p1[i].pol.Label] = &p1[i]
	}
	var rows []listRow
	switch q.Phase {
	case "1":
		for i := range p1 {
			if q.NumList == nil || q.NumList.Contains(p1[i].num) {
				rows = append(rows, p1Row(&p1[i]))
			}
		}
	case "2":
		for j := range p2 {
			if q.NumList != nil && !q.NumList.Contains(p2[j].num) {
				continue
			}
			if parent := byLabel[p2[j].pol.Phase1]; parent != nil {
				rows = append(rows, p1Row(parent))
			}
			rows = append(rows, p2Row(&p2[j]))
		}
	default:
		// Each phase 1 definition is followed by its phase 2 ones, in
		// their order: grouped once, not searched for per definition.
		under := map[string][]int{}
		for j := range p2 {
			under[p2[j].pol.Phase1] = append(under[p2[j].pol.Phase1], j)
		}
		for i := range p1 {
			if q.NumList != nil && !q.NumList.Contains(p1[i].num) {
				continue
			}
			rows = append(rows, p1Row(&p1[i]))
			for _, j := range under[p1[i].pol.Label] {
				rows = append(rows, p2Row(&p2[j]))
			}
		}
	}
	return rows
}

// p1Side is a phase 1 definition's identity: its first address, else its
// first identity string.
func p1Side(addrs []engine.AddrRange, ids engine.Selectors) string {
	if len(addrs) > 0 {
		if addrs[0].First == addrs[0].Last {
			return addrs[0].First.String()
		}
		return rangeID(addrs[0])
	}
	if len(ids.Include) > 0 {
		return ids.Include[0]
	}
	return ""
}

func selectorText(s engine.Selector) string {
	if s.Group != "" {
		return s.Group
	}
	if len(s.Addrs) == 0 {
		return ""
	}
	return rangeID(s.Addrs[0])
}
