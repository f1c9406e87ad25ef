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

// aLab writes a small lab file with some rows and returns its bytes.
func aLab(t *testing.T) []byte {
	t.Helper()
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
		tb, err := b.CreateTable("rows")
		if err != nil {
			return err
		}
		for i := range 2000 {
			if _, err := tb.Append(bytes.Repeat([]byte{byte(i)}, 100)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// Each damaged file is refused with a DamagedError naming it, before
// bbolt maps it, and is left byte for byte as it was.
func TestDamagedFilesAreReportedAndLeftAlone(t *testing.T) {
	good := aLab(t)
	const page = 4096
	cases := map[string]func([]byte) []byte{
		"truncated to 8192": func(b []byte) []byte { return b[:8192] },
		"truncated to 100":  func(b []byte) []byte { return b[:100] },
		"truncated to half": func(b []byte) []byte { return b[:len(b)/2] },
		"zeroed first meta": func(b []byte) []byte {
			copy(b[16:page], make([]byte, page-16))
			return b
		},
		"zeroed second meta": func(b []byte) []byte {
			copy(b[page:2*page], make([]byte, page))
			return b
		},
		"garbage": func(b []byte) []byte {
			for i := range b {
				b[i] = byte(i*7 + 3)
			}
			return b
		},
	}
	for bit := 0; bit < 64*8; bit += 37 {
		cases[fmt.Sprintf("meta bit %d flipped", bit)] = func(b []byte) []byte {
			b[16+bit/8] ^= 1 << (bit % 8)
			return b
		}
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "lab.db")
			bad := damage(append([]byte(nil), good...))
			if err := os.WriteFile(path, bad, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, ro := range []bool{false, true} {
				db, err := Open(path, time.Second, ro)
				if err == nil {
					db.Close()
					t.Fatalf("read-only %v: opened", ro)
				}
				var de *DamagedError
				if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) || de.Path != path {
					t.Fatalf("read-only %v: %v", ro, err)
				}
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, bad) {
				t.Error("the damaged file changed")
			}
		})
	}
}

// A sound file passes the check, however large it grew.
func TestSoundFilePassesCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.db")
	if err := os.WriteFile(path, aLab(t), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := checkFile(path); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, time.Second, true)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}
