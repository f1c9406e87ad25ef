package interop

import (
	"bytes"
	"encoding/hex"
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
