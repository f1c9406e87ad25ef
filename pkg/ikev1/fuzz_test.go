package ikev1

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ikemu/ikemu/pkg/ikealg"
	"github.com/ikemu/ikemu/pkg/isakmp"
)

// countingReader is a deterministic stream for reproducible seeds.
type countingReader struct {
	n   uint64
	buf []byte
}

func (c *countingReader) Read(p []byte) (int, error) {
	for len(c.buf) < len(p) {
		s := sha256.Sum256(binary.BigEndian.AppendUint64(nil, c.n))
		c.n++
		c.buf = append(c.buf, s[:]...)
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

func fuzzResponder() *Responder {
	r, _ := NewResponder(ResponderConfig{Local: addrR, Remote: addrI, Entropy: ReaderEntropy{R: &countingReader{}},
		Policy: staticPolicy{&Terms{Suites: []Suite{aes128SHA1(2)}, Auth: pskAuth{addrR, []byte("k")}}}})
	return r
}

// seedMessages are the messages of one Main Mode and one Aggressive
// Mode, as an initiator sends them.
func seedMessages(t testing.TB) [][]byte {
	var out [][]byte
	for _, mode := range []Mode{MainMode, AggressiveMode} {
		e := ReaderEntropy{R: &countingReader{n: 1 << 40}}
		in, _ := NewInitiator(InitiatorConfig{Mode: mode, Local: addrI, Remote: addrR,
			Suites: []Suite{aes128SHA1(2)}, Entropy: e, Auth: pskAuth{addrI, []byte("k")}})
		r := fuzzResponder()
		msg, err := in.Start()
		if err != nil {
			t.Fatal(err)
		}
		for msg != nil {
			out = append(out, msg)
			reply, _, err := r.Handle(msg)
			if err != nil || reply == nil {
				break
			}
			if msg, _, err = in.Handle(reply); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// TestWriteFuzzSeeds rewrites the seed corpus when IKEV1_WRITE_SEEDS is set.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("IKEV1_WRITE_SEEDS") == "" {
		t.Skip("set IKEV1_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzResponderHandle")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzResponderHandle")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, m := range seedMessages(t) {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", m)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("exchange_msg_%d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzResponderHandle feeds arbitrary bytes to a fresh responder and to
// one that has answered a valid first message: never a panic, and a
// reply only together with a refusal or progress.
func FuzzResponderHandle(f *testing.F) {
	for _, m := range seedMessages(f) {
		f.Add(m)
	}
	first := seedMessages(f)[0]
	f.Fuzz(func(t *testing.T, data []byte) {
		r := fuzzResponder()
		_, _, _ = r.Handle(data)
		r = fuzzResponder()
		if _, _, err := r.Handle(first); err != nil {
			t.Fatalf("valid first message refused: %v", err)
		}
		_, _, _ = r.Handle(data)
		_, _, _ = r.Handle(data)
	})
}

// FuzzQuickResponderHandle feeds arbitrary bytes to a Quick Mode
// responder on an established SA: never a panic.
func FuzzQuickResponderHandle(f *testing.F) {
	isa, rsa := fuzzPhase1(f)
	e := ReaderEntropy{R: &countingReader{n: 1 << 50}}
	qi, err := NewQuickInitiator(QuickConfig{SA: isa, Entropy: e, PFS: 2, Suites: []Phase2Suite{{
		Protocol: isakmp.ProtocolESP, Cipher: ikealg.CipherAES, KeyBits: 128, Auth: ikealg.HashSHA1,
		Encapsulation: isakmp.EncapsulationTunnel}}})
	if err != nil {
		f.Fatal(err)
	}
	m1, err := qi.Start()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(m1)
	f.Fuzz(func(t *testing.T, data []byte) {
		qr, _ := NewQuickResponder(QuickResponderConfig{SA: rsa, Policy: &acceptFirst{}, Entropy: e})
		_, _, _ = qr.Handle(data)
		_, _, _ = qr.Handle(data)
		_, _ = rsa.ReadInformational(data)
	})
}

// fuzzPhase1 is an established pair of SAs from a deterministic run.
func fuzzPhase1(t testing.TB) (*SA, *SA) {
	e := ReaderEntropy{R: &countingReader{n: 1 << 45}}
	in, _ := NewInitiator(InitiatorConfig{Mode: MainMode, Local: addrI, Remote: addrR,
		Suites: []Suite{aes128SHA1(2)}, Entropy: e, Auth: pskAuth{addrI, []byte("k")}})
	r := fuzzResponder()
	if ierr, rerr := exchange(t, in, r); ierr != nil || rerr != nil {
		t.Fatalf("%v / %v", ierr, rerr)
	}
	return in.SA(), r.SA()
}
