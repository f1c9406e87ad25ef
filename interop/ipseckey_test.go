package interop

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	dumpSPI = regexp.MustCompile(`^SA: SADB_ASSOC spi=0x([0-9a-f]+),`)
	dumpDst = regexp.MustCompile(`^DST: AF_INET: port \d+, ([0-9.]+[0-9])`)
	dumpKY  = regexp.MustCompile(`^(AKY|EKY): ([0-9a-f]+)/\d+$`)
)

// dumpedIPsecSA is one SA as ipseckey -n dump prints it to root.
type dumpedIPsecSA struct {
	SPI, Dst   string
	Auth, Encr []byte
}

func ipseckeyDump(t *testing.T, l *Lab) []dumpedIPsecSA {
	t.Helper()
	r := mustRun(t, l, "ipseckey", "-n", "dump", "esp")
	var out []dumpedIPsecSA
	for _, line := range strings.Split(r.Stdout, "\n") {
		if m := dumpSPI.FindStringSubmatch(line); m != nil {
			out = append(out, dumpedIPsecSA{SPI: m[1]})
			continue
		}
		if len(out) == 0 {
			continue
		}
		sa := &out[len(out)-1]
		if m := dumpDst.FindStringSubmatch(line); m != nil {
			sa.Dst = m[1]
		}
		if m := dumpKY.FindStringSubmatch(line); m != nil {
			b, _ := hex.DecodeString(m[2])
			if m[1] == "AKY" {
				sa.Auth = b
			} else {
				sa.Encr = b
			}
		}
	}
	return out
}

// TestSolarisToCharonIPsecKeys: after a Quick Mode from a Solaris host
// to charon, ipseckey dump on the Solaris host shows two ESP SAs whose
// keys are the ones charon derived (its [CHD] log at level 4): the
// outbound SA, toward charon, carries the initiator's keys, the inbound
// one the responder's.
func TestSolarisToCharonIPsecKeys(t *testing.T) {
	skipUnlessInterop(t)
	net, c := charonSide(t, func(l, r string) string {
		return pskConn(l, r, "aes128-sha1-modp2048", "aes128-sha1", "ipseckey secret", false)
	})
	l := solarisLab(t, net.A, net.B, "auth_method preshared oakley_group 14 auth_alg sha encr_alg aes", "ipseckey secret")
	r, err := l.Run(net.A.NS, "acquire", "--from", net.A.Addr, "--to", net.B.Addr)
	if err != nil || r.Code != 0 {
		t.Fatalf("acquire: %v %+v\n%s", err, r, grepLog(c.Log(), "[IKE]", "[ENC]", "[CFG]"))
	}
	// charon derives the child keys on Quick Mode's third message.
	if !waitFor(5*time.Second, func() bool { return len(LoggedChunks(c.Log(), "integrity responder key")) > 0 }) {
		t.Fatalf("charon logged no child keys:\n%s", grepLog(c.Log(), "[IKE]", "[CHD]", "[KNL]"))
	}
	log := c.Log()
	last := func(name string) []byte {
		ks := LoggedChunks(log, name)
		if len(ks) == 0 {
			t.Fatalf("charon logged no %q", name)
		}
		return ks[len(ks)-1]
	}
	want := map[string][2][]byte{
		net.B.Addr: {last("integrity initiator key"), last("encryption initiator key")},
		net.A.Addr: {last("integrity responder key"), last("encryption responder key")},
	}
	sas := ipseckeyDump(t, l)
	if len(sas) != 2 {
		t.Fatalf("ipseckey dump esp lists %d SAs: %+v", len(sas), sas)
	}
	for _, sa := range sas {
		w, ok := want[sa.Dst]
		if !ok {
			t.Errorf("SA spi 0x%s to %s: no such end", sa.SPI, sa.Dst)
			continue
		}
		delete(want, sa.Dst)
		if !bytes.Equal(sa.Auth, w[0]) || !bytes.Equal(sa.Encr, w[1]) {
			t.Errorf("SA spi 0x%s to %s: ipseckey AKY %x EKY %x, charon %x %x", sa.SPI, sa.Dst, sa.Auth, sa.Encr, w[0], w[1])
		}
	}
}

