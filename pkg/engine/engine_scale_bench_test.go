//go:build unix

package engine_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// scaleSizes are the numbers of phase 1 (and phase 2) SAs each host
// already holds when the measured acquires run.
var scaleSizes = []int{1_000, 10_000, 100_000}

const (
	scaleRounds   = 10 // rounds, each running every size in turn
	scalePerRound = 20 // acquires per size per round, in one transaction
	scaleHostA    = 20 // addresses of host a (10.1.0.x)
	scaleHostB    = 10 // addresses of host b (10.2.0.x): 200 distinct pairs
	// scaleReusePasses is how often the reuse pass goes over the pairs:
	// an acquire that reuses its SA is cheap, so it needs more samples.
	scaleReusePasses = 5
)

// BenchmarkAcquireAtScale measures the cost of an ACQUIRE between two lab
// hosts that already hold 1k, 10k and 100k SAs each: first 200 that
// negotiate a new phase 1 SA (group 2 Diffie-Hellman) and its Quick Mode,
// then 1,000 that reuse those SAs and run Quick Mode only. The sizes run
// interleaved, round by round, so a noisy machine weighs on all of them
// alike. It reports wall and CPU (getrusage) time per acquire for each
// size, and the 100k/1k ratios, which must stay within 1.3 (linear).
func BenchmarkAcquireAtScale(b *testing.B) {
	labs := make([]*scaleLab, len(scaleSizes))
	for i, n := range scaleSizes {
		labs[i] = newScaleLab(b, n)
	}
	b.ResetTimer()
	for b.Loop() {
		var neg, reuse [3]cost
		for r := range scaleRounds {
			pairs := scalePairs()[r*scalePerRound : (r+1)*scalePerRound]
			for i, l := range labs {
				neg[i] = neg[i].add(l.acquireBatch(b, pairs, false))
			}
		}
		for r := range scaleReusePasses * scaleRounds {
			pairs := scalePairs()[r%scaleRounds*scalePerRound : (r%scaleRounds+1)*scalePerRound]
			for i, l := range labs {
				reuse[i] = reuse[i].add(l.acquireBatch(b, pairs, true))
			}
		}
		b.StopTimer()
		for _, l := range labs {
			l.forgetMeasured(b)
		}
		b.StartTimer()
		report(b, "negotiate", neg)
		report(b, "reuse", reuse)
	}
}

// cost is time spent on some number of acquires.
type cost struct {
	wall, cpu time.Duration
	n         int
}

func (c cost) add(d cost) cost { return cost{c.wall + d.wall, c.cpu + d.cpu, c.n + d.n} }

func (c cost) perItem() (wall, cpu float64) {
	return float64(c.wall.Microseconds()) / float64(c.n), float64(c.cpu.Microseconds()) / float64(c.n)
}

func report(b *testing.B, what string, cs [3]cost) {
	for i, c := range cs {
		w, u := c.perItem()
		b.ReportMetric(w, fmt.Sprintf("%s-wall-µs/acq@%dk", what, scaleSizes[i]/1000))
		b.ReportMetric(u, fmt.Sprintf("%s-cpu-µs/acq@%dk", what, scaleSizes[i]/1000))
	}
	w0, u0 := cs[0].perItem()
	w2, u2 := cs[2].perItem()
	b.ReportMetric(w2/w0, what+"-wall-100k/1k")
	b.ReportMetric(u2/u0, what+"-cpu-100k/1k")
}

// cpuTime is the process's user plus system time.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// scaleLab is two lab hosts, a and b, each with a rule and a key for the
// other's addresses and n SAs with outside peers already in place.
type scaleLab struct {
	db       *store.DB
	seed     uint64
	measured [][2]uint64 // cookies of the SAs the measured acquires made
}

func newScaleLab(b *testing.B, n int) *scaleLab {
	b.Helper()
	db, err := store.Open(b.TempDir()+"/lab.db", time.Second, false)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	l := &scaleLab{db: db, seed: uint64(n)}
	l.update(b, func(tx *engine.Tx) error {
		if err := scaleHost(tx, "a", 1, scaleHostA, 2, scaleHostB); err != nil {
			return err
		}
		return scaleHost(tx, "b", 2, scaleHostB, 1, scaleHostA)
	})
	const chunk = 10_000
	for from := 0; from < n; from += chunk {
		l.update(b, func(tx *engine.Tx) error { return prefill(tx, from, min(from+chunk, n)) })
	}
	return l
}

func (l *scaleLab) update(b *testing.B, fn func(*engine.Tx) error) {
	b.Helper()
	l.seed++
	err := l.db.Update(func(st *store.Tx) error {
		return fn(engine.NewTx(st, labClock, rand.NewChaCha8(seed32(l.seed))))
	})
	if err != nil {
		b.Fatal(err)
	}
}

