package ikev1

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/ikemu/ikemu/pkg/isakmp"
)

// A body that is no whole number of cipher blocks does not decrypt; one
// hashed with another SKEYID_a decrypts but fails its hash: the two RX
// error classes in.iked counts apart.
func TestRXErrorClasses(t *testing.T) {
	isa, rsa := phase1Pair(t)
	e := ReaderEntropy{R: rand.Reader}
	msg, err := isa.DeleteMessage(e)
	if err != nil {
		t.Fatal(err)
	}
	h, err := isakmp.DecodeHeader(msg)
	if err != nil {
		t.Fatal(err)
	}
	short, err := isakmp.EncodeWithBody(h, make([]byte, 20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rsa.ReadInformational(short); !errors.Is(err, ErrUndecryptable) || errors.Is(err, ErrHashMismatch) {
		t.Errorf("short body: %v, want ErrUndecryptable", err)
	}
	forged := *isa
	forged.SKEYIDa = bytes.Repeat([]byte{7}, len(isa.SKEYIDa))
	bad, err := forged.DeleteMessage(e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rsa.ReadInformational(bad); !errors.Is(err, ErrHashMismatch) || errors.Is(err, ErrUndecryptable) {
		t.Errorf("wrong hash: %v, want ErrHashMismatch", err)
	}
}
