package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SalvageReport says what a salvage copied and what it left behind.
type SalvageReport struct {
	Copied  int
	Dropped []string // one line per place: "host sol, table p1sa: 2 records fail their checksum"
}

// Salvage copies every record of the lab file src whose checksum holds
// into a new lab file dst, which must not exist. src is read from a
// private copy, so it stays byte for byte as it was, whatever bbolt
// would do on opening it. Index entries whose row was lost are dropped
// with it, every table's rows are counted afresh, and a truncated file
// is read as far as it goes.
func Salvage(src, dst string) (*SalvageReport, error) {
	if _, err := os.Lstat(dst); err == nil {
		return nil, fmt.Errorf("salvage into %s: %w", dst, os.ErrExist)
	}
	scratch, err := scratchCopy(src, filepath.Dir(dst))
	if err != nil {
		return nil, err
	}
	defer os.Remove(scratch)
	var from *bolt.DB
	err = guard(src, func() (err error) {
		from, err = bolt.Open(scratch, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("salvage %s: bbolt cannot read it (%v): nothing to copy", src, err)
	}
	defer from.Close()
	to, err := Open(dst, time.Second, false)
	if err != nil {
		return nil, err
	}
	rep := &SalvageReport{}
	err = to.Update(func(tx *Tx) error {
		return guard(src, func() error {
			return from.View(func(btx *bolt.Tx) error { return salvageAll(btx, tx, rep) })
		})
	})
	if cerr := to.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return nil, err
	}
	return rep, nil
}

// scratchCopy copies src into dir, extended to the size its newest meta
// page claims, so bbolt finds zeroed (unreadable) pages past a
// truncation instead of the end of the mapping.
func scratchCopy(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("salvage: %w", err)
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, ".salvage-*.db")
	if err != nil {
		return "", fmt.Errorf("salvage: %w", err)
	}
	name := out.Name()
	_, err = io.Copy(out, in)
	if err == nil {
		err = extendToMeta(out)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", fmt.Errorf("salvage: copy %s: %w", src, err)
	}
	return name, nil
}

func extendToMeta(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	first := make([]byte, pageHeaderSize+metaSize+8)
	if _, err := f.ReadAt(first, 0); err != nil {
		return nil
	}
	var need int64
	for _, off := range []int64{0, -1} {
		b := first
		if off < 0 {
			m0, _ := decodeMeta(first[pageHeaderSize:])
			if m0.pageSize < minPageSize || m0.pageSize > maxPageSize {
				m0.pageSize = 4096
			}
			b = make([]byte, len(first))
			if _, err := f.ReadAt(b, int64(m0.pageSize)); err != nil {
				break
			}
		}
		if m, ok := decodeMeta(b[pageHeaderSize:]); ok {
			need = max(need, int64(m.pgid)*int64(m.pageSize))
		}
	}
	if need > fi.Size() && need < 1<<40 {
		return f.Truncate(need)
	}
	return nil
}

// salvageAll copies the meta records and every host.
func salvageAll(from *bolt.Tx, to *Tx, rep *SalvageReport) error {
	if mb := from.Bucket(metaBucket); mb != nil {
		src := &Bucket{b: mb, sum: pathSum(0).child(metaBucket), at: where{path: "meta"}}
		if err := salvageRecords(src, to.Meta(), rep, func(k []byte) bool { return string(k) != string(schemaKey) }); err != nil {
			return err
		}
	}
	hb := from.Bucket(hostsBucket)
	if hb == nil {
		rep.Dropped = append(rep.Dropped, "the hosts bucket is missing")
		return nil
	}
	hosts := &Bucket{b: hb, sum: pathSum(0).child(hostsBucket)}
	return salvageSubs(hosts, to.hosts(), 1, rep)
}