// scaleHost adds host name owning 10.<net>.0.1-count, with a group 2
// rule and a key towards 10.<peerNet>.0.1-peerCount.
func scaleHost(tx *engine.Tx, name string, net byte, count int, peerNet byte, peerCount int) error {
	info := engine.HostInfo{Name: name}
	for i := 1; i <= count; i++ {
		info.Addrs = append(info.Addrs, netip.AddrFrom4([4]byte{10, net, 0, byte(i)}))
	}
	h, err := tx.AddHost(info, engine.Daemon{Running: true, PID: 100})
	if err != nil {
		return err
	}
	local := fmt.Sprintf("10.%d.0.1", net)
	remote := fmt.Sprintf("10.%d.0.1", peerNet)
	r := rule("to-"+remote, "solaris",
		[]engine.AddrRange{span(local, fmt.Sprintf("10.%d.0.%d", net, count))},
		[]engine.AddrRange{span(remote, fmt.Sprintf("10.%d.0.%d", peerNet, peerCount))})
	if err := h.Policies().ReplacePhase1("solaris", []engine.Phase1Policy{r}, engine.GlobalConfig{}); err != nil {
		return err
	}
	return h.Keys().Replace("solaris", []engine.PresharedKey{
		psk(fmt.Sprintf("10.%d.0.0", net), 16, fmt.Sprintf("10.%d.0.0", peerNet), 16, "secret", "solaris")})
}

// prefill gives both hosts SAs from..to-1 with outside peers (172.16/12),
// each a live phase 1 SA and a phase 2 SA under it.
func prefill(tx *engine.Tx, from, to int) error {
	for _, name := range []string{"a", "b"} {
		h, err := tx.Host(name)
		if err != nil {
			return err
		}
		local := engine.AddrRange{First: h.Info.Addrs[0], Last: h.Info.Addrs[0]}
		for i := from; i < to; i++ {
			a := netip.AddrFrom4([4]byte{172, 16 + byte(i>>16), byte(i >> 8), byte(i)})
			peer := engine.AddrRange{First: a, Last: a}
			p1 := &engine.Phase1SA{CookieI: uint64(i) + 1, CookieR: 0xfeed<<48 | uint64(i), TunnelNum: uint32(i + 1),
				Created: labClock, Local: local, Remote: peer, Initiator: true,
				Xform: engine.Transform{Auth: engine.AuthPreshared, Cipher: engine.CipherAES, KeyMax: 128,
					Hash: engine.HashSHA1, Group: 2, LifetimeSecs: 28800}}
			if err := h.SAs().AddPhase1(p1); err != nil {
				return err
			}
			p2 := &engine.Phase2SA{TunnelNum: uint32(i + 1), P1TunnelNum: p1.TunnelNum, CookieI: p1.CookieI,
				CookieR: p1.CookieR, Initiator: true, Created: labClock, LifetimeSecs: 28800,
				Local: local, Remote: peer, SPIIn: uint32(i) | 0x100, SPIOut: uint32(i) | 0x200}
			if err := h.SAs().AddPhase2(p2); err != nil {
				return err
			}
		}
	}
	return nil
}

// scalePairs are the 200 distinct address pairs a -> b the measured
// acquires run between.
func scalePairs() [][2]netip.Addr {
	var out [][2]netip.Addr
	for i := 1; i <= scaleHostA; i++ {
		for j := 1; j <= scaleHostB; j++ {
			out = append(out, [2]netip.Addr{netip.AddrFrom4([4]byte{10, 1, 0, byte(i)}), netip.AddrFrom4([4]byte{10, 2, 0, byte(j)})})
		}
	}
	return out
}

// acquireBatch runs one acquire per pair on host a in one transaction
// and returns what it cost, commit included. reuse says whether each
// must find a live SA (the second pass) or negotiate one (the first).
func (l *scaleLab) acquireBatch(b *testing.B, pairs [][2]netip.Addr, reuse bool) cost {
	b.Helper()
	b.StopTimer()
	runtime.GC() // no collector debt of the last batch or of the setup
	b.StartTimer()
	wall, cpu := time.Now(), cpuTime(b)
	var made [][2]uint64
	l.update(b, func(tx *engine.Tx) error {
		for _, p := range pairs {
			h, err := tx.Host("a")
			if err != nil {
				return err
			}
			sa, reused, err := h.Acquire(p[0], p[1])
			if err != nil {
				return err
			}
			if reused != reuse {
				return fmt.Errorf("acquire %s -> %s: reused %v, want %v", p[0], p[1], reused, reuse)
			}
			if !reused {
				made = append(made, [2]uint64{sa.CookieI, sa.CookieR})
			}
		}
		return nil
	})
	c := cost{time.Since(wall), cpuTime(b) - cpu, len(pairs)}
	l.measured = append(l.measured, made...)
	return c
}

// forgetMeasured deletes the SAs the measured acquires negotiated, on
// both hosts, so the next iteration negotiates again at the same size.
func (l *scaleLab) forgetMeasured(b *testing.B) {
	l.update(b, func(tx *engine.Tx) error {
		for _, name := range []string{"a", "b"} {
			h, err := tx.Host(name)
			if err != nil {
				return err
			}
			for _, c := range l.measured {
				if err := h.SAs().DeletePhase1ByCookies(c[0], c[1]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	l.measured = nil
}
