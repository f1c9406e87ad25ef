package lab

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

func openTestLab(t *testing.T, timeout string) *Lab {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lab")
	l, err := Open(testProc(map[string]string{"IKEMU_LAB": dir, "IKEMU_LOCK_TIMEOUT": timeout}), nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestViewWritesNothing: a read leaves the file byte for byte as it was.
func TestViewWritesNothing(t *testing.T) {
	l := openTestLab(t, "1s")
	path := filepath.Join(l.Dir, dbName)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	err = l.HostView(func(h *engine.Host) error {
		_, err := h.Daemons().IKE()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("a read-only transaction changed lab.db")
	}
}

// TestReadersShare: a reader holding the lab does not keep another out,
// and a writer still waits for both.
func TestReadersShare(t *testing.T) {
	l := openTestLab(t, "200ms")
	release := l.Hold()
	defer release()
	if err := l.View(func(*engine.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	other := *l
	other.held, other.holding = nil, false
	if err := other.View(func(*engine.Tx) error { return nil }); err != nil {
		t.Fatalf("second reader: %v", err)
	}
	if err := other.Update(func(*engine.Tx) error { return nil }); !errors.Is(err, store.ErrBusy) {
		t.Fatalf("writer while a reader holds the lab: %v, want lab is busy", err)
	}
}

// TestViewInitialises: a read of a lab file without a schema (made by an
// interrupted first command) writes the schema first, then reads.
func TestViewInitialises(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	l := &Lab{Dir: dir, HostName: DefaultHost, lockTimeout: time.Second}
	if err := os.WriteFile(filepath.Join(dir, dbName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var hosts []string
	if err := l.View(func(tx *engine.Tx) error { var err error; hosts, err = tx.Store().HostNames(); return err }); err != nil {
		t.Fatal(err)
	}
	if len(hosts) != 0 {
		t.Errorf("hosts %v, want none", hosts)
	}
}

// TestWriterLetsReaderIn: a reader that waits while a Writer holds the
// lab gets in at the Writer's next transaction, and each transaction of
// the Writer is committed on its own.
func TestWriterLetsReaderIn(t *testing.T) {
	l := openTestLab(t, "5s")
	w := l.Writer()
	defer w.Close()
	bump := func(tx *engine.Tx) error {
		h, err := tx.Host(DefaultHost)
		if err != nil {
			return err
		}
		return h.Daemons().UpdateStats(func(s *engine.Stats) { s.InitAttempts++ })
	}
	if err := w.Update(bump); err != nil {
		t.Fatal(err)
	}
	reader := *l
	done := make(chan error, 1)
	var seen int
	go func() {
		done <- reader.HostView(func(h *engine.Host) error {
			s, err := h.Daemons().Stats()
			seen = int(s.InitAttempts)
			return err
		})
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if err := w.Update(bump); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			if seen < 1 {
				t.Errorf("reader saw %d attempts, want the committed ones", seen)
			}
			return
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the reader never got in between the writer's transactions")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestWriterSeedStream: a seeded lab draws the same bytes in a Writer's
// series of transactions as in one transaction, so splitting a command
// into transactions changes none of its cookies or keys.
func TestWriterSeedStream(t *testing.T) {
	draw := func(l *Lab, update func(func(*engine.Tx) error) error, sizes ...int) []byte {
		var out []byte
		for _, n := range sizes {
			err := update(func(tx *engine.Tx) error {
				b := make([]byte, n)
				_, err := tx.Rand().Read(b)
				out = append(out, b...)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	seeded := func() *Lab {
		l := openTestLab(t, "1s")
		if err := l.Update(func(tx *engine.Tx) error { return SetSeed(tx, 42) }); err != nil {
			t.Fatal(err)
		}
		return l
	}
	one := seeded()
	want := draw(one, one.Update, 100)
	two := seeded()
	w := two.Writer()
	defer w.Close()
	got := draw(two, w.Update, 10, 45, 45)
	if !bytes.Equal(got, want) {
		t.Errorf("a Writer's transactions drew\n%x\nwant\n%x", got, want)
	}
}
