package interop

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExportSwanctlMigrates: a Solaris host's rule and key, exported
// with ikemu export --to swanctl, load into charon with zero errors,
// and charon, taking the exported host's address, negotiates Main Mode
// and Quick Mode with the host's old peer that ikemu serve answers (the
// migration proof); both ends derive the same SKEYID_d.
func TestExportSwanctlMigrates(t *testing.T) {
	skipUnlessInterop(t)
	net, err := NewNetPair("export")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(net.Close)
	const psk = "migration secret"
	xform := "auth_method preshared oakley_group 14 auth_alg sha encr_alg aes"
	// The host to migrate owns side b's address, its peer side a's.
	l := solarisLab(t, net.B, net.A, xform, psk)
	out := filepath.Join(t.TempDir(), "out")
	mustRun(t, l, "export", "--to", "swanctl", "-o", out)
	conf, err := os.ReadFile(filepath.Join(out, "swanctl.conf"))
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, l, "host", "rm", "sol")

	peer := &Lab{Bin: l.Bin, Dir: l.Dir, Host: "peer"}
	mustRun(t, peer, "host", "add", "peer", "--addr", net.A.Addr)
	mustRun(t, peer, "peer", "set", net.B.Addr, "--behavior", "wire")
	writeSolarisConfig(t, peer, net.A, net.B, xform, "", psk)
	mustRun(t, peer, "daemon", "start", "--priv", "keymat")

	c, err := StartCharon(net.B.NS, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	p := filepath.Join(c.Dir, "swanctl", "swanctl.conf")
	if err := os.WriteFile(p, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := c.Swanctl("--load-all", "--clear", "--file", p, "--noprompt")
	if err != nil || loadErrors(loaded) || !strings.Contains(loaded, "loaded connection 'charon'") ||
		!strings.Contains(loaded, "loaded ike secret 'ike-1'") {
		t.Fatalf("swanctl --load-all: %v\n%s\nexported:\n%s", err, loaded, conf)
	}

	s := serve(t, peer, net.A.NS, "--host", "peer")
	_, _ = c.Swanctl("--initiate", "--child", "charon", "--timeout", "15")
	if !waitFor(5*time.Second, func() bool { return strings.Contains(c.Log(), qmInstallFailure) }) {
		t.Fatalf("charon did not get through Quick Mode:\n%s\nserve:\n%s", grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]", "[KNL]"), s.Log())
	}
	sas := dumpP1(t, peer)
	if len(sas) != 1 {
		t.Fatalf("dump p1 lists %d SAs; serve:\n%s", len(sas), s.Log())
	}
	k, err := LoggedPhase1Keys(c.Log())
	if err != nil {
		t.Fatal(err)
	}
	if got := sas[0].Keys["SKEYID_d"]; hex.EncodeToString(got) != hex.EncodeToString(k.SKEYIDd) {
		t.Errorf("SKEYID_d: ikeadm %x, charon %x", got, k.SKEYIDd)
	}
}

// loadErrors reports whether swanctl --load-all failed to load anything;
// the credential directories this charon leaves out do not count.
func loadErrors(out string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "fail") && !strings.HasPrefix(line, "opening directory ") {
			return true
		}
	}
	return false
}

// TestExportSwanctlLoadsAIX: an AIX host's tunnels, with a phase 2
// definition (a tunnel-mode child with traffic selectors) and a key that
// names only the peer, exported as swanctl.conf, load into charon with
// zero errors.
func TestExportSwanctlLoadsAIX(t *testing.T) {
	skipUnlessInterop(t)
	net, err := NewNetPair("exportaix")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(net.Close)
	l := aixLab(t, net.B, net.A, `<IKETransform IKE_Encryption="AES-CBC" IKE_KeyLength="256" IKE_Hash="SHA"
        IKE_DHGroup="14" IKE_AuthenticationMethod="Preshared_Key"/>`, "aix secret")
	aixPhase2(t, l, net.B, net.A, "P2TunAES", `<IPSecESPProtocol ESP_Encryption="ESP_AES" ESP_KeyLength="128" ESP_Authentication="HMAC-SHA"
        ESP_EncapsulationMode="Tunnel" ESP_KeyRefreshMinutes="30"/>`)
	out := filepath.Join(t.TempDir(), "out")
	mustRun(t, l, "export", "--to", "swanctl", "-o", out)
	conf, err := os.ReadFile(filepath.Join(out, "swanctl.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(conf), "local_ts = ") {
		t.Errorf("no child with traffic selectors:\n%s", conf)
	}
	c, err := StartCharon(net.B.NS, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	p := filepath.Join(c.Dir, "swanctl", "swanctl.conf")
	if err := os.WriteFile(p, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := c.Swanctl("--load-all", "--clear", "--file", p, "--noprompt")
	if err != nil || loadErrors(loaded) || !strings.Contains(loaded, "successfully loaded 1 connections") ||
		!strings.Contains(loaded, "loaded ike secret 'ike-1'") {
		t.Fatalf("swanctl --load-all: %v\n%s\nexported:\n%s", err, loaded, conf)
	}
}
