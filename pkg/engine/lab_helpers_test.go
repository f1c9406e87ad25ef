package engine_test

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// labClock is the fixed lab time every test transaction starts at.
var labClock = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

// testLab is a real bbolt lab file with a fixed clock and a seeded
// source of randomness, so negotiations are reproducible.
type testLab struct {
	t    *testing.T
	db   *store.DB
	now  time.Time
	seed uint64
}

func newTestLab(t *testing.T) *testLab {
	t.Helper()
	db, err := store.Open(tempDB(t), time.Second, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &testLab{t: t, db: db, now: labClock, seed: 1}
}

// update runs fn in one write transaction at the lab's clock; an error
// fails the test.
func (l *testLab) update(fn func(tx *engine.Tx) error) {
	l.t.Helper()
	l.seed++
	err := l.db.Update(func(st *store.Tx) error {
		tx := engine.NewTx(st, l.now, rand.NewChaCha8(seed32(l.seed)))
		return fn(tx)
	})
	if err != nil {
		l.t.Fatal(err)
	}
}

// host runs fn on one host in its own transaction.
func (l *testLab) host(name string, fn func(h *engine.Host) error) {
	l.t.Helper()
	l.update(func(tx *engine.Tx) error {
		h, err := tx.Host(name)
		if err != nil {
			return err
		}
		return fn(h)
	})
}

// addHost creates a running host with the given addresses.
func (l *testLab) addHost(name string, addrs ...string) {
	l.t.Helper()
	l.update(func(tx *engine.Tx) error {
		_, err := addHostTx(tx, name, addrs...)
		return err
	})
}

// addHostTx creates a running host inside tx.
func addHostTx(tx *engine.Tx, name string, addrs ...string) (*engine.Host, error) {
	info := engine.HostInfo{Name: name}
	for _, a := range addrs {
		info.Addrs = append(info.Addrs, netip.MustParseAddr(a))
	}
	return tx.AddHost(info, engine.Daemon{Running: true, PID: 100 + len(name)})
}

func seed32(n uint64) [32]byte {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(n >> (8 * i))
	}
	return s
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func one(s string) engine.AddrRange { a := addr(s); return engine.AddrRange{First: a, Last: a} }

func span(first, last string) engine.AddrRange {
	return engine.AddrRange{First: addr(first), Last: addr(last)}
}

func netipZero() netip.Addr { return netip.Addr{} }

type netipAddr = netip.Addr
