package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.db")
	db, err := Open(path, time.Second, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *Tx) error { return tx.SetSchemaVersion(SchemaVersion + 1) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(path, time.Second, false)
	var newer *ErrNewerSchema
	if !errors.As(err, &newer) {
		t.Fatalf("open of a newer lab: got %v, want ErrNewerSchema", err)
	}
	want := "lab schema version 3 is newer than this ikemu supports (2); upgrade ikemu"
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func TestBusyAfterTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.db")
	holder, err := Open(path, time.Second, false)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	start := time.Now()
	_, err = Open(path, 200*time.Millisecond, false)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("second open: got %v, want ErrBusy", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > 3*time.Second {
		t.Errorf("waited %v, want about the 200ms timeout", d)
	}
}

func TestTableOrderAndIndex(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "lab.db"), time.Second, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *Tx) error {
		h, err := tx.CreateHost("h")
		if err != nil {
			return err
		}
		tb, err := h.CreateTable("t")
		if err != nil {
			return err
		}
		for _, v := range []string{"a", "b", "c"} {
			s, err := tb.Append([]byte(v))
			if err != nil {
				return err
			}
			if err := tb.SetIndex(v, s); err != nil {
				return err
			}
		}
		s, _, _ := tb.Lookup("b")
		return tb.DeleteRow(s)
	})
	if err != nil {
		t.Fatal(err)
	}
	var got, rev []string
	err = db.View(func(tx *Tx) error {
		hb, err := tx.Host("h")
		if err != nil {
			return err
		}
		tb := hb.Table("t")
		if err := tb.Scan(func(_ Seq, raw []byte) error { got = append(got, string(raw)); return nil }); err != nil {
			return err
		}
		return tb.ScanReverse(func(_ Seq, raw []byte) error { rev = append(rev, string(raw)); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "c"}; !equal(got, want) {
		t.Errorf("scan %v, want %v", got, want)
	}
	if want := []string{"c", "a"}; !equal(rev, want) {
		t.Errorf("reverse scan %v, want %v", rev, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
