package ike

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/ikemu/ikemu/personalities/aix/ikedb"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

func benchProc(labDir string, out io.Writer, host string) *proc.Proc {
	env := map[string]string{"IKEMU_LAB": labDir, "IKEMU_HOST": host}
	return &proc.Proc{Stdin: bytes.NewReader(nil), Stdout: out, Stderr: io.Discard,
		Getenv: func(k string) string { return env[k] }, UID: os.Geteuid()}
}

// tunnelXML generates n IKETunnel + IPSecTunnel pairs from 10.1.i to
// 10.2.i, with one preshared key each.
func tunnelXML(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?>
<AIX_VPN Version="2.0">
  <IKEProtection IKE_ProtectionName="P1" IKE_XchgMode="Main">
    <IKETransform IKE_Encryption="AES-CBC" IKE_KeyLength="128" IKE_Hash="SHA" IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/>
  </IKEProtection>
  <IPSecProposal IPSec_ProposalName="P2Prop">
    <IPSecESPProtocol ESP_Encryption="ESP_AES" ESP_KeyLength="128" ESP_Authentication="HMAC-SHA" ESP_EncapsulationMode="Tunnel"/>
  </IPSecProposal>
  <IPSecProtection IPSec_ProtectionName="P2" IPSec_ProposalRefs="P2Prop"/>
`)
	for i := range n {
		l, r := addrOf(1, i), addrOf(2, i)
		fmt.Fprintf(&b, `  <IKETunnel IKE_TunnelName="t%d" IKE_ProtectionRef="P1">
    <IKELocalIdentity><IPV4_Address Value="%s"/></IKELocalIdentity>
    <IKERemoteIdentity><IPV4_Address Value="%s"/></IKERemoteIdentity>
  </IKETunnel>
  <IKEPresharedKey Value="0102030405060708" Format="Hex">
    <PresharedKeyIdentity><IPV4_Address Value="%s"/></PresharedKeyIdentity>
  </IKEPresharedKey>
  <IPSecTunnel IPSec_TunnelName="d%d" IKE_TunnelName="t%d" IPSec_ProtectionRef="P2">
    <IPSecLocalIdentity><IPV4_Address Value="%s"/></IPSecLocalIdentity>
    <IPSecRemoteIdentity><IPV4_Address Value="%s"/></IPSecRemoteIdentity>
  </IPSecTunnel>
`, i, l, r, r, i, i, l, r)
	}
	b.WriteString("</AIX_VPN>\n")
	return b.Bytes()
}

func addrOf(net, i int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, byte(net), byte(i / 250), byte(i%250 + 1)})
}

// activateLab makes host a with n defined tunnel pairs and host b, which
// answers every one with a /16 rule and key.
func activateLab(tb testing.TB, n int) string {
	dir := filepath.Join(tb.TempDir(), "lab")
	activateLabAt(tb, dir, n)
	return dir
}

func activateLabAt(tb testing.TB, dir string, n int) {
	l, err := lab.Open(benchProc(dir, io.Discard, "local"), nil)
	if err != nil {
		tb.Fatal(err)
	}
	var as, bs []netip.Addr
	for i := range n {
		as, bs = append(as, addrOf(1, i)), append(bs, addrOf(2, i))
	}
	xf := []engine.Transform{{Auth: engine.AuthPreshared, Cipher: engine.CipherAES, KeyMin: 128, KeyMax: 128, Hash: engine.HashSHA1, Group: 14, LifetimeSecs: 28800}}
	wide := func(p string) engine.AddrRange {
		pp := netip.MustParsePrefix(p)
		a := pp.Addr().As4()
		return engine.AddrRange{First: pp.Addr(), Last: netip.AddrFrom4([4]byte{a[0], a[1], 255, 255})}
	}
	err = l.Update(func(tx *engine.Tx) error {
		if err := l.AddHost(tx, engine.HostInfo{Name: "a", Addrs: as}); err != nil {
			return err
		}
		if err := l.AddHost(tx, engine.HostInfo{Name: "b", Addrs: bs}); err != nil {
			return err
		}
		b, err := tx.Host("b")
		if err != nil {
			return err
		}
		rule := engine.Phase1Policy{Label: "all", Mode: engine.XchgAny, LocalIDType: engine.IDIPv4, P1NonceLen: 32,
			LocalAddrs: []engine.AddrRange{wide("10.2.0.0/16")}, RemoteAddrs: []engine.AddrRange{wide("10.1.0.0/16")}, Transforms: xf}
		if err := b.Policies().ReplacePhase1("solaris", []engine.Phase1Policy{rule}, engine.GlobalConfig{}); err != nil {
			return err
		}
		key := engine.PresharedKey{Mode: engine.XchgBase, LocalIDType: engine.IDIPv4, LocalAddr: netip.MustParseAddr("10.2.0.0"), LocalPlen: 16,
			RemoteIDType: engine.IDIPv4, RemoteAddr: netip.MustParseAddr("10.1.0.0"), RemotePlen: 16,
			Key: []byte{1, 2, 3, 4, 5, 6, 7, 8}, KeyBits: 64, Origin: "solaris"}
		return b.Keys().Replace("solaris", []engine.PresharedKey{key})
	})
	if err != nil {
		tb.Fatal(err)
	}
	xml := filepath.Join(tb.TempDir(), "tunnels.xml")
	if err := os.WriteFile(xml, tunnelXML(n), 0o600); err != nil {
		tb.Fatal(err)
	}
	var errOut bytes.Buffer
	p := benchProc(dir, io.Discard, "a")
	p.Stderr = &errOut
	if code := ikedb.Main([]string{"-p", xml}, p); code != 0 {
		tb.Fatalf("ikedb -p: exit %d: %s", code, errOut.String())
	}
}

// benchFill reads the lab and the count scripts/bench asks a fill for.
func benchFill(t *testing.T, what string) (string, int) {
	dir, n := os.Getenv("IKEMU_BENCH_LAB"), os.Getenv("IKEMU_BENCH_"+what)
	if dir == "" || n == "" {
		t.Skip("IKEMU_BENCH_LAB or IKEMU_BENCH_" + what + " not set")
	}
	count, err := strconv.Atoi(n)
	if err != nil {
		t.Fatal(err)
	}
	return dir, count
}

// TestFillBenchTunnels stores the active tunnels scripts/bench lists
// with "ike cmd=list".
func TestFillBenchTunnels(t *testing.T) {
	dir, n := benchFill(t, "TUNNELS")
	fillTunnels(t, dir, n)
}

// TestFillActivateLab builds the lab scripts/bench activates on.
func TestFillActivateLab(t *testing.T) {
	dir, n := benchFill(t, "ACTIVATE")
	activateLabAt(t, dir, n)
}

// BenchmarkActivate1000 is "ike cmd=activate" of 1,000 defined tunnel
// pairs: 1,000 phase 1 negotiations (group 14, real DH and keys) and
// 1,000 Quick Modes (target: 5 s).
func BenchmarkActivate1000(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		dir := activateLab(b, 1000)
		b.StartTimer()
		if code := Main([]string{"cmd=activate"}, benchProc(dir, io.Discard, "a")); code != 0 {
			b.Fatalf("activate: exit %d", code)
		}
	}
}

// fillTunnels stores n active phase 1 + phase 2 tunnels on the local host.
func fillTunnels(tb testing.TB, dir string, n int) {
	l, err := lab.Open(benchProc(dir, io.Discard, "local"), nil)
	if err != nil {
		tb.Fatal(err)
	}
	err = l.Host(func(h *engine.Host) error {
		for i := range n {
			loc, rem := addrOf(1, i), addrOf(2, i)
			p1 := &engine.Phase1SA{CookieI: uint64(i) + 1, CookieR: uint64(i) + 7, Initiator: true, Mode: engine.XchgMain,
				Created: h.Now(), TunnelNum: uint32(i + 1), Local: engine.AddrRange{First: loc, Last: loc},
				Remote: engine.AddrRange{First: rem, Last: rem}, Xform: engine.Transform{LifetimeSecs: 28800}}
			if err := h.SAs().AddPhase1(p1); err != nil {
				return err
			}
			p2 := &engine.Phase2SA{TunnelNum: uint32(i + 1), P1TunnelNum: uint32(i + 1), CookieI: p1.CookieI, CookieR: p1.CookieR,
				Initiator: true, Created: h.Now(), LifetimeSecs: 3600, Local: p1.Local, Remote: p1.Remote}
			if err := h.SAs().AddPhase2(p2); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkList10000 is "ike cmd=list" of 10,000 active tunnel pairs
// (target: 1 s).
func BenchmarkList10000(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "lab")
	fillTunnels(b, dir, 10000)
	var out bytes.Buffer
	b.ResetTimer()
	for b.Loop() {
		out.Reset()
		if code := Main([]string{"cmd=list"}, benchProc(dir, &out, "local")); code != 0 {
			b.Fatalf("list: exit %d", code)
		}
	}
	b.ReportMetric(float64(out.Len()), "out-bytes")
}

// TestListMemory: the list's live heap is bounded by small per-tunnel
// views (the phase join needs them), not by the stored SAs.
func TestListMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("fills 10,000 tunnels")
	}
	dir := filepath.Join(t.TempDir(), "lab")
	fillTunnels(t, dir, 10000)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if code := Main([]string{"cmd=list"}, benchProc(dir, io.Discard, "local")); code != 0 {
		t.Fatalf("list: exit %d", code)
	}
	runtime.ReadMemStats(&after)
	t.Logf("allocated %d MiB while listing 20,000 tunnels", (after.TotalAlloc-before.TotalAlloc)>>20)
}

// BenchmarkListDB is "ike cmd=list db" of 1,000 and 10,000 defined
// tunnel pairs, reported per definition: the cost per item must not grow
// with their number.
func BenchmarkListDB(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir := activateLab(b, n)
			b.ResetTimer()
			for b.Loop() {
				if code := Main([]string{"cmd=list", "db"}, benchProc(dir, io.Discard, "a")); code != 0 {
					b.Fatalf("list db: exit %d", code)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/definition")
		})
	}
}
