package store

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func openTestDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "lab.db"), time.Second, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Len counts rows only (not index entries), including rows written
// earlier in the same transaction, and follows overwrites and deletes.
func TestTableLenCountsRowsOnly(t *testing.T) {
	db := inTable(t, func(tb *Table) error {
		for _, name := range []string{"a", "b", "c"} {
			s, err := tb.Append([]byte(name))
			if err != nil {
				return err
			}
			if err := tb.SetIndex(name, s); err != nil {
				return err
			}
			if err := tb.AddSeqIndex("all", s); err != nil {
				return err
			}
		}
		if n := tb.Len(); n != 3 {
			t.Errorf("Len after 3 appends in the same transaction: %d", n)
		}
		if err := tb.PutRow(2, []byte("b2")); err != nil { // overwrite: no new row
			return err
		}
		if err := tb.DeleteRow(1); err != nil {
			return err
		}
		if err := tb.DeleteRow(99); err != nil { // absent: no change
			return err
		}
		if n := tb.Len(); n != 2 {
			t.Errorf("Len after an overwrite and a delete: %d, want 2", n)
		}
		return nil
	})
	err := db.View(func(tx *Tx) error {
		hb, _ := tx.Host("h")
		if n := hb.Table("t").Len(); n != 2 {
			t.Errorf("Len in the next transaction: %d, want 2", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A scan that finds another number of rows than the count (a damaged
// page dropped some, or the count itself went) reports the damage.
func TestTableScanChecksCount(t *testing.T) {
	db := openTestDB(t)
	err := db.Update(func(tx *Tx) error {
		h, err := tx.CreateHost("h")
		if err != nil {
			return err
		}
		tb, err := h.CreateTable("t")
		if err != nil {
			return err
		}
		for range 3 {
			if _, err := tb.Append([]byte("x")); err != nil {
				return err
			}
		}
		if err := tb.Scan(func(Seq, []byte) error { return nil }); err != nil {
			t.Errorf("sound table: %v", err)
		}
		if err := tb.b.Delete(seqKey(2)); err != nil {
			return err
		}
		if err := tb.Scan(func(Seq, []byte) error { return nil }); !errors.Is(err, ErrDamaged) {
			t.Errorf("a row gone behind the count: %v", err)
		}
		if err := tb.b.Delete(rowCountKey); err != nil {
			return err
		}
		if err := tb.Scan(func(Seq, []byte) error { return nil }); !errors.Is(err, ErrDamaged) {
			t.Errorf("rows without a count: %v", err)
		}
		return nil
	})
	// The damage fails the transaction, though fn returned nil.
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("transaction: %v", err)
	}
}

func TestSeqIndexNewestFirstPerName(t *testing.T) {
	inTable(t, func(tb *Table) error {
		// "p 1" is a prefix of "p 12": their entries must not mix.
		for s, name := range map[Seq]string{1: "p 1", 2: "p 12", 3: "p 1", 4: "p 12", 5: "p 1", 6: "q"} {
			if err := tb.AddSeqIndex(name, s); err != nil {
				return err
			}
		}
		if err := tb.DeleteSeqIndex("p 1", 5); err != nil {
			return err
		}
		for name, want := range map[string][]Seq{"p 1": {3, 1}, "p 12": {4, 2}, "q": {6}, "p": nil, "r": nil} {
			var got []Seq
			err := tb.ScanSeqIndexReverse(name, func(s Seq) (bool, error) { got = append(got, s); return true, nil })
			if err != nil {
				return err
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q: %v, want %v", name, got, want)
			}
		}
		var first []Seq
		err := tb.ScanSeqIndexReverse("p 12", func(s Seq) (bool, error) { first = append(first, s); return false, nil })
		if !slices.Equal(first, []Seq{4}) {
			t.Errorf("stop after the first: %v", first)
		}
		return err
	})
}

// SetIndexes records every entry whatever their order, a later entry for
// a name winning, as SetIndex one by one would.
func TestTableSetIndexes(t *testing.T) {
	inTable(t, func(tb *Table) error {
		if err := tb.SetIndexes([]IndexEntry{{"rule 10", 1}, {"rule 2", 2}, {"a", 3}, {"rule 2", 4}}); err != nil {
			return err
		}
		for name, want := range map[string]Seq{"rule 10": 1, "rule 2": 4, "a": 3} {
			if s, ok, err := tb.Lookup(name); err != nil || !ok || s != want {
				t.Errorf("Lookup(%q) = %d, %v; want %d", name, s, ok, want)
			}
		}
		return nil
	})
}

// DropOldest deletes the first rows in order, past index entries, and
// keeps the count true, so a whole scan still agrees with it.
func TestTableDropOldest(t *testing.T) {
	inTable(t, func(tb *Table) error {
		for i := range 10 {
			s, err := tb.Append([]byte{byte(i)})
			if err != nil {
				return err
			}
			if err := tb.AddSeqIndex("all", s); err != nil {
				return err
			}
		}
		if err := tb.DropOldest(4); err != nil {
			return err
		}
		var left []byte
		if err := tb.Scan(func(_ Seq, raw []byte) error { left = append(left, raw[0]); return nil }); err != nil {
			return err
		}
		if !slices.Equal(left, []byte{4, 5, 6, 7, 8, 9}) || tb.Len() != 6 {
			t.Errorf("left %v, Len %d", left, tb.Len())
		}
		if err := tb.DropOldest(100); err != nil || tb.Len() != 0 {
			t.Errorf("drop past the end: %v, Len %d", err, tb.Len())
		}
		return nil
	})
}

// ScanIndex gives every entry in name order, bytewise, and an entry
// whose checksum fails ends it with a DamagedError.
func TestTableScanIndex(t *testing.T) {
	db := openTestDB(t)
	err := db.Update(func(tx *Tx) error {
		h, err := tx.CreateHost("h")
		if err != nil {
			return err
		}
		tb, err := h.CreateTable("t")
		if err != nil {
			return err
		}
		if err := tb.SetIndexes([]IndexEntry{{"rule 10", 1}, {"rule 2", 2}, {"a", 3}, {"B", 4}}); err != nil {
			return err
		}
		var got []IndexEntry
		err = tb.ScanIndex(func(name []byte, s Seq) error {
			got = append(got, IndexEntry{string(name), s})
			return nil
		})
		want := []IndexEntry{{"B", 4}, {"a", 3}, {"rule 10", 1}, {"rule 2", 2}}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ScanIndex = %v, %v; want %v", got, err, want)
		}
		ib, err := tb.subBucket(indexName)
		if err != nil {
			return err
		}
		if err := ib.Put([]byte("m"), seqKey(9)); err != nil { // no checksum
			return err
		}
		n := 0
		err = tb.ScanIndex(func([]byte, Seq) error { n++; return nil })
		if de := (*DamagedError)(nil); !errors.As(err, &de) || n != 2 {
			t.Errorf("ScanIndex past a bad entry: %v after %d entries; want damage after 2", err, n)
		}
		return nil
	})
	var de *DamagedError
	if !errors.As(err, &de) {
		t.Errorf("the transaction that met damage returned %v", err)
	}
}

// inTable runs fn on a new table "t" of host "h" in one write
// transaction of a new database, and returns the database.
func inTable(t *testing.T, fn func(tb *Table) error) *DB {
	t.Helper()
	db := openTestDB(t)
	err := db.Update(func(tx *Tx) error {
		h, err := tx.CreateHost("h")
		if err != nil {
			return err
		}
		tb, err := h.CreateTable("t")
		if err != nil {
			return err
		}
		return fn(tb)
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}