// TestSolarisToCharonPolicy: toward a wire peer, as toward a lab host,
// the host's ipsecconf policy decides: a bypassed flow is not
// ACQUIREd, a protected one makes in.iked offer the rule's algorithms
// (3DES with HMAC-SHA1 here, which charon accepts, and whose keys
// ipseckey then shows), and a rule asking for what charon refuses fails
// its Quick Mode.
func TestSolarisToCharonPolicy(t *testing.T) {
	skipUnlessInterop(t)
	net, c := charonSide(t, func(l, r string) string {
		return pskConn(l, r, "aes128-sha1-modp2048", "3des-sha1", "policy secret", false)
	})
	l := solarisLab(t, net.A, net.B, "auth_method preshared oakley_group 14 auth_alg sha encr_alg aes", "policy secret")
	policy := t.TempDir() + "/ipsecinit.conf"
	if err := os.WriteFile(policy, []byte(fmt.Sprintf(
		"{raddr %s ulp tcp rport 22 dir both} bypass {}\n{raddr %s ulp udp} ipsec {encr_algs aes encr_auth_algs sha1}\n{raddr %s} ipsec {encr_algs 3des encr_auth_algs sha1}\n",
		net.B.Addr, net.B.Addr, net.B.Addr)), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, l, "ipsecconf", "-q", "-a", policy)

	r := mustRun(t, l, "acquire", "--from", net.A.Addr, "--to", net.B.Addr, "--proto", "tcp", "--dport", "22")
	if !strings.HasPrefix(r.Stdout, "IPsec policy bypasses ") {
		t.Errorf("bypassed flow: %q", r.Stdout)
	}
	if strings.Contains(c.Log(), "received packet") {
		t.Errorf("a bypassed flow reached charon:\n%s", grepLog(c.Log(), "[NET]", "[IKE]"))
	}

	r, err := l.Run(net.A.NS, "acquire", "--from", net.A.Addr, "--to", net.B.Addr)
	if err != nil || r.Code != 0 || !strings.Contains(r.Stdout, "quick mode SA 1 created") {
		t.Fatalf("protected flow: %v %+v\n%s", err, r, grepLog(c.Log(), "[IKE]", "[CFG]"))
	}
	if !waitFor(5*time.Second, func() bool { return len(LoggedChunks(c.Log(), "encryption initiator key")) > 0 }) {
		t.Fatalf("charon logged no child keys:\n%s", grepLog(c.Log(), "[IKE]", "[CHD]"))
	}
	keys := LoggedChunks(c.Log(), "encryption initiator key")
	sas := ipseckeyDump(t, l)
	found := false
	for _, sa := range sas {
		if sa.Dst == net.B.Addr {
			found = true
			if len(sa.Encr) != 24 || !bytes.Equal(sa.Encr, keys[len(keys)-1]) {
				t.Errorf("outbound SA spi 0x%s: EKY %x, charon's 3DES key %x", sa.SPI, sa.Encr, keys[len(keys)-1])
			}
		}
	}
	if !found {
		t.Errorf("ipseckey dump shows no SA to %s: %+v", net.B.Addr, sas)
	}

	// The same traffic again is carried by that SA: no second Quick Mode.
	r = mustRun(t, l, "acquire", "--from", net.A.Addr, "--to", net.B.Addr)
	if !strings.Contains(r.Stdout, "the shared quick mode SA protects it") {
		t.Errorf("second flow: %q", r.Stdout)
	}

	// UDP asks for AES, which charon's proposal lacks.
	r, err = l.Run(net.A.NS, "acquire", "--from", net.A.Addr, "--to", net.B.Addr, "--proto", "udp", "--dport", "53")
	if err != nil || r.Code == 0 || !strings.Contains(r.Stdout, "; quick mode failed: ") {
		t.Errorf("refused Quick Mode: %v %+v", err, r)
	}
}
