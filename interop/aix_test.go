package interop

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// aixLab is a lab whose host "aix" owns side a's address, with an ikedb
// tunnel and key toward b, in.iked at keymat so dump p1 shows keys.
func aixLab(t *testing.T, a, b Side, transform, psk string) *Lab {
	t.Helper()
	bin, err := Ikemu(binDir)
	if err != nil {
		t.Fatal(err)
	}
	l := &Lab{Bin: bin, Dir: t.TempDir() + "/lab", Host: "aix"}
	mustRun(t, l, "host", "add", "aix", "--addr", a.Addr)
	xml := filepath.Join(t.TempDir(), "aix.xml")
	if err := os.WriteFile(xml, []byte(fmt.Sprintf(`<?xml version="1.0"?>
<AIX_VPN Version="2.0">
  <IKEProtection IKE_ProtectionName="P1Pol" IKE_XchgMode="Main">
    %s
  </IKEProtection>
  <IKETunnel IKE_TunnelName="aix-to-charon" IKE_ProtectionRef="P1Pol">
    <IKELocalIdentity><IPV4_Address Value="%s"/></IKELocalIdentity>
    <IKERemoteIdentity><IPV4_Address Value="%s"/></IKERemoteIdentity>
  </IKETunnel>
  <IKEPresharedKey Value="%s" Format="Hex">
    <PresharedKeyIdentity><IPV4_Address Value="%s"/></PresharedKeyIdentity>
  </IKEPresharedKey>
</AIX_VPN>
`, transform, a.Addr, b.Addr, hex.EncodeToString([]byte(psk)), b.Addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, l, "ikedb", "-p", xml)
	// A fresh host is a fresh machine: bring it up as AIX would.
	mustRun(t, l, "mkdev", "-l", "ipsec", "-t", "4")
	mustRun(t, l, "startsrc", "-g", "ike")
	mustRun(t, l, "daemon", "start", "--priv", "keymat")
	return l
}

func mustRun(t testing.TB, l *Lab, args ...string) Result {
	t.Helper()
	r, err := l.Run("", args...)
	if err != nil || r.Code != 0 {
		t.Fatalf("ikemu %v: %v %+v", args, err, r)
	}
	return r
}

// serving is a running ikemu serve with its stderr in a file.
type serving struct {
	t   *testing.T
	log string
	pid int
	end chan error
}

func serve(t *testing.T, l *Lab, ns string, args ...string) *serving {
	t.Helper()
	log := filepath.Join(t.TempDir(), "serve.log")
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd, err := l.StartTo(ns, f, append([]string{"serve"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	s := &serving{t: t, log: log, pid: cmd.Process.Pid, end: make(chan error, 1)}
	go func() { s.end <- cmd.Wait() }()
	t.Cleanup(func() { s.stop() })
	if !waitFor(10*time.Second, func() bool { return strings.Contains(s.Log(), "listening on") }) {
		t.Fatalf("ikemu serve did not listen:\n%s", s.Log())
	}
	return s
}

func (s *serving) Log() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

// stop sends SIGTERM and waits at most 5 s; it reports whether serve
// left in time (killing it otherwise).
func (s *serving) stop() bool {
	if s.pid == 0 {
		return true
	}
	_ = syscall.Kill(s.pid, syscall.SIGTERM)
	pid := s.pid
	s.pid = 0
	select {
	case <-s.end:
		return true
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(pid, syscall.SIGKILL)
		<-s.end
		return false
	}
}

// TestCharonToAIX: charon initiates Main Mode PSK and Quick Mode toward
// an AIX host that ikemu serve answers; the AIX host's SA carries
// charon's SPIs and keys; garbage, a replay and unknown cookies are
// dropped and counted; charon's Delete removes it; serve stops on
// SIGTERM.
func TestCharonToAIX(t *testing.T) {
	skipUnlessInterop(t)
	net, c := charonSide(t, func(l, r string) string {
		return pskConn(l, r, "aes256-sha1-modp2048", "aes128-sha1", "aix secret", false)
	})
	l := aixLab(t, net.A, net.B, `<IKETransform IKE_Encryption="AES-CBC" IKE_KeyLength="256" IKE_Hash="SHA"
        IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/>`, "aix secret")
	s := serve(t, l, net.A.NS, "--host", "aix")
	_, _ = c.Swanctl("--initiate", "--child", "lab", "--timeout", "15")
	if !strings.Contains(c.Log(), qmInstallFailure) {
		t.Errorf("charon did not get through Quick Mode:\n%s\nserve:\n%s", grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]", "[KNL]"), s.Log())
	}
	sas := dumpP1(t, l)
	if len(sas) != 1 {
		t.Fatalf("dump p1 lists %d SAs; serve:\n%s", len(sas), s.Log())
	}
	out, _ := c.Swanctl("--list-sas")
	listed := ListedIKESAs(out)
	if len(listed) != 1 || listed[0].InitSPI != sas[0].CookieI || listed[0].RespSPI != sas[0].CookieR {
		t.Errorf("charon lists %v, ikeadm dump p1 cookies %s %s", listed, sas[0].CookieI, sas[0].CookieR)
	}
	k, err := LoggedPhase1Keys(c.Log())
	if err != nil {
		t.Fatal(err)
	}
	if got := sas[0].Keys["SKEYID_d"]; hex.EncodeToString(got) != hex.EncodeToString(k.SKEYIDd) {
		t.Errorf("SKEYID_d: ikeadm %x, charon %x", got, k.SKEYIDd)
	}
	if r := mustRun(t, l, "ike", "cmd=list"); !strings.Contains(r.Stdout, "Active") {
		t.Errorf("ike cmd=list:\n%s", r.Stdout)
	}
	// Garbage, replays and unknown cookies are dropped and counted; serve
	// goes on answering (charon's Delete below).
	sendDrops(t, net.B, netip.AddrPortFrom(netip.MustParseAddr(net.A.Addr), 500), sas[0].CookieI, sas[0].CookieR)
	checkDrops(t, l, s)
	// charon deletes the IKE SA: the AIX host forgets it.
	if _, err := c.Swanctl("--terminate", "--ike", "lab", "--timeout", "10"); err != nil {
		t.Fatal(err)
	}
	if !waitFor(5*time.Second, func() bool { return len(dumpP1(t, l)) == 0 }) {
		t.Errorf("the SA outlived charon's Delete; serve:\n%s", s.Log())
	}
	if !s.stop() {
		t.Error("ikemu serve did not stop within 5 s of SIGTERM")
	}
	t.Logf("serve:\n%s", s.Log())
	if log := s.Log(); !strings.Contains(log, "main mode from 198.51.100.2:500 established") || !strings.Contains(log, "stopped:") {
		t.Errorf("serve's log:\n%s", log)
	}
}

// TestAIXToCharon: ike cmd=activate ipaddr= toward a wire peer negotiates
// Main Mode and a tunnel-mode Quick Mode (AIX's host-to-host default,
// 3DES/SHA-1) with charon; ike cmd=list shows the tunnels, and
// ike cmd=remove with ikemu serve running makes charon hear a Delete.
func TestAIXToCharon(t *testing.T) {
	skipUnlessInterop(t)
	net, c := charonSide(t, func(l, r string) string {
		return strings.Replace(pskConn(l, r, "3des-sha1-modp2048", "3des-sha1", "aix secret", false),
			"mode = transport", "mode = tunnel", 1)
	})
	l := aixLab(t, net.A, net.B, `<IKETransform IKE_Encryption="3DES-CBC" IKE_Hash="SHA"
        IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/>`, "aix secret")
	mustRun(t, l, "peer", "set", net.B.Addr, "--behavior", "wire")
	r, err := l.Run(net.A.NS, "ike", "cmd=activate", "ipaddr="+net.A.Addr+","+net.B.Addr)
	if err != nil || r.Code != 0 {
		t.Fatalf("ike cmd=activate: %v %+v", err, r)
	}
	if !waitFor(5*time.Second, func() bool { return strings.Contains(c.Log(), qmInstallFailure) }) {
		t.Errorf("charon did not finish Quick Mode:\n%s", grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]", "[KNL]"))
	}
	list := mustRun(t, l, "ike", "cmd=list").Stdout
	if strings.Count(list, "Active") < 2 {
		t.Errorf("ike cmd=list shows no active phase 1 and phase 2 tunnels:\n%s", list)
	}
	sas := dumpP1(t, l)
	out, _ := c.Swanctl("--list-sas")
	listed := ListedIKESAs(out)
	if len(sas) != 1 || len(listed) != 1 || listed[0].InitSPI != sas[0].CookieI || listed[0].RespSPI != sas[0].CookieR {
		t.Fatalf("charon lists %v, ikeadm dump p1 %v", listed, sas)
	}
	sv := serve(t, l, net.A.NS, "--host", "aix")
	mustRun(t, l, "ike", "cmd=remove", "all")
	if !waitFor(5*time.Second, func() bool { return strings.Contains(c.Log(), "received DELETE for IKE_SA") }) {
		t.Errorf("charon heard no Delete:\n%s\nserve:\n%s", grepLog(c.Log(), "[IKE]", "[ENC]"), sv.Log())
	}
}

// aixPhase2 writes and loads an AIX phase 2 definition (tunnel name)
// for the traffic a -> b under IKE tunnel aix-to-charon, whose one
// proposal is esp (an IPSecESPProtocol element).
func aixPhase2(t *testing.T, l *Lab, a, b Side, name, esp string) {
	t.Helper()
	xml := filepath.Join(t.TempDir(), name+".xml")
	if err := os.WriteFile(xml, []byte(fmt.Sprintf(`<?xml version="1.0"?>
<AIX_VPN Version="2.0">
  <IPSecProposal IPSec_ProposalName="%[1]sProp">
    %[2]s
  </IPSecProposal>
  <IPSecProtection IPSec_ProtectionName="%[1]sPol" IPSec_ProposalRefs="%[1]sProp"
      IPSec_InitiatorDHGroup="0" IPSec_ResponderDHGroup="NO_PFS"/>
  <IPSecTunnel IPSec_TunnelName="%[1]s" IKE_TunnelName="aix-to-charon" IPSec_ProtectionRef="%[1]sPol">
    <IPSecLocalIdentity><IPV4_Address Value="%[3]s"/></IPSecLocalIdentity>
    <IPSecRemoteIdentity><IPV4_Address Value="%[4]s"/></IPSecRemoteIdentity>
  </IPSecTunnel>
</AIX_VPN>
`, name, esp, a.Addr, b.Addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, l, "ikedb", "-p", xml)
}

// TestCharonToAIXPhase2Checked: charon's Quick Mode toward an AIX host is
// checked against the host's phase 2 definition for the traffic. One that
// wants ESP 3DES/HMAC-MD5 in tunnel mode refuses charon's AES-128/SHA-1
// transport proposal with NO-PROPOSAL-CHOSEN (phase 1 stands, no phase 2
// tunnel); one that lists it accepts (charon selects its proposal).
func TestCharonToAIXPhase2Checked(t *testing.T) {
	skipUnlessInterop(t)
	net, c := charonSide(t, func(l, r string) string {
		return pskConn(l, r, "aes256-sha1-modp2048", "aes128-sha1", "aix secret", false)
	})
	l := aixLab(t, net.A, net.B, `<IKETransform IKE_Encryption="AES-CBC" IKE_KeyLength="256" IKE_Hash="SHA"
        IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/>`, "aix secret")
	aixPhase2(t, l, net.A, net.B, "P2Tun3DES", `<IPSecESPProtocol ESP_Encryption="ESP_3DES" ESP_Authentication="HMAC-MD5"
        ESP_EncapsulationMode="Tunnel" ESP_KeyRefreshMinutes="30"/>`)
	s := serve(t, l, net.A.NS, "--host", "aix")
	_, _ = c.Swanctl("--initiate", "--child", "lab", "--timeout", "10")
	if !waitFor(5*time.Second, func() bool { return strings.Contains(c.Log(), "NO_PROPOSAL_CHOSEN") }) {
		t.Errorf("charon heard no NO-PROPOSAL-CHOSEN:\n%s\nserve:\n%s", grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]"), s.Log())
	}
	if strings.Contains(c.Log(), qmInstallFailure) {
		t.Errorf("charon got through Quick Mode")
	}
	if sas := dumpP1(t, l); len(sas) != 1 {
		t.Errorf("dump p1 lists %d SAs, want the phase 1 SA that stands", len(sas))
	}
	if list := mustRun(t, l, "ike", "cmd=list", "phase=2").Stdout; strings.Contains(list, "Active") {
		t.Errorf("ike cmd=list phase=2 shows a tunnel:\n%s", list)
	}

	// A definition listing charon's proposal accepts it: charon gets
	// message 2 with its proposal (it then fails to install the SA in a
	// kernel without ESP and sends no message 3).
	mustRun(t, l, "ikedb", "-d", "-t", "IPSecTunnel", "-n", "P2Tun3DES")
	aixPhase2(t, l, net.A, net.B, "P2TunAES", `<IPSecESPProtocol ESP_Encryption="ESP_AES" ESP_KeyLength="128" ESP_Authentication="HMAC-SHA"
        ESP_EncapsulationMode="Transport" ESP_KeyRefreshMinutes="480"/>`)
	_, _ = c.Swanctl("--initiate", "--child", "lab", "--timeout", "10")
	if !waitFor(5*time.Second, func() bool {
		return strings.Contains(c.Log(), "selected proposal: ESP:AES_CBC_128/HMAC_SHA1_96") && strings.Contains(c.Log(), qmInstallFailure)
	}) {
		t.Errorf("charon did not get through Quick Mode:\n%s\nserve:\n%s", grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]"), s.Log())
	}
	t.Logf("serve:\n%s", s.Log())
}
