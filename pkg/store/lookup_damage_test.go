package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A bit flipped in a name index key hides the entry from its name: the
// lookup of that name reports the damage, not "not found", while names
// that were never there stay plain misses.
func TestLookupOfFlippedIndexKeyIsDamage(t *testing.T) {
	const rows = 3000
	name := func(i int) string { return fmt.Sprintf("name-%05d", i) }
	for _, tc := range []struct {
		what string
		at   int // byte of the name flipped
	}{{"first byte (sorts elsewhere)", 0}, {"last byte (an existing name's)", 9}, {"middle byte", 6}} {
		t.Run(tc.what, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "lab.db")
			db, err := Open(path, time.Second, false)
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(func(tx *Tx) error {
				b, err := tx.CreateHost("h")
				if err != nil {
					return err
				}
				tb, err := b.CreateTable("t")
				if err != nil {
					return err
				}
				var es []IndexEntry
				for i := range rows {
					s, err := tb.Append([]byte("row"))
					if err != nil {
						return err
					}
					es = append(es, IndexEntry{Name: name(i), Seq: s})
				}
				return tb.SetIndexes(es)
			})
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			victim := name(1234)
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for i := 0; ; {
				j := bytes.Index(raw[i:], []byte(victim))
				if j < 0 {
					break
				}
				raw[i+j+tc.at] ^= 1 // every copy, stale pages included
				i, n = i+j+len(victim), n+1
			}
			if n == 0 {
				t.Fatal("the file does not hold the name")
			}
			if err := os.WriteFile(path, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err = Open(path, time.Second, true)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			lookup := func(n string) (bool, error) {
				var ok bool
				err := db.View(func(tx *Tx) error {
					b, err := tx.Host("h")
					if err != nil {
						return err
					}
					_, ok, err = b.Table("t").Lookup(n)
					return err
				})
				return ok, err
			}
			if ok, err := lookup(victim); !errors.Is(err, ErrDamaged) {
				t.Errorf("Lookup(%q) = %v, %v; want damage", victim, ok, err)
			}
			for _, other := range []string{name(10), name(2900)} {
				if ok, err := lookup(other); err != nil || !ok {
					t.Errorf("Lookup(%q) = %v, %v; want found", other, ok, err)
				}
			}
			for _, absent := range []string{"aaa", "name-5", "zzz"} {
				if ok, err := lookup(absent); err != nil || ok {
					t.Errorf("Lookup(%q) = %v, %v; want a plain miss", absent, ok, err)
				}
			}
		})
	}
}

// A miss checks two neighbours: it costs about what a hit does, at any
// size (compare hit and miss side by side).
func BenchmarkLookup(b *testing.B) {
	for _, rows := range []int{1000, 100000} {
		path := filepath.Join(b.TempDir(), "lab.db")
		db, err := Open(path, time.Second, false)
		if err != nil {
			b.Fatal(err)
		}
		err = db.Update(func(tx *Tx) error {
			h, err := tx.CreateHost("h")
			if err != nil {
				return err
			}
			tb, err := h.CreateTable("t")
			if err != nil {
				return err
			}
			es := make([]IndexEntry, rows)
			for i := range es {
				es[i] = IndexEntry{Name: fmt.Sprintf("name-%07d", i), Seq: Seq(i + 1)}
			}
			return tb.SetIndexes(es)
		})
		if err != nil {
			b.Fatal(err)
		}
		for _, kind := range []string{"hit", "miss"} {
			b.Run(fmt.Sprintf("%s/%d", kind, rows), func(b *testing.B) {
				err := db.View(func(tx *Tx) error {
					h, err := tx.Host("h")
					if err != nil {
						return err
					}
					tb := h.Table("t")
					for i := 0; b.Loop(); i++ {
						n := fmt.Sprintf("name-%07d", i%rows)
						if kind == "miss" {
							n += "x"
						}
						if _, ok, err := tb.Lookup(n); err != nil || ok != (kind == "hit") {
							return fmt.Errorf("Lookup(%q) = %v, %v", n, ok, err)
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			})
		}
		db.Close()
	}
}
