package engine

import (
	"encoding/binary"
	"fmt"
)

// Phase1Batch is a list of phase 1 policies on their way into the
// rulebase, kept as their stored records one after another in one
// buffer: a load of 100,000 rules holds about 100 bytes a rule until it
// is stored, not the 500 of decoded policies beside the store's own
// copy. Add copies what it is given.
type Phase1Batch struct {
	buf  []byte
	ends []int
}

// Add appends a policy.
func (b *Phase1Batch) Add(p *Phase1Policy) {
	b.buf = p.appendBinary(b.buf)
	b.ends = append(b.ends, len(b.buf))
}

// Len is the number of policies added.
func (b *Phase1Batch) Len() int {
	if b == nil {
		return 0
	}
	return len(b.ends)
}

// row is the record of policy i.
func (b *Phase1Batch) row(i int) phase1Row {
	start := 0
	if i > 0 {
		start = b.ends[i-1]
	}
	return phase1Row(b.buf[start:b.ends[i]])
}

// phase1Row is a record written by appendBinary.
type phase1Row []byte

// split returns the label's bytes and the record's parts before and after
// the key manager cookie.
func (r phase1Row) split() (label, head, tail []byte, err error) {
	if len(r) == 0 || r[0] != p1CodecVersion {
		return nil, nil, nil, fmt.Errorf("%w: unknown version", errPolicyCodec)
	}
	n, k := binary.Uvarint(r[1:])
	end := 1 + k + int(n)
	if k <= 0 || n > uint64(len(r)) || end > len(r) {
		return nil, nil, nil, fmt.Errorf("%w: bad label", errPolicyCodec)
	}
	_, c := binary.Uvarint(r[end:])
	if c <= 0 {
		return nil, nil, nil, fmt.Errorf("%w: bad cookie", errPolicyCodec)
	}
	return r[1+k : end], r[:end], r[end+c:], nil
}

// withCookie appends to dst the record with its key manager cookie set.
func (r phase1Row) withCookie(dst []byte, cookie uint32) ([]byte, error) {
	_, head, tail, err := r.split()
	if err != nil {
		return nil, err
	}
	dst = append(dst, head...)
	dst = binary.AppendUvarint(dst, uint64(cookie))
	return append(dst, tail...), nil
}
