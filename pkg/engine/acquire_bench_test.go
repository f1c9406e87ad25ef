//go:build unix

package engine_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// BenchmarkAcquire1000Group14 is 1,000 acquires between two lab hosts,
// each negotiating a new phase 1 SA with group 14 (MODP 2048) and its
// Quick Mode, in one transaction. Between iterations (off the clock) the
// SAs are deleted so each iteration negotiates again. It uses only the
// engine's public API, so the same file measures another checkout.
func BenchmarkAcquire1000Group14(b *testing.B) {
	const na, nb = 40, 25 // 1,000 distinct pairs
	db, err := store.Open(b.TempDir()+"/lab.db", time.Second, false)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	seed := uint64(0)
	update := func(fn func(*engine.Tx) error) {
		seed++
		if err := db.Update(func(st *store.Tx) error {
			return fn(engine.NewTx(st, labClock, rand.NewChaCha8(seed32(seed))))
		}); err != nil {
			b.Fatal(err)
		}
	}
	update(func(tx *engine.Tx) error {
		if err := group14Host(tx, "a", 1, na, 2, nb); err != nil {
			return err
		}
		return group14Host(tx, "b", 2, nb, 1, na)
	})
	var pairs [][2]netip.Addr
	for i := 1; i <= na; i++ {
		for j := 1; j <= nb; j++ {
			pairs = append(pairs, [2]netip.Addr{netip.AddrFrom4([4]byte{10, 1, 0, byte(i)}), netip.AddrFrom4([4]byte{10, 2, 0, byte(j)})})
		}
	}
	var cpu time.Duration
	n := 0
	b.ResetTimer()
	for b.Loop() {
		var made [][2]uint64
		start := cpuTime(b)
		update(func(tx *engine.Tx) error {
			h, err := tx.Host("a")
			if err != nil {
				return err
			}
			for _, p := range pairs {
				sa, reused, err := h.Acquire(p[0], p[1])
				if err != nil {
					return err
				}
				if reused {
					return fmt.Errorf("%s -> %s reused an SA", p[0], p[1])
				}
				made = append(made, [2]uint64{sa.CookieI, sa.CookieR})
			}
			return nil
		})
		cpu += cpuTime(b) - start
		n++
		b.StopTimer()
		update(func(tx *engine.Tx) error {
			for _, name := range []string{"a", "b"} {
				h, err := tx.Host(name)
				if err != nil {
					return err
				}
				for _, c := range made {
					if err := h.SAs().DeletePhase1ByCookies(c[0], c[1]); err != nil {
						return err
					}
				}
			}
			return nil
		})
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(n), "cpu-ms/op")
}

// group14Host adds host name owning 10.<net>.0.1-count with a group 14
// rule (AES-128, SHA-1, no PFS) and a key towards 10.<peerNet>/16.
func group14Host(tx *engine.Tx, name string, net byte, count int, peerNet byte, peerCount int) error {
	info := engine.HostInfo{Name: name}
	for i := 1; i <= count; i++ {
		info.Addrs = append(info.Addrs, netip.AddrFrom4([4]byte{10, net, 0, byte(i)}))
	}
	h, err := tx.AddHost(info, engine.Daemon{Running: true, PID: 100})
	if err != nil {
		return err
	}
	local, remote := fmt.Sprintf("10.%d.0.1", net), fmt.Sprintf("10.%d.0.1", peerNet)
	r := rule("to-"+remote, "solaris",
		[]engine.AddrRange{span(local, fmt.Sprintf("10.%d.0.%d", net, count))},
		[]engine.AddrRange{span(remote, fmt.Sprintf("10.%d.0.%d", peerNet, peerCount))})
	r.Transforms = []engine.Transform{{Auth: engine.AuthPreshared, Cipher: engine.CipherAES, KeyMax: 128,
		Hash: engine.HashSHA1, Group: 14, LifetimeSecs: 28800}}
	if err := h.Policies().ReplacePhase1("solaris", []engine.Phase1Policy{r}, engine.GlobalConfig{}); err != nil {
		return err
	}
	return h.Keys().Replace("solaris", []engine.PresharedKey{
		psk(fmt.Sprintf("10.%d.0.0", net), 16, fmt.Sprintf("10.%d.0.0", peerNet), 16, "secret", "solaris")})
}