// salvageSubs copies each sub-bucket of src (hosts, tables, indexes)
// into dst, and reports those src lists but bbolt does not find.
func salvageSubs(src, dst *Bucket, depth int, rep *SalvageReport) error {
	var found []string
	_ = protect(func() {
		c := src.b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				found = append(found, string(k))
			}
		}
	})
	listed, err := src.manifest()
	if err != nil {
		rep.Dropped = append(rep.Dropped, err.(*DamagedError).Why)
	}
	for _, name := range listed {
		if !slices.Contains(found, name) {
			rep.Dropped = append(rep.Dropped, src.at.under(label(depth, name)).path+": missing")
		}
	}
	for _, name := range found {
		s := src.child(src.b.Bucket([]byte(name)), name, label(depth, name))
		sub, err := dst.createSub(name)
		if err != nil {
			return err
		}
		d := dst.child(sub, name, label(depth, name))
		if depth == 2 {
			err = salvageTable(s, d, rep)
		} else {
			if err = salvageRecords(s, d, rep, func([]byte) bool { return true }); err == nil {
				err = salvageSubs(s, d, depth+1, rep)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// salvageRecords copies the sealed values of src whose checksum holds
// (and keep accepts), leaving the sub-bucket list to createSub.
func salvageRecords(src, dst *Bucket, rep *SalvageReport, keep func([]byte) bool) (err error) {
	bad := 0
	var copied []string
	unreadable := protect(func() {
		c := src.b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil || string(k) == string(manifestKey) || string(k) == string(recordsKey) || !keep(k) {
				continue
			}
			if _, ok := src.sum.unseal(k, v); !ok {
				bad++
				continue
			}
			if err = dst.b.Put(slices.Clone(k), slices.Clone(v)); err != nil {
				return
			}
			copied = append(copied, string(k))
			rep.Copied++
		}
	})
	rep.note(src.at, bad, unreadable)
	if err != nil {
		return err
	}
	listed, _ := dst.names(recordsKey) // the new lab's own records (meta)
	for _, k := range copied {
		if !slices.Contains(listed, k) {
			listed = append(listed, k)
		}
	}
	return dst.putNames(recordsKey, listed)
}

// salvageTable copies a table's sound rows, then the index entries of
// the rows it copied, and counts the rows.
func salvageTable(src, dst *Bucket, rep *SalvageReport) error {
	lost := map[string]bool{} // rows that fail their checksum
	bad, rows, seq := 0, uint64(0), uint64(0)
	var err error
	unreadable := protect(func() {
		c := src.b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil || string(k) == string(manifestKey) || string(k) == string(rowCountKey) {
				continue
			}
			if _, ok := src.sum.unseal(k, v); !ok {
				if len(k) == 8 {
					lost[string(k)] = true
				}
				bad++
				continue
			}
			if err = dst.b.Put(slices.Clone(k), slices.Clone(v)); err != nil {
				return
			}
			if len(k) == 8 {
				rows++
				seq = max(seq, beUint64(string(k)))
			}
			rep.Copied++
		}
	})
	rep.note(src.at, bad, unreadable)
	if err != nil {
		return err
	}
	t := &Table{Bucket: dst}
	if err := t.putCount(rows); err != nil {
		return err
	}
	if err := dst.b.SetSequence(max(seq, src.b.Sequence())); err != nil {
		return err
	}
	for _, index := range []string{indexName, seqIndexName} {
		if err := salvageIndex(src, dst, index, lost, rep); err != nil {
			return err
		}
	}
	return nil
}

// salvageIndex copies an index's sound entries but those of rows that
// were lost (an index may name rows that never were: kmc numbers labels).
func salvageIndex(src, dst *Bucket, index string, lost map[string]bool, rep *SalvageReport) error {
	ib := src.b.Bucket([]byte(index))
	if ib == nil {
		return nil
	}
	s := src.child(ib, index, label(3, index))
	var sub *bolt.Bucket
	var err error
	bad, orphans := 0, 0
	unreadable := protect(func() {
		c := ib.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				continue
			}
			payload, ok := s.sum.unseal(k, v)
			if !ok {
				bad++
				continue
			}
			if row, ok := rowOf(index, k, payload); !ok || lost[string(row)] {
				orphans++
				continue
			}
			if sub == nil {
				if sub, err = dst.createSub(index); err != nil {
					return
				}
			}
			if err = sub.Put(slices.Clone(k), slices.Clone(v)); err != nil {
				return
			}
		}
	})
	rep.note(s.at, bad, unreadable)
	if orphans > 0 {
		rep.Dropped = append(rep.Dropped, fmt.Sprintf("%s: %d entries of rows that were lost", s.at.path, orphans))
	}
	return err
}

func (r *SalvageReport) note(at where, bad int, unreadable error) {
	if bad > 0 {
		r.Dropped = append(r.Dropped, fmt.Sprintf("%s: %d records fail their checksum", at.path, bad))
	}
	if unreadable != nil {
		r.Dropped = append(r.Dropped, fmt.Sprintf("%s: the rest is unreadable (%v)", at.path, unreadable))
	}
}

// protect runs fn, turning a panic or fault inside bbolt (a damaged
// page) into an error, so that a salvage goes on with the next bucket.
func protect(fn func()) error {
	err := guard("", func() error { fn(); return nil })
	var de *DamagedError
	if errors.As(err, &de) {
		return errors.New(de.Why)
	}
	return err
}

func beUint64(k string) uint64 {
	var n uint64
	for i := 0; i < len(k); i++ {
		n = n<<8 | uint64(k[i])
	}
	return n
}
