package interop

import (
	"strings"
	"testing"
	"time"
)

// TestSolarisToCharonFailures: a proposal charon does not accept, a
// preshared key it does not share, and charon stopped, each with the
// ikemu side's text and counters and charon's side of the story.
func TestSolarisToCharonFailures(t *testing.T) {
	skipUnlessInterop(t)
	net, c := charonSide(t, func(l, r string) string {
		return pskConn(l, r, "aes256-sha256-modp3072", "aes128-sha1", "interop secret", false)
	})
	const xform = "auth_method preshared oakley_group 14 auth_alg sha encr_alg aes"
	l := solarisLab(t, net.A, net.B, xform, "interop secret")
	// Short retransmission timers, capped: 0.2 s, then 0.2 s (not 0.4,
	// 0.8), three times; in.iked's defaults would wait 7.5 s.
	l.Globals = "retry_limit 3\nretry_timer_init 0.2\nretry_timer_max 0.2\n"
	configureSolaris(t, l, net.A, net.B, xform, "", "interop secret")
	acquire := func() Result {
		t.Helper()
		r, err := l.Run(net.A.NS, "acquire", "--from", net.A.Addr, "--to", net.B.Addr)
		if err != nil {
			t.Fatal(err)
		}
		if r.Code != 1 {
			t.Errorf("acquire exit %d, want 1: %+v", r.Code, r)
		}
		return r
	}
	stats := func() string {
		t.Helper()
		return mustRun(t, l, "ikeadm", "get", "stats").Stdout
	}

	// Proposal mismatch: charon answers NO-PROPOSAL-CHOSEN.
	r := acquire()
	if want := "failed: 198.51.100.2 rejected every proposal (NO-PROPOSAL-CHOSEN)\n"; !strings.HasSuffix(r.Stdout, want) {
		t.Errorf("proposal mismatch: %q, want ...%q", r.Stdout, want)
	}
	if !strings.Contains(c.Log(), "no proposal found") {
		t.Errorf("charon did not refuse the proposal:\n%s", grepLog(c.Log(), "[IKE]", "[CFG]"))
	}

	// PSK mismatch: charon cannot read message 5.
	if err := c.Load(pskConn(net.B.Addr, net.A.Addr, "aes128-sha1-modp2048", "aes128-sha1", "another secret", false)); err != nil {
		t.Fatal(err)
	}
	r = acquire()
	if want := "failed: authentication with 198.51.100.2 failed: its answer does not decrypt (preshared keys differ)\n"; !strings.HasSuffix(r.Stdout, want) {
		t.Errorf("PSK mismatch: %q, want ...%q", r.Stdout, want)
	}
	if !strings.Contains(c.Log(), "N(PLD_MAL)") {
		t.Errorf("charon sent no PAYLOAD-MALFORMED:\n%s", grepLog(c.Log(), "[IKE]", "[ENC]"))
	}

	// charon stopped: in.iked's retransmissions run out.
	c.Stop()
	start := time.Now()
	r = acquire()
	if want := "failed: no response from 198.51.100.2\n"; !strings.HasSuffix(r.Stdout, want) {
		t.Errorf("charon stopped: %q, want ...%q", r.Stdout, want)
	}
	// 4 × 0.2 s of waiting plus one ikemu run; uncapped timers would take
	// 3 s, the defaults 7.5 s.
	if el := time.Since(start); el < 800*time.Millisecond || el > 2500*time.Millisecond {
		t.Errorf("time-out after %v, want about 0.8 s (retry_timer_init/max 0.2 s, retry_limit 3)", el)
	} else {
		t.Logf("time-out after %v", el)
	}
	st := stats()
	for _, want := range []string{"Attempted: initiator:          3", "Failed:    initiator:          3",
		"initiator fails include 1 time-out(s)"} {
		if !strings.Contains(st, want) {
			t.Errorf("get stats lacks %q:\n%s", want, st)
		}
	}
}
