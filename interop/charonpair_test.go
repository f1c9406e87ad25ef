package interop

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// skipUnlessInterop skips in one line without root or charon.
func skipUnlessInterop(t testing.TB) {
	t.Helper()
	if why := CharonAvailable(); why != "" {
		t.Skip(why)
	}
}

// pskConn is a swanctl.conf for one IKEv1 PSK connection to remote with
// a transport-mode child, proposals as strongSwan spells them.
func pskConn(local, remote, ike, esp, psk string, aggressive bool) string {
	return fmt.Sprintf(`connections {
	lab {
		version = 1
		aggressive = %s
		local_addrs = %s
		remote_addrs = %s
		proposals = %s
		rekey_time = 0
		local {
			auth = psk
			id = %s
		}
		remote {
			auth = psk
			id = %s
		}
		children {
			lab {
				mode = transport
				esp_proposals = %s
				start_action = none
				rekey_time = 0
			}
		}
	}
}
secrets {
	ike-lab {
		id-1 = %s
		id-2 = %s
		secret = "%s"
	}
}
`, yesNo(aggressive), local, remote, ike, local, remote, esp, local, remote, psk)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// qmInstallFailure is what charon logs when the kernel (no ESP here)
// refuses the SA it negotiated in Quick Mode.
const qmInstallFailure = "unable to install inbound and outbound IPsec SA (SAD) in kernel"

// charonPair is two charons, one per side of a fresh NetPair, loaded with
// one PSK connection toward each other.
type charonPair struct {
	net  *NetPair
	a, b *Charon
}

func newCharonPair(t testing.TB, ike, esp string) *charonPair {
	t.Helper()
	net, err := NewNetPair("pair")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(net.Close)
	cp := &charonPair{net: net}
	for _, s := range []struct {
		side, peer Side
		c          **Charon
	}{{net.A, net.B, &cp.a}, {net.B, net.A, &cp.b}} {
		c, err := StartCharon(s.side.NS, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Stop)
		if err := c.Load(pskConn(s.side.Addr, s.peer.Addr, ike, esp, "interop secret", false)); err != nil {
			t.Fatal(err)
		}
		*s.c = c
	}
	return cp
}

// TestCharonPair proves the harness: two charons negotiate Main Mode and
// Quick Mode across the namespaces, agree on SPIs and keys, and Quick
// Mode runs to the kernel's refusal.
func TestCharonPair(t *testing.T) {
	skipUnlessInterop(t)
	cp := newCharonPair(t, "aes128-sha256-modp2048", "aes128-sha256-modp2048")
	// The child fails at the kernel, so swanctl reports failure.
	_, _ = cp.a.Swanctl("--initiate", "--child", "lab", "--timeout", "10")
	var sas [2][]IKESA
	for i, c := range []*Charon{cp.a, cp.b} {
		out, err := c.Swanctl("--list-sas")
		if err != nil {
			t.Fatal(err)
		}
		sas[i] = ListedIKESAs(out)
		if len(sas[i]) != 1 || sas[i][0].State != "ESTABLISHED" {
			t.Fatalf("charon %d lists %v, want one ESTABLISHED IKE SA:\n%s", i, sas[i], out)
		}
	}
	if sas[0][0].InitSPI != sas[1][0].InitSPI || sas[0][0].RespSPI != sas[1][0].RespSPI {
		t.Errorf("SPIs differ: %v vs %v", sas[0][0], sas[1][0])
	}
	ka, err := LoggedPhase1Keys(cp.a.Log())
	if err != nil {
		t.Fatal(err)
	}
	kb, err := LoggedPhase1Keys(cp.b.Log())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ka.SKEYIDd, kb.SKEYIDd) || !bytes.Equal(ka.Ka, kb.Ka) || len(ka.Ka) != 16 {
		t.Errorf("keys differ: %x/%x vs %x/%x", ka.SKEYIDd, ka.Ka, kb.SKEYIDd, kb.Ka)
	}
	// charon as initiator installs the SA on Quick Mode's second message
	// and, refused by the kernel, sends NO-PROPOSAL-CHOSEN instead of the
	// third: the responder got as far as answering.
	if !waitFor(5*time.Second, func() bool { return strings.Contains(cp.a.Log(), qmInstallFailure) }) {
		t.Errorf("initiator did not reach the end of Quick Mode:\n%s", grepLog(cp.a.Log(), "[IKE]", "[KNL]", "[ENC]"))
	}
	if !strings.Contains(cp.b.Log(), "generating QUICK_MODE response") {
		t.Errorf("responder did not answer Quick Mode:\n%s", grepLog(cp.b.Log(), "[IKE]", "[KNL]", "[ENC]"))
	}
}

// waitFor polls cond every 50 ms for at most d.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// grepLog keeps the log lines holding any of the tags, the last 60.
func grepLog(log string, tags ...string) string {
	var keep []string
	for _, l := range strings.Split(log, "\n") {
		for _, t := range tags {
			if strings.Contains(l, t) && !strings.Contains(l, " bytes @ ") && !chunkLine.MatchString(l) {
				keep = append(keep, l)
				break
			}
		}
	}
	if len(keep) > 60 {
		keep = keep[len(keep)-60:]
	}
	return strings.Join(keep, "\n")
}
