package ikeconfig

import (
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// ruleAcc collects the elements of one rule, or, for the global defaults,
// of everything written before the first rule. Zero values mean "not
// given" throughout, as in the daemon.
type ruleAcc struct {
	label       string
	hasLabel    bool
	localAddrs  []engine.AddrRange
	remoteAddrs []engine.AddrRange
	localIDs    engine.Selectors
	remoteIDs   engine.Selectors
	idType      engine.IDKind
	mode        engine.ExchangeMode
	xforms      []engine.Transform
	pfs         int
	life        p2Life
	p1Nonce     uint32 // global only
	p2Nonce     uint32 // global only
	labelKind   bool   // single_label or multi_label seen
}

// maxLabelLen is the daemon's label limit: its 4096-byte buffer less room
// for a tab and a 10-digit cookie.
const maxLabelLen = 4096 - 11

// parseRule reads '{' elements '}' and completes the rule.
func (p *parser) parseRule() error {
	if !p.inRules {
		// The daemon sanity-checks the global lifetimes before each rule
		// inherits them; globals cannot change once rules start, so once
		// is enough.
		p.inRules = true
		p.globLife = sanitizeP2(p.glob.life)
	}
	if err := p.advance(); err != nil {
		return err
	}
	var r ruleAcc
	for p.tok.kind != tRBrace {
		if err := p.ruleElem(&r); err != nil {
			return err
		}
	}
	pol, err := p.closeRule(&r)
	if err != nil {
		return err
	}
	if p.onRule != nil {
		p.onRule(&pol)
	} else {
		p.file.Rules = append(p.file.Rules, pol)
	}
	return p.advance()
}

// ruleElem handles one rule element, inside a rule or (r == &p.glob) as a
// global default.
func (p *parser) ruleElem(r *ruleAcc) error {
	if p.tok.kind != tKeyword {
		return p.fail(msgSyntax)
	}
	switch p.tok.kw {
	case kwLabel:
		return p.labelElem(r)
	case kwLocalAddr:
		return p.addrElem(&r.localAddrs)
	case kwRemoteAddr:
		return p.addrElem(&r.remoteAddrs)
	case kwLocalID:
		return p.idElem(&r.localIDs)
	case kwRemoteID:
		return p.idElem(&r.remoteIDs)
	case kwLocalIDType:
		return p.idTypeElem(r)
	case kwP1Mode:
		return p.modeElem(r)
	case kwP1Xform:
		return p.xformElem(r)
	case kwP2PFS:
		return p.pfsElem(r)
	case kwP2LifetimeSecs, kwP2SoftlifeSecs, kwP2IdletimeSecs, kwP2LifetimeKB, kwP2SoftlifeKB:
		return p.lifeElem(r)
	case kwSingleLabel, kwMultiLabel:
		return p.labelKindElem(r)
	case kwWireLabel:
		return p.wireLabelElem()
	case kwDump:
		// Only a debug build of the daemon dumps its state here.
		return p.fail(msgDump)
	}
	return p.fail(msgSyntax)
}

func (p *parser) labelElem(r *ruleAcc) error {
	s, err := p.stringValue()
	if err != nil {
		return err
	}
	switch {
	case r == &p.glob:
		return p.fail(msgOutsideRule)
	case r.hasLabel:
		return p.fail(msgMultipleLabels)
	case len(s) > maxLabelLen:
		// Only a bare word can be this long; quoted strings stop at
		// 1023 bytes.
		return p.fail(msgLabelTooLong)
	}
	r.label, r.hasLabel = s, true
	return p.advance()
}

func (p *parser) addrElem(dst *[]engine.AddrRange) error {
	if err := p.advance(); err != nil {
		return err
	}
	ar, err := p.parseAddrSpec()
	if err != nil {
		return err
	}
	*dst = append(*dst, ar)
	return nil
}

// idElem adds an identity selector; a leading '!' makes it an exclusion.
func (p *parser) idElem(dst *engine.Selectors) error {
	s, err := p.stringValue()
	if err != nil {
		return err
	}
	if rest, ok := strings.CutPrefix(s, "!"); ok {
		dst.Exclude = append(dst.Exclude, rest)
	} else {
		dst.Include = append(dst.Include, s)
	}
	return p.advance()
}

func (p *parser) idTypeElem(r *ruleAcc) error {
	if err := p.advance(); err != nil {
		return err
	}
	k := idKindOf(p.tok)
	if k == engine.IDUnset {
		return p.fail(msgSyntax)
	}
	if r != &p.glob && r.idType != engine.IDUnset {
		p.warn(msgHasIDType)
	}
	r.idType = k
	return p.advance()
}

// idKindOf maps a local_id_type keyword to its kind; IDUnset if t is not
// one.
func idKindOf(t token) engine.IDKind {
	if t.kind != tKeyword {
		return engine.IDUnset
	}
	switch t.kw {
	case kwIP, kwIPv4:
		return engine.IDIPv4
	case kwIPv6:
		return engine.IDIPv6
	case kwIPv4Prefix:
		return engine.IDIPv4Prefix
	case kwIPv6Prefix:
		return engine.IDIPv6Prefix
	case kwIPv4Range:
		return engine.IDIPv4Range
	case kwIPv6Range:
		return engine.IDIPv6Range
	case kwDNS, kwFQDN:
		return engine.IDFQDN
	case kwMBOX, kwUserFQDN:
		return engine.IDUserFQDN
	case kwDN:
		return engine.IDDN
	case kwGN:
		return engine.IDGN
	}
	return engine.IDUnset
}

func (p *parser) modeElem(r *ruleAcc) error {
	if err := p.value(tKeyword); err != nil {
		return err
	}
	switch p.tok.kw {
	case kwMain:
		r.mode = engine.XchgMain
	case kwAggressive:
		r.mode = engine.XchgAggressive
	default:
		return p.fail(msgSyntax)
	}
	return p.advance()
}

// pfsElem sets the phase 2 PFS group; 0 means none, which also lets the
// global value through at rule completion.
func (p *parser) pfsElem(r *ruleAcc) error {
	v, err := p.numberValue()
	if err != nil {
		return err
	}
	if r.pfs != 0 {
		return p.fail(msgHasPFS)
	}
	if v != 0 && !validGroup(v) {
		return p.fail(msgBadGroup)
	}
	r.pfs = int(v)
	p.file.Global.Recorded.P2PFS = v // the last value seen is recorded
	return p.advance()
}

func (p *parser) lifeElem(r *ruleAcc) error {
	kw := p.tok.kw
	v, err := p.numberValue()
	if err != nil {
		return err
	}
	rec := &p.file.Global.Recorded
	switch kw {
	case kwP2LifetimeSecs:
		r.life.hard = v
		recordFirst(&rec.P2LifetimeSecs, v)
	case kwP2SoftlifeSecs:
		r.life.soft = v
		recordFirst(&rec.P2SoftSecs, v)
	case kwP2IdletimeSecs:
		r.life.idle = v
		recordFirst(&rec.P2IdleSecs, v)
	case kwP2LifetimeKB:
		r.life.hardKB = v
		recordFirst(&rec.P2LifetimeKB, v)
	default:
		r.life.softKB = v
		recordFirst(&rec.P2SoftKB, v)
	}
	return p.advance()
}

// labelKindElem handles single_label/multi_label: Trusted Extensions
// settings that are checked but have no effect without labels.
func (p *parser) labelKindElem(r *ruleAcc) error {
	if r.labelKind {
		return p.fail(msgLabelIndicator)
	}
	r.labelKind = true
	return p.advance()
}

// wireLabelElem parses "wire_label inner", "wire_label <label>" and
// "wire_label none <label>", which have no effect without labels.
func (p *parser) wireLabelElem() error {
	if err := p.advance(); err != nil {
		return err
	}
	if p.tok.kind == tKeyword && p.tok.kw == kwInner {
		return p.advance()
	}
	if p.tok.kind == tKeyword && p.tok.kw == kwNoneWord {
		if err := p.advance(); err != nil {
			return err
		}
	}
	if p.tok.kind != tString && p.tok.kind != tHexLabel {
		return p.fail(msgSyntax)
	}
	return p.advance()
}
