package interop

import (
	"strings"
	"testing"
)

// BenchmarkMMQM is the wire benchmark: Main Mode + Quick Mode
// negotiations per second toward the same charon responder (side B),
// first from a charon initiator (swanctl --initiate, then --terminate),
// then from ikemu (ikemu acquire, then ikeadm flush p1), on the same
// namespaces in the same run. Each iteration is two processes on both
// sides. Run with a fixed count: go test ./interop -run X -bench MMQM -benchtime 20x.
func BenchmarkMMQM(b *testing.B) {
	skipUnlessInterop(b)
	const ike, esp, psk = "aes128-sha1-modp2048", "aes128-sha1", "bench secret"
	cp := newCharonPair(b, ike, esp)
	net := cp.net
	if err := cp.a.Load(pskConn(net.A.Addr, net.B.Addr, ike, esp, psk, false)); err != nil {
		b.Fatal(err)
	}
	if err := cp.b.Load(pskConn(net.B.Addr, net.A.Addr, ike, esp, psk, false)); err != nil {
		b.Fatal(err)
	}
	var charonRate, ikemuRate float64
	b.Run("charon-pair", func(b *testing.B) {
		for b.Loop() {
			_, _ = cp.a.Swanctl("--initiate", "--child", "lab", "--timeout", "10")
			if _, err := cp.a.Swanctl("--terminate", "--ike", "lab", "--timeout", "10"); err != nil {
				b.Fatal(err)
			}
		}
		charonRate = float64(b.N) / b.Elapsed().Seconds()
		b.ReportMetric(charonRate, "negotiations/s")
	})
	// ikemu takes side A's address and port: charon A leaves.
	cp.a.Stop()
	l := benchLab(b, net.A, net.B, psk)
	b.Run("ikemu-to-charon", func(b *testing.B) {
		for b.Loop() {
			r, err := l.Run(net.A.NS, "acquire", "--from", net.A.Addr, "--to", net.B.Addr)
			if err != nil || r.Code != 0 || !strings.Contains(r.Stdout, "quick mode SA 1 created") {
				b.Fatalf("acquire: %v %+v", err, r)
			}
			if r, err := l.Run("", "ikeadm", "flush", "p1"); err != nil || r.Code != 0 {
				b.Fatalf("flush p1: %v %+v", err, r)
			}
		}
		ikemuRate = float64(b.N) / b.Elapsed().Seconds()
		b.ReportMetric(ikemuRate, "negotiations/s")
	})
	if charonRate > 0 && ikemuRate > 0 {
		b.Logf("ikemu/charon: %.2f (%.1f vs %.1f negotiations/s)", ikemuRate/charonRate, ikemuRate, charonRate)
	}
}

// benchLab is solarisLab for a benchmark.
func benchLab(b *testing.B, a, peer Side, psk string) *Lab {
	b.Helper()
	bin, err := Ikemu(binDir)
	if err != nil {
		b.Fatal(err)
	}
	l := &Lab{Bin: bin, Dir: b.TempDir() + "/lab", Host: "sol"}
	mustRun(b, l, "host", "add", "sol", "--addr", a.Addr)
	mustRun(b, l, "peer", "set", peer.Addr, "--behavior", "wire")
	writeSolarisConfig(b, l, a, peer, "auth_method preshared oakley_group 14 auth_alg sha encr_alg aes", "", psk)
	mustRun(b, l, "daemon", "start")
	return l
}
