package isakmp

// attrParser holds the checks shared by the typed attribute views. Its
// offsets are attribute indexes, not byte offsets: the views work on
// decoded attributes.
type attrParser struct {
	seen [maxAttributeType/64 + 1]uint64
	// durationDue is set after a life type until its duration comes.
	durationDue bool
	err         error
}

func (p *attrParser) fail(i int, a Attribute, what string, code NotifyType) {
	if p.err == nil {
		p.err = &UnsupportedError{Offset: i, What: what, Value: uint32(a.Type), Code: code}
	}
}

// once records a; a repeated attribute is refused.
func (p *attrParser) once(i int, a Attribute) bool {
	w, bit := a.Type/64, uint64(1)<<(a.Type%64)
	if p.seen[w]&bit != 0 {
		p.fail(i, a, "repeated attribute", NotifyBadProposalSyntax)
		return false
	}
	p.seen[w] |= bit
	return true
}

// basic returns a basic attribute's value, refusing the TLV form and
// repetition. It also refuses a life type left without its duration.
func (p *attrParser) basic(i int, a Attribute) uint16 {
	p.due(i, a)
	if a.TLV {
		p.fail(i, a, "basic attribute in TLV form", NotifyBadProposalSyntax)
		return 0
	}
	p.once(i, a)
	return a.Value
}

func (p *attrParser) due(i int, a Attribute) {
	if p.durationDue {
		p.fail(i, a, "life type without duration before attribute", NotifyBadProposalSyntax)
	}
}

// lifeType starts a new lifetime; each life type may appear once.
func (p *attrParser) lifeType(i int, a Attribute, ls []Lifetime) []Lifetime {
	p.due(i, a)
	if a.TLV {
		p.fail(i, a, "basic attribute in TLV form", NotifyBadProposalSyntax)
		return ls
	}
	for _, l := range ls {
		if l.Type == LifeType(a.Value) {
			p.fail(i, a, "repeated life type", NotifyBadProposalSyntax)
			return ls
		}
	}
	p.durationDue = true
	return append(ls, Lifetime{Type: LifeType(a.Value)})
}

// lifeDuration fills the duration of the lifetime just started.
func (p *attrParser) lifeDuration(i int, a Attribute, ls []Lifetime) {
	if !p.durationDue {
		p.fail(i, a, "life duration without life type", NotifyBadProposalSyntax)
		return
	}
	v, err := a.Uint()
	if err != nil {
		p.fail(i, a, "life duration value", NotifyBadProposalSyntax)
		return
	}
	ls[len(ls)-1].Duration = v
	p.durationDue = false
}

func (p *attrParser) unsupported(i int, a Attribute) {
	p.fail(i, a, "attribute", NotifyAttributesNotSupported)
}

// finish refuses a trailing life type without duration.
func (p *attrParser) finish(ls []Lifetime) error {
	if p.err == nil && p.durationDue {
		return &UnsupportedError{Offset: len(ls), What: "life type without duration", Code: NotifyBadProposalSyntax}
	}
	return p.err
}
