package ipseckey

import (
	"bytes"
	"encoding/binary"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ikemu/ikemu/personalities/solaris"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

func benchProc(dir string, out io.Writer) *proc.Proc {
	env := map[string]string{"IKEMU_LAB": dir}
	return &proc.Proc{Stdin: bytes.NewReader(nil), Stdout: out, Stderr: io.Discard,
		Getenv: func(k string) string { return env[k] }, UID: os.Geteuid()}
}

// fillBenchSAs stores n phase 1 SAs and n phase 2 SA pairs under them on
// the lab's local host, in batches of one transaction each.
func fillBenchSAs(tb testing.TB, dir string, p1, p2 int) {
	l, err := lab.Open(benchProc(dir, io.Discard), nil)
	if err != nil {
		tb.Fatal(err)
	}
	key := func(i, j, n int) []byte {
		b := make([]byte, n)
		binary.BigEndian.PutUint64(b, uint64(i*8+j))
		return b
	}
	for start := 0; start < max(p1, p2); start += 10000 {
		err := l.Host(func(h *engine.Host) error {
			for i := start; i < min(start+10000, max(p1, p2)); i++ {
				local := netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)})
				remote := netip.AddrFrom4([4]byte{10, 2, byte(i >> 8), byte(i)})
				lr, rr := engine.AddrRange{First: local, Last: local}, engine.AddrRange{First: remote, Last: remote}
				ci, cr := uint64(i)<<32|0xabcd, uint64(i)<<32|0x1234
				if i < p1 {
					sa := &engine.Phase1SA{CookieI: ci, CookieR: cr, Initiator: true, Mode: engine.XchgMain,
						Created: h.Now(), PFS: 2, LocalPort: 500, RemotePort: 500,
						Xform: engine.Transform{Auth: engine.AuthPreshared, Cipher: engine.CipherAES, KeyMax: 256,
							Hash: engine.HashSHA256, Group: 14, LifetimeSecs: 86400},
						Local: lr, Remote: rr, PolicyLabel: "rule", QMCreated: 1,
						Keys: engine.Phase1Keys{PSK: key(i, 0, 16), SKEYID: key(i, 1, 32), SKEYIDd: key(i, 2, 32),
							SKEYIDa: key(i, 3, 32), SKEYIDe: key(i, 4, 32), EncKey: key(i, 5, 32), IV: key(i, 7, 16)}}
					if err := h.SAs().AddPhase1(sa); err != nil {
						return err
					}
				}
				if i < p2 {
					sa := &engine.Phase2SA{TunnelNum: uint32(i + 1), CookieI: ci, CookieR: cr, Initiator: true,
						Created: h.Now(), LifetimeSecs: 28800, Local: lr, Remote: rr,
						Proposal: engine.P2Transform{Protocol: "ESP", Cipher: engine.CipherAES, KeyBits: 256,
							Auth: engine.HashSHA256, Encapsulate: "Transport"},
						SPIIn: uint32(i)<<8 | 1, SPIOut: uint32(i)<<8 | 2,
						Keys: engine.Phase2Keys{EncIn: key(i, 0, 32), AuthIn: key(i, 1, 32),
							EncOut: key(i, 2, 32), AuthOut: key(i, 3, 32)}}
					if err := h.SAs().AddPhase2(sa); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// TestFillBenchLab adds the 50,000 phase 2 SA pairs (100,000 SADB
// entries) scripts/bench dumps with ipseckey to the lab IKEMU_BENCH_LAB
// names; it runs only when that is set.
func TestFillBenchLab(t *testing.T) {
	dir := os.Getenv("IKEMU_BENCH_LAB")
	if dir == "" {
		t.Skip("IKEMU_BENCH_LAB not set")
	}
	fillBenchSAs(t, dir, 0, 50000)
}

// BenchmarkDumpVsIkeadmDumpP1 times "ipseckey dump" of 100,000 SAs
// (50,000 pairs, each an outbound and an inbound entry) and "ikeadm dump
// p1" of 100,000 phase 1 SAs side by side on one lab, and reports their
// ratio (target: at most 1.5) and the heap ipseckey's dump peaks at.
func BenchmarkDumpVsIkeadmDumpP1(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "lab")
	fillBenchSAs(b, dir, 100000, 50000)
	p := benchProc(dir, io.Discard)
	var ipsk, ikeadm time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if code := solaris.Ikeadm([]string{"-n", "dump", "p1"}, p); code != 0 {
			b.Fatalf("ikeadm dump p1: exit %d", code)
		}
		ikeadm += time.Since(start)
		start = time.Now()
		if code := Main([]string{"-n", "dump"}, p); code != 0 {
			b.Fatalf("ipseckey dump: exit %d", code)
		}
		ipsk += time.Since(start)
	}
	b.ReportMetric(float64(ipsk.Milliseconds())/float64(b.N), "ipseckey-ms/op")
	b.ReportMetric(float64(ikeadm.Milliseconds())/float64(b.N), "ikeadm-ms/op")
	b.ReportMetric(float64(ipsk)/float64(ikeadm), "ratio")
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapSys)/(1<<20), "heap-sys-MiB")
}
