package ikeconfig

import (
	"slices"

	"github.com/ikemu/ikemu/pkg/engine"
)

// closeRule completes a rule at its '}' (the current token, which every
// error here is reported at), in the daemon's order: PFS default, label,
// addresses, mode, lifetimes, transforms, authentication, label
// uniqueness.
func (p *parser) closeRule(r *ruleAcc) (engine.Phase1Policy, error) {
	if r.pfs == 0 {
		// A rule cannot turn off a global PFS group.
		r.pfs = p.glob.pfs
	}
	if !r.hasLabel {
		return engine.Phase1Policy{}, p.fail(msgNeedLabel)
	}
	if err := p.completeAddrs(r); err != nil {
		return engine.Phase1Policy{}, err
	}
	life := p.completeLife(r.life)
	xforms, err := p.completeXforms(r)
	if err != nil {
		return engine.Phase1Policy{}, err
	}
	idType, err := p.completeAuth(r, xforms[0].Auth == engine.AuthPreshared)
	if err != nil {
		return engine.Phase1Policy{}, err
	}
	if _, dup := p.labels[r.label]; dup {
		return engine.Phase1Policy{}, p.fail(msgLabelNotUnique)
	}
	p.labels[r.label] = struct{}{}
	return p.policy(r, idType, life, xforms), nil
}

// policy assembles the completed rule.
func (p *parser) policy(r *ruleAcc, idType engine.IDKind, life p2Life, xforms []engine.Transform) engine.Phase1Policy {
	mode := r.mode
	if mode == 0 {
		mode = p.glob.mode
	}
	if mode == 0 {
		mode = engine.XchgAny
	}
	return engine.Phase1Policy{
		Label:          r.label,
		Mode:           mode,
		LocalIDType:    idType,
		LocalAddrs:     r.localAddrs,
		RemoteAddrs:    r.remoteAddrs,
		LocalIDs:       r.localIDs,
		RemoteIDs:      r.remoteIDs,
		P1NonceLen:     p.glob.p1Nonce,
		P2NonceLen:     p.glob.p2Nonce,
		P2PFS:          r.pfs,
		P2LifetimeSecs: life.hard,
		P2SoftSecs:     life.soft,
		P2IdleSecs:     life.idle,
		P2LifetimeKB:   life.hardKB,
		P2SoftKB:       life.softKB,
		Transforms:     xforms,
		Origin:         "solaris",
	}
}

// completeAddrs inherits the global address lists a rule lacks and checks
// both sides. Copies, not shared slices, so policies stay independent.
func (p *parser) completeAddrs(r *ruleAcc) error {
	if len(r.localAddrs) == 0 {
		if len(p.glob.localAddrs) == 0 {
			return p.fail(msgNeedLocalAddr)
		}
		r.localAddrs = slices.Clone(p.glob.localAddrs)
	}
	if len(r.remoteAddrs) == 0 {
		if len(p.glob.remoteAddrs) == 0 {
			return p.fail(msgNeedRemoteAddr)
		}
		r.remoteAddrs = slices.Clone(p.glob.remoteAddrs)
	}
	local4, msg := checkSide(r.localAddrs)
	if msg != "" {
		return p.fail(msg)
	}
	remote4, msg := checkSide(r.remoteAddrs)
	if msg != "" {
		return p.fail(msg)
	}
	if local4 != remote4 {
		// The daemon rejects this without a word.
		return p.fail(msgFamilyMismatch)
	}
	return nil
}

// completeLife fills the lifetimes the rule lacks from the sanity-checked
// global ones, checks the result, and records derived soft and idle
// values for "get defaults" where the file gave none.
func (p *parser) completeLife(l p2Life) p2Life {
	g := p.globLife
	for _, f := range [...]struct{ v, def *uint32 }{
		{&l.hard, &g.hard}, {&l.soft, &g.soft}, {&l.idle, &g.idle},
		{&l.hardKB, &g.hardKB}, {&l.softKB, &g.softKB},
	} {
		if *f.v == 0 {
			*f.v = *f.def
		}
	}
	l = sanitizeP2(l)
	rec := &p.file.Global.Recorded
	recordFirst(&rec.P2SoftSecs, l.soft)
	recordFirst(&rec.P2SoftKB, l.softKB)
	recordFirst(&rec.P2IdleSecs, l.idle)
	return l
}

// completeXforms returns the rule's transforms, or a copy of the global
// ones; only an inherited list is checked against the rule.
func (p *parser) completeXforms(r *ruleAcc) ([]engine.Transform, error) {
	if len(r.xforms) > 0 {
		return r.xforms, nil
	}
	if len(p.glob.xforms) == 0 {
		return nil, p.fail(msgNeedXforms)
	}
	xf := slices.Clone(p.glob.xforms)
	psk := xf[0].Auth == engine.AuthPreshared
	if psk {
		if len(r.remoteIDs.Include)+len(r.remoteIDs.Exclude) > 0 {
			return nil, p.fail(msgPSKNoIDInherited)
		}
		if r.idType != engine.IDUnset && !r.idType.IsAddress() {
			return nil, p.fail(msgPSKIDType)
		}
	}
	for _, x := range xf {
		if (x.Auth == engine.AuthPreshared) != psk {
			return nil, p.fail(msgAllOrNoPSK)
		}
	}
	return xf, nil
}

// completeAuth applies the identity rules of the first transform's method
// and returns the local identity type. Preshared rules ignore the global
// identity settings entirely; certificate rules inherit them.
func (p *parser) completeAuth(r *ruleAcc, psk bool) (engine.IDKind, error) {
	if psk {
		t := r.idType
		if t == engine.IDUnset {
			t = engine.IDIPv4
		} else if !t.IsAddress() {
			return 0, p.fail(msgPSKIDType)
		}
		if len(r.localIDs.Include) > 0 || len(r.remoteIDs.Include) > 0 {
			return 0, p.fail(msgPSKNoID)
		}
		return t, nil
	}
	t := r.idType
	if t == engine.IDUnset {
		if t = p.glob.idType; t == engine.IDUnset {
			return 0, p.fail(msgNeedIDType)
		}
	}
	if err := p.inheritIDs(&r.localIDs, &p.glob.localIDs, msgNeedLocalID); err != nil {
		return 0, err
	}
	return t, p.inheritIDs(&r.remoteIDs, &p.glob.remoteIDs, msgNeedRemoteID)
}

// inheritIDs gives a certificate rule without included identities the
// global ones; a rule with only exclusions, or nothing to inherit, fails.
func (p *parser) inheritIDs(s, g *engine.Selectors, msg string) error {
	if len(s.Include) > 0 {
		return nil
	}
	if len(s.Exclude) > 0 || len(g.Include) == 0 {
		return p.fail(msg)
	}
	s.Include = slices.Clone(g.Include)
	s.Exclude = slices.Clone(g.Exclude)
	return nil
}
