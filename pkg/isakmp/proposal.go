package isakmp

// Proposal is a Proposal payload (RFC 2408 section 3.5). It lives only
// inside an SA payload.
type Proposal struct {
	Number   uint8
	Protocol ProtocolID
	// SPI is the sender's SPI, empty for ISAKMP in phase 1 (RFC 2409
	// section 5 uses the cookies), 4 bytes for AH and ESP.
	SPI []byte
	// Transforms are in wire order; at least one, at most 255.
	Transforms []Transform
}

const proposalFixedLen = 4 // number, protocol, SPI size, # of transforms

func (p *Proposal) append(b []byte, next PayloadType) ([]byte, error) {
	if len(p.SPI) > 0xff {
		return nil, encodeError("proposal", "SPI of %d bytes", len(p.SPI))
	}
	if len(p.Transforms) == 0 || len(p.Transforms) > 0xff {
		return nil, encodeError("proposal", "%d transforms", len(p.Transforms))
	}
	start := len(b)
	b = append(b, byte(next), 0, 0, 0, p.Number, byte(p.Protocol), byte(len(p.SPI)), byte(len(p.Transforms)))
	b = append(b, p.SPI...)
	for i := range p.Transforms {
		next := PayloadTransform
		if i == len(p.Transforms)-1 {
			next = PayloadNone
		}
		var err error
		if b, err = p.Transforms[i].append(b, next); err != nil {
			return nil, err
		}
	}
	if err := putLength(b, start, PayloadProposal); err != nil {
		return nil, err
	}
	return b, nil
}

// decodeProposal decodes the proposal payload at b[pos:]; off is the
// offset of b[0].
func decodeProposal(b []byte, pos, off int) (Proposal, PayloadType, int, error) {
	next, body, end, err := genericPayload(b, pos, off, PayloadProposal)
	if err != nil {
		return Proposal{}, 0, 0, err
	}
	if next != PayloadNone && next != PayloadProposal {
		return Proposal{}, 0, 0, &PayloadError{Offset: off + pos, Type: next}
	}
	boff := off + pos + genericHeaderLen
	if len(body) < proposalFixedLen {
		return Proposal{}, 0, 0, malformed(boff, "proposal payload", ErrTruncated)
	}
	p := Proposal{Number: body[0], Protocol: ProtocolID(body[1])}
	spiLen, count := int(body[2]), int(body[3])
	if len(body)-proposalFixedLen < spiLen {
		return Proposal{}, 0, 0, malformed(boff+2, "proposal SPI", ErrTruncated)
	}
	p.SPI = body[proposalFixedLen : proposalFixedLen+spiLen : proposalFixedLen+spiLen]
	tpos, tnext := proposalFixedLen+spiLen, PayloadTransform
	// The count is trusted for capacity only as far as the bytes present
	// could hold that many transforms.
	p.Transforms = make([]Transform, 0, min(count, (len(body)-tpos)/(genericHeaderLen+transformFixedLen)))
	for tpos < len(body) {
		if tnext != PayloadTransform {
			return Proposal{}, 0, 0, malformed(boff+tpos, "proposal payload", ErrTrailing)
		}
		var t Transform
		var tend int
		if t, tnext, tend, err = decodeTransform(body, tpos, boff); err != nil {
			return Proposal{}, 0, 0, err
		}
		p.Transforms = append(p.Transforms, t)
		tpos = tend
	}
	if tnext != PayloadNone {
		return Proposal{}, 0, 0, malformed(boff+len(body), "transform chain", ErrTruncated)
	}
	if count == 0 || len(p.Transforms) != count {
		return Proposal{}, 0, 0, malformed(boff+3, "proposal # of transforms", ErrCount)
	}
	return p, next, end, nil
}
