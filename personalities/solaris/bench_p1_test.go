package solaris

import (
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
)

// fillPhase1SAs stores n synthetic SAs on the lab's local host, in
// batches of one transaction each, as negotiation would leave them.
func fillPhase1SAs(tb testing.TB, labDir string, n int) {
	l, err := lab.Open(benchProc(labDir, io.Discard), nil)
	if err != nil {
		tb.Fatal(err)
	}
	key := func(i, j int) []byte {
		b := make([]byte, 20)
		binary.BigEndian.PutUint64(b, uint64(i*8+j))
		return b
	}
	for start := 0; start < n; start += 10000 {
		err := l.Host(func(h *engine.Host) error {
			for i := start; i < min(start+10000, n); i++ {
				local := netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)})
				remote := netip.AddrFrom4([4]byte{10, 2, byte(i >> 8), byte(i)})
				sa := &engine.Phase1SA{
					CookieI: uint64(i)<<32 | 0xabcd, CookieR: uint64(i)<<32 | 0x1234, Initiator: i%2 == 0,
					Mode: engine.XchgMain, Created: h.Now(), PFS: 2, LocalPort: 500, RemotePort: 500,
					Xform: engine.Transform{Auth: engine.AuthPreshared, Cipher: engine.CipherAES, KeyMax: 256,
						Hash: engine.HashSHA256, Group: 14, LifetimeSecs: 86400},
					Local: engine.AddrRange{First: local, Last: local}, Remote: engine.AddrRange{First: remote, Last: remote},
					PolicyLabel: fmt.Sprintf("rule %d", i%100), QMCreated: 1,
					Keys: engine.Phase1Keys{PSK: key(i, 0)[:16], SKEYID: key(i, 1), SKEYIDd: key(i, 2),
						SKEYIDa: key(i, 3), SKEYIDe: key(i, 4), EncKey: append(key(i, 5), key(i, 6)[:12]...), IV: key(i, 7)[:16]},
				}
				if err := h.SAs().AddPhase1(sa); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// TestFillBenchLab builds the 100,000-SA lab scripts/bench times whole
// commands on; it runs only when IKEMU_BENCH_LAB names the lab to build.
func TestFillBenchLab(t *testing.T) {
	dir := os.Getenv("IKEMU_BENCH_LAB")
	if dir == "" {
		t.Skip("IKEMU_BENCH_LAB not set")
	}
	n := 100000
	if s := os.Getenv("IKEMU_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	fillPhase1SAs(t, dir, n)
}

// BenchmarkDumpP1_100000 is "ikeadm dump p1" of 100,000 SAs at keymat
// (target: 1.5 s, peak RSS 64 MiB measured by scripts/bench).
func BenchmarkDumpP1_100000(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "lab")
	fillPhase1SAs(b, dir, 100000)
	p := benchProc(dir, io.Discard)
	b.ResetTimer()
	for b.Loop() {
		runIkeadm(b, p, "-n", "dump", "p1")
	}
}

// BenchmarkGetP1ByCookie is "ikeadm get p1 <cookies>" among 100,000 SAs:
// an index lookup, not a scan (target: 5 ms beyond a bare invocation).
func BenchmarkGetP1ByCookie(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "lab")
	fillPhase1SAs(b, dir, 100000)
	p := benchProc(dir, io.Discard)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		n := uint64(i*7919%100000) << 32
		runIkeadm(b, p, "-n", "get", "p1", fmt.Sprintf("0x%x", n|0xabcd), fmt.Sprintf("0x%x", n|0x1234))
		i++
	}
}

// BenchmarkGetPriv is a bare invocation, the baseline of the above.
func BenchmarkGetPriv(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "lab")
	fillPhase1SAs(b, dir, 100000)
	p := benchProc(dir, io.Discard)
	b.ResetTimer()
	for b.Loop() {
		runIkeadm(b, p, "get", "priv")
	}
}

