package interop

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// solarisLab is a lab whose host "sol" owns side a's address, runs
// in.iked at keymat privilege with rule and key toward b, and knows b as
// a wire peer.
func solarisLab(t *testing.T, a, b Side, xform, psk string) *Lab {
	t.Helper()
	bin, err := Ikemu(binDir)
	if err != nil {
		t.Fatal(err)
	}
	l := &Lab{Bin: bin, Dir: t.TempDir() + "/lab", Host: "sol"}
	mustRun(t, l, "host", "add", "sol", "--addr", a.Addr)
	mustRun(t, l, "peer", "set", b.Addr, "--behavior", "wire")
	configureSolaris(t, l, a, b, xform, "", psk)
	return l
}

// configureSolaris writes host sol's rule (p1_xform xform plus rule
// keywords extra) and key toward b, and restarts in.iked at keymat.
func configureSolaris(t *testing.T, l *Lab, a, b Side, xform, extra, psk string) {
	t.Helper()
	writeSolarisConfig(t, l, a, b, xform, extra, psk)
	_, _ = l.Run("", "daemon", "stop") // a fresh host has none running yet
	mustRun(t, l, "daemon", "start", "--priv", "keymat")
}

// writeSolarisConfig writes the rule and the key of configureSolaris.
func writeSolarisConfig(t testing.TB, l *Lab, a, b Side, xform, extra, psk string) {
	t.Helper()
	globals := l.Globals
	if globals == "" {
		globals = "retry_limit 2\n"
	}
	if err := l.WriteHostFile("etc/inet/ike/config", fmt.Sprintf(
		"%s{ label charon local_addr %s remote_addr %s %s\n  p1_xform { %s } }\n", globals, a.Addr, b.Addr, extra, xform)); err != nil {
		t.Fatal(err)
	}
	if err := l.WriteHostFile("etc/inet/secret/ike.preshared", fmt.Sprintf(
		"{ localidtype IP localid %s remoteidtype IP remoteid %s key %s }\n", a.Addr, b.Addr, hex.EncodeToString([]byte(psk)))); err != nil {
		t.Fatal(err)
	}
}

var (
	dumpCookies = regexp.MustCompile(`IKESA: Cookies: Initiator 0x([0-9a-f]{1,16})  Responder 0x([0-9a-f]{1,16})`)
	dumpKey     = regexp.MustCompile(`KEY:   ([A-Za-z_ -]+) \(\d+ bytes\): ([0-9a-f]+)/\d+`)
)

// dumpedSA is one phase 1 SA as ikeadm dump p1 prints it at keymat.
type dumpedSA struct {
	CookieI, CookieR string
	Keys             map[string][]byte
}

func dumpP1(t *testing.T, l *Lab) []dumpedSA {
	t.Helper()
	r, err := l.Run("", "ikeadm", "dump", "p1")
	if err != nil || r.Code != 0 {
		t.Fatalf("ikeadm dump p1: %v %+v", err, r)
	}
	var out []dumpedSA
	for _, line := range strings.Split(r.Stdout, "\n") {
		if m := dumpCookies.FindStringSubmatch(line); m != nil {
			// ikeadm prints 0x%llx; charon's SPIs are 16 digits.
			pad := func(h string) string { return strings.Repeat("0", 16-len(h)) + h }
			out = append(out, dumpedSA{CookieI: pad(m[1]), CookieR: pad(m[2]), Keys: map[string][]byte{}})
		}
		if m := dumpKey.FindStringSubmatch(line); m != nil && len(out) > 0 {
			b, _ := hex.DecodeString(m[2])
			out[len(out)-1].Keys[m[1]] = b
		}
	}
	return out
}

// TestSolarisToCharon: ikemu acquire on a Solaris host toward a wire
// peer negotiates Main Mode PSK with charon; ikeadm dump p1 shows
// charon's SPIs as cookies and charon's keys.
func TestSolarisToCharon(t *testing.T) {
	skipUnlessInterop(t)
	net, c := charonSide(t, func(l, r string) string {
		return pskConn(l, r, "aes128-sha1-modp2048", "aes128-sha1", "interop secret", false)
	})
	l := solarisLab(t, net.A, net.B, "auth_method preshared oakley_group 14 auth_alg sha encr_alg aes", "interop secret")
	r, err := l.Run(net.A.NS, "acquire", "--from", net.A.Addr, "--to", net.B.Addr)
	if err != nil || r.Code != 0 {
		t.Fatalf("acquire: %v %+v\n%s", err, r, grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]"))
	}
	if !strings.Contains(r.Stdout, "quick mode SA 1 created") {
		t.Errorf("acquire said %q", r.Stdout)
	}
	// charon, responder, installs the SA on Quick Mode's third message.
	if !waitFor(5*time.Second, func() bool { return strings.Contains(c.Log(), qmInstallFailure) }) {
		t.Errorf("charon did not finish Quick Mode:\n%s", grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]", "[KNL]"))
	}
	sas := dumpP1(t, l)
	if len(sas) != 1 {
		t.Fatalf("dump p1 lists %d SAs", len(sas))
	}
	out, err := c.Swanctl("--list-sas")
	if err != nil {
		t.Fatal(err)
	}
	listed := ListedIKESAs(out)
	if len(listed) != 1 || listed[0].State != "ESTABLISHED" || listed[0].InitSPI != sas[0].CookieI || listed[0].RespSPI != sas[0].CookieR {
		t.Errorf("charon lists %v, ikeadm dump p1 cookies %s %s", listed, sas[0].CookieI, sas[0].CookieR)
	}
	k, err := LoggedPhase1Keys(c.Log())
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{"SKEYID": k.SKEYID, "SKEYID_d": k.SKEYIDd, "SKEYID_a": k.SKEYIDa,
		"SKEYID_e": k.SKEYIDe, "Encryption key": k.Ka} {
		if !bytes.Equal(sas[0].Keys[name], want) {
			t.Errorf("%s: ikeadm %x, charon %x", name, sas[0].Keys[name], want)
		}
	}
	// ikeadm del p1 with ikemu serve running: charon hears a Delete.
	sv := serve(t, l, net.A.NS, "--host", "sol")
	if r, err := l.Run("", "ikeadm", "del", "p1", "0x"+sas[0].CookieI, "0x"+sas[0].CookieR); err != nil || r.Code != 0 {
		t.Fatalf("ikeadm del p1: %v %+v", err, r)
	}
	if !waitFor(5*time.Second, func() bool { return strings.Contains(c.Log(), "received DELETE for IKE_SA") }) {
		t.Errorf("charon heard no Delete:\n%s\nserve:\n%s", grepLog(c.Log(), "[IKE]", "[ENC]"), sv.Log())
	}
}
