package isakmp

import "encoding/binary"

// SA is the Security Association payload (RFC 2408 section 3.4) with the
// IPsec DOI's situation (RFC 2407 section 4.6.1).
type SA struct {
	// DOI is DOIIPsec or DOIISAKMP; others are refused with
	// DOI-NOT-SUPPORTED because their situation's length is unknown.
	DOI uint32
	// Situation is the 32-bit situation bitmap. Only SIT_IDENTITY_ONLY
	// is supported: the secrecy and integrity situations carry labelled
	// domain data no IKEv1 implementation in use sends, and are refused
	// with SITUATION-NOT-SUPPORTED.
	Situation uint32
	// Proposals are in wire order; at least one.
	Proposals []Proposal
}

// Type returns PayloadSA.
func (SA) Type() PayloadType { return PayloadSA }

const saFixedLen = 8 // DOI, situation

func (s SA) appendBody(b []byte) ([]byte, error) {
	if s.DOI != DOIIPsec && s.DOI != DOIISAKMP {
		return nil, encodeError("SA", "DOI %d", s.DOI)
	}
	if s.Situation&^SituationIdentityOnly != 0 {
		return nil, encodeError("SA", "situation %#x", s.Situation)
	}
	if len(s.Proposals) == 0 {
		return nil, encodeError("SA", "no proposal")
	}
	b = binary.BigEndian.AppendUint32(b, s.DOI)
	b = binary.BigEndian.AppendUint32(b, s.Situation)
	for i := range s.Proposals {
		next := PayloadProposal
		if i == len(s.Proposals)-1 {
			next = PayloadNone
		}
		var err error
		if b, err = s.Proposals[i].append(b, next); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func decodeSA(b []byte, off int) (*SA, error) {
	if len(b) < saFixedLen {
		return nil, malformed(off, "SA payload", ErrTruncated)
	}
	s := &SA{DOI: binary.BigEndian.Uint32(b), Situation: binary.BigEndian.Uint32(b[4:])}
	if s.DOI != DOIIPsec && s.DOI != DOIISAKMP {
		return nil, &UnsupportedError{Offset: off, What: "DOI", Value: s.DOI, Code: NotifyDOINotSupported}
	}
	if s.Situation&^SituationIdentityOnly != 0 {
		return nil, &UnsupportedError{Offset: off + 4, What: "situation", Value: s.Situation, Code: NotifySituationNotSupported}
	}
	pos, next := saFixedLen, PayloadProposal
	for pos < len(b) {
		if next != PayloadProposal {
			return nil, malformed(off+pos, "SA payload", ErrTrailing)
		}
		var p Proposal
		var end int
		var err error
		if p, next, end, err = decodeProposal(b, pos, off); err != nil {
			return nil, err
		}
		s.Proposals = append(s.Proposals, p)
		pos = end
	}
	if len(s.Proposals) == 0 {
		return nil, malformed(off, "SA payload without proposal", ErrCount)
	}
	if next != PayloadNone {
		return nil, malformed(off+len(b), "proposal chain", ErrTruncated)
	}
	return s, nil
}