// BenchmarkAcquire1000 negotiates 1,000 phase 1 SAs (group 14, real DH
// and key derivation, one transaction each) between the address pairs of
// two lab hosts (target: 5 s in all).
func BenchmarkAcquire1000(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		l, pairs := acquireLab(b)
		b.StartTimer()
		start := time.Now()
		for _, pr := range pairs {
			err := l.Host(func(h *engine.Host) error {
				_, _, err := h.Acquire(pr[0], pr[1])
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/1000-acquires")
	}
}

// acquireLab makes hosts "local" (10.1.0.1-32) and "peer" (10.2.0.1-32)
// with a group 14 rule and key each way, and 1,000 distinct pairs.
func acquireLab(tb testing.TB) (*lab.Lab, [][2]netip.Addr) {
	dir := filepath.Join(tb.TempDir(), "lab")
	l, err := lab.Open(benchProc(dir, io.Discard), nil)
	if err != nil {
		tb.Fatal(err)
	}
	var as, bs []netip.Addr
	for i := 1; i <= 32; i++ {
		as = append(as, netip.AddrFrom4([4]byte{10, 1, 0, byte(i)}))
		bs = append(bs, netip.AddrFrom4([4]byte{10, 2, 0, byte(i)}))
	}
	xf := []engine.Transform{{Auth: engine.AuthPreshared, Cipher: engine.CipherAES, KeyMin: 128, KeyMax: 256, Hash: engine.HashSHA256, Group: 14, LifetimeSecs: 3600}}
	rule := func(label, local, remote string) engine.Phase1Policy {
		lp, rp := netip.MustParsePrefix(local), netip.MustParsePrefix(remote)
		return engine.Phase1Policy{Label: label, Mode: engine.XchgAny, LocalIDType: engine.IDIPv4, P1NonceLen: 32,
			LocalAddrs:  []engine.AddrRange{{First: lp.Addr(), Last: netip.MustParseAddr(lastOf(lp))}},
			RemoteAddrs: []engine.AddrRange{{First: rp.Addr(), Last: netip.MustParseAddr(lastOf(rp))}}, Transforms: xf}
	}
	psk := func(local, remote string) engine.PresharedKey {
		lp, rp := netip.MustParsePrefix(local), netip.MustParsePrefix(remote)
		return engine.PresharedKey{Mode: engine.XchgBase, LocalIDType: engine.IDIPv4, LocalAddr: lp.Addr(), LocalPlen: lp.Bits(),
			RemoteIDType: engine.IDIPv4, RemoteAddr: rp.Addr(), RemotePlen: rp.Bits(), Key: []byte("0123456789abcdef"), KeyBits: 128}
	}
	err = l.Update(func(tx *engine.Tx) error {
		if err := l.AddHost(tx, engine.HostInfo{Name: "peer", Addrs: bs}); err != nil {
			return err
		}
		h, err := tx.Host("local")
		if err != nil {
			return err
		}
		h.Info.Addrs = append(h.Info.Addrs, as...)
		if err := h.SetInfo(h.Info); err != nil {
			return err
		}
		p, err := tx.Host("peer")
		if err != nil {
			return err
		}
		for _, side := range []struct {
			h             *engine.Host
			local, remote string
		}{{h, "10.1.0.0/24", "10.2.0.0/24"}, {p, "10.2.0.0/24", "10.1.0.0/24"}} {
			if err := side.h.Policies().ReplacePhase1("solaris", []engine.Phase1Policy{rule("r", side.local, side.remote)}, engine.GlobalConfig{}); err != nil {
				return err
			}
			if err := side.h.Keys().Replace("solaris", []engine.PresharedKey{psk(side.local, side.remote)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	var pairs [][2]netip.Addr
	for _, a := range as {
		for _, b := range bs {
			if len(pairs) < 1000 {
				pairs = append(pairs, [2]netip.Addr{a, b})
			}
		}
	}
	return l, pairs
}

func lastOf(p netip.Prefix) string {
	a := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := binary.BigEndian.Uint32(a[:]) | host
	binary.BigEndian.PutUint32(a[:], v)
	return netip.AddrFrom4(a).String()
}
