package interop

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// sendDrops sends ikemu serve on to datagrams it must drop, from a socket
// on side from: one too short for a header, one with cookies of no
// SA, two encrypted Informationals under the SA with cookies ckyI, ckyR
// whose body is no whole number of cipher blocks (decryption errors), a
// Main Mode message under that SA (an "other" error), and the first
// message of a new Main Mode twice (a replay, answered twice).
func sendDrops(t *testing.T, from Side, to netip.AddrPort, ckyI, ckyR string) {
	t.Helper()
	var sa [2][8]byte
	for i, c := range []string{ckyI, ckyR} {
		if b, err := hex.DecodeString(c); err != nil || len(b) != 8 {
			t.Fatalf("cookie %q", c)
		} else {
			copy(sa[i][:], b)
		}
	}
	msg := func(h isakmp.Header, body []byte) []byte {
		h.Major = 1
		b, err := isakmp.EncodeWithBody(h, body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	unknown := msg(isakmp.Header{InitiatorCookie: [8]byte{1, 2, 3}, ResponderCookie: [8]byte{4, 5, 6}, Exchange: isakmp.ExchangeInformational}, nil)
	garbled := msg(isakmp.Header{InitiatorCookie: sa[0], ResponderCookie: sa[1], NextPayload: isakmp.PayloadHash,
		Exchange: isakmp.ExchangeInformational, Flags: isakmp.FlagEncryption, MessageID: 0x01020304}, make([]byte, 20))
	mainUnder := msg(isakmp.Header{InitiatorCookie: sa[0], ResponderCookie: sa[1], Exchange: isakmp.ExchangeMainMode}, nil)
	in, err := ikev1.NewInitiator(ikev1.InitiatorConfig{Mode: ikev1.MainMode, Local: netip.MustParseAddr(from.Addr), Remote: to.Addr(),
		Suites:  []ikev1.Suite{{Auth: ikealg.AuthPreshared, Cipher: ikealg.CipherAES, KeyBits: 256, Hash: ikealg.HashSHA1, Group: 14}},
		Entropy: ikev1.ReaderEntropy{R: rand.Reader}, Auth: pskOnly("x")})
	if err != nil {
		t.Fatal(err)
	}
	first, err := in.Start()
	if err != nil {
		t.Fatal(err)
	}
	err = InNetns(from.NS, func() error {
		c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(to))
		if err != nil {
			return err
		}
		defer c.Close()
		for _, b := range [][]byte{{1, 2, 3}, unknown, garbled, garbled, mainUnder, first, first} {
			if _, err := c.Write(b); err != nil {
				return err
			}
			time.Sleep(20 * time.Millisecond) // in order, and the replay after the answer
		}
		buf := make([]byte, 2048)
		for i := range 2 { // message 2, then message 2 again for the replay
			if err := c.SetReadDeadline(time.Now().Add(3 * time.Second)); err != nil {
				return err
			}
			if _, err := c.Read(buf); err != nil {
				return fmt.Errorf("answer %d to the new Main Mode: %w", i+1, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pskOnly is an Authenticator with a preshared key and nothing else.
type pskOnly string

func (k pskOnly) PresharedKey(netip.Addr, *isakmp.ID) ([]byte, error) { return []byte(k), nil }
func (pskOnly) Identity(ikealg.AuthMethod) (*ikev1.Identity, error)   { return nil, nil }
func (pskOnly) VerifyPeer(ikealg.AuthMethod, isakmp.ID, [][]byte, []byte, []byte) error {
	return nil
}

// checkDrops waits for serve to record what sendDrops sent: the SA's
// ERRS line in ikeadm dump p1 and the host's wire counters.
func checkDrops(t *testing.T, l *Lab, s *serving) {
	t.Helper()
	const want = "ERRS:  3 RX errors: 2 decryption, 0 hash, 1 other\n"
	if !waitFor(5*time.Second, func() bool { return strings.Contains(mustRun(t, l, "ikeadm", "dump", "p1").Stdout, want) }) {
		t.Errorf("dump p1 lacks %q:\n%s\nserve:\n%s", want, mustRun(t, l, "ikeadm", "dump", "p1").Stdout, s.Log())
	}
	var list struct {
		Items []struct {
			Name string         `json:"name"`
			RX   map[string]int `json:"wire_rx_dropped"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, l, "host", "list", "-o", "json").Stdout), &list); err != nil {
		t.Fatal(err)
	}
	hosts := list.Items
	wantRX := map[string]int{"malformed": 1, "unknown_cookie": 1, "replays": 1, "refused": 3}
	for _, h := range hosts {
		if h.Name == l.Host && fmt.Sprint(h.RX) != fmt.Sprint(wantRX) {
			t.Errorf("host list: %s has wire_rx_dropped %v, want %v", h.Name, h.RX, wantRX)
		}
	}
}
