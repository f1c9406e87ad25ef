package engine

import (
	"bytes"
	"cmp"
	"math"
	"slices"

	"github.com/ikemu/ikemu/pkg/store"
)

// seqNumbers is the tunnel numbers of a definition table's rows, by row
// key, for a scan of the rows (in key order) to number each in step: a
// listing of every definition without a map of every name.
type seqNumbers struct {
	v     Tunnels
	phase int
	// rows is in key order; when the keys are dense (a table's keys
	// are 1 to n but for deletions) the pair of row s is instead
	// rows[at[s-first]-1] (at 0: none).
	rows  []seqNumber
	at    []int32
	first store.Seq
	next  int
}

// seqNumber is one row's number, and the name it is filed under.
type seqNumber struct {
	seq  store.Seq
	num  int
	name []byte
}

// numbersBySeq joins the name index of t (name -> row) with the phase's
// number table's (name -> number): both are in name order, so one merge
// of the two pairs each row with its number.
func (v Tunnels) numbersBySeq(phase int, t *store.Table) (*seqNumbers, error) {
	tn, err := tunnelTable(phase)
	if err != nil {
		return nil, err
	}
	numbers := v.h.b.Table(tn)
	rows := make([]seqNumber, 0, numbers.Len())
	err = numbers.ScanIndex(func(name []byte, s store.Seq) error {
		rows = append(rows, seqNumber{num: int(s), name: name})
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Merged in place: the k-th pair written is never past the number
	// entry it came from.
	i, k := 0, 0
	err = t.ScanIndex(func(name []byte, s store.Seq) error {
		for i < len(rows) && bytes.Compare(rows[i].name, name) < 0 {
			i++
		}
		if i < len(rows) && bytes.Equal(rows[i].name, name) {
			rows[k] = seqNumber{seq: s, num: rows[i].num, name: rows[i].name}
			i, k = i+1, k+1
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return bySeq(v, phase, rows[:k]), nil
}

// bySeq files the pairs by row key: in place of an array indexed by the
// key when the keys span at most twice their number, else sorted.
func bySeq(v Tunnels, phase int, rows []seqNumber) *seqNumbers {
	n := &seqNumbers{v: v, phase: phase}
	if len(rows) == 0 {
		return n
	}
	lo, hi := rows[0].seq, rows[0].seq
	for _, r := range rows {
		lo, hi = min(lo, r.seq), max(hi, r.seq)
	}
	n.rows = rows
	if hi-lo >= store.Seq(2*len(rows)) || len(rows) >= math.MaxInt32 {
		slices.SortFunc(rows, func(a, b seqNumber) int { return cmp.Compare(a.seq, b.seq) })
		return n
	}
	n.first, n.at = lo, make([]int32, hi-lo+1)
	for i, r := range rows {
		n.at[r.seq-lo] = int32(i + 1)
	}
	return n
}

// number is the number of row s, named name, called for rows in
// increasing key order; paired says the join paired it (the name index
// names this row for its name). A row the join did not pair (a label
// stored twice by an older lab, an entry a damaged page dropped, a
// definition never numbered) is looked up by name, as Tunnels.Number
// does.
func (n *seqNumbers) number(s store.Seq, name []byte) (num int, numbered, paired bool) {
	if p := n.pair(s); p != nil && bytes.Equal(p.name, name) {
		return p.num, true, true
	}
	num, numbered = n.v.Number(n.phase, string(name))
	return num, numbered, false
}

// pair is the join's pair of row s, nil if none.
func (n *seqNumbers) pair(s store.Seq) *seqNumber {
	if n.at != nil {
		if i := s - n.first; s >= n.first && i < store.Seq(len(n.at)) && n.at[i] > 0 {
			return &n.rows[n.at[i]-1]
		}
		return nil
	}
	for n.next < len(n.rows) && n.rows[n.next].seq < s {
		n.next++
	}
	if n.next < len(n.rows) && n.rows[n.next].seq == s {
		return &n.rows[n.next]
	}
	return nil
}

// rowNumbers numbers the rows of a definition table t, called for each
// row in key order. Definitions are numbered as they are stored, so the
// number table's rows, in number order, usually name them in their own
// order: they are walked in step, one comparison a row. A definition
// stored later under a freed number is passed over and kept aside (a
// few), for its row to find further on. From the first row the walk
// cannot number, the two name indexes are joined (numbersBySeq).
type rowNumbers struct {
	v       Tunnels
	phase   int
	t       *store.Table
	inOrder []seqNumber // the number table's rows: num and name
	next    int
	aside   []int       // rows of inOrder passed over, not yet found
	joined  *seqNumbers // from the first row the walk missed
}

// The walk looks this many number rows ahead for a row's name, and
// keeps at most this many aside.
const (
	walkAhead = 8
	walkAside = 64
)

// rowNumbersOf reads the number table's rows for the walk.
func (v Tunnels) rowNumbersOf(phase int, t *store.Table) (*rowNumbers, error) {
	tn, err := tunnelTable(phase)
	if err != nil {
		return nil, err
	}
	numbers := v.h.b.Table(tn)
	n := &rowNumbers{v: v, phase: phase, t: t, inOrder: make([]seqNumber, 0, numbers.Len())}
	err = numbers.Scan(func(s store.Seq, name []byte) error {
		n.inOrder = append(n.inOrder, seqNumber{num: int(s), name: name})
		return nil
	})
	return n, err
}

// number is the number of row s, named name. matched says the number
// came from a one-to-one match (the walk, each number table row once;
// the join, each index entry once, past the numbers the walk reached):
// when every row's did, no two rows share a name.
func (n *rowNumbers) number(s store.Seq, name []byte) (num int, numbered, matched bool, err error) {
	if n.joined == nil {
		if num, ok := n.walk(name); ok {
			return num, true, true, nil
		}
		if n.joined, err = n.v.numbersBySeq(n.phase, n.t); err != nil {
			return 0, false, false, err
		}
	}
	num, numbered, paired := n.joined.number(s, name)
	reached := 0
	if n.next > 0 {
		reached = n.inOrder[n.next-1].num
	}
	return num, numbered, paired && num > reached, nil
}

// walk numbers the next row from the number rows: the next one, one a
// little further (those before it put aside), or one put aside.
func (n *rowNumbers) walk(name []byte) (int, bool) {
	for k := 0; k < walkAhead && n.next+k < len(n.inOrder); k++ {
		if !bytes.Equal(n.inOrder[n.next+k].name, name) {
			continue
		}
		if len(n.aside)+k > walkAside {
			return 0, false
		}
		for i := n.next; i < n.next+k; i++ {
			n.aside = append(n.aside, i)
		}
		n.next += k + 1
		return n.inOrder[n.next-1].num, true
	}
	for i, j := range n.aside {
		if bytes.Equal(n.inOrder[j].name, name) {
			n.aside = slices.Delete(n.aside, i, i+1)
			return n.inOrder[j].num, true
		}
	}
	return 0, false
}
