package ikecrypto

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewCookie(t *testing.T) {
	c1, err := NewCookie(seeded(1))
	if err != nil || c1 == ([8]byte{}) {
		t.Fatalf("NewCookie = %x, %v", c1, err)
	}
	if c2, _ := NewCookie(seeded(1)); c2 != c1 {
		t.Error("seeded cookies differ")
	}
	// A zero draw is skipped, not returned.
	r := bytes.NewReader(append(make([]byte, 8), 1, 2, 3, 4, 5, 6, 7, 8))
	if c, err := NewCookie(r); err != nil || c != [8]byte{1, 2, 3, 4, 5, 6, 7, 8} {
		t.Errorf("NewCookie after zero draw = %x, %v", c, err)
	}
	if _, err := NewCookie(zeroReader{}); !errors.Is(err, ErrRandomSource) {
		t.Errorf("zero reader: %v", err)
	}
	if _, err := NewCookie(nil); !errors.Is(err, ErrRandomSource) {
		t.Errorf("nil reader: %v", err)
	}
}

func TestNewNonce(t *testing.T) {
	for _, n := range []int{8, 16, 32, 256} {
		b, err := NewNonce(seeded(2), n)
		if err != nil || len(b) != n {
			t.Errorf("NewNonce(%d) = %d bytes, %v", n, len(b), err)
		}
	}
	for _, n := range []int{-1, 0, 7, 257} {
		if b, err := NewNonce(seeded(2), n); b != nil || !errors.Is(err, ErrNonceLength) {
			t.Errorf("NewNonce(%d) = %x, %v", n, b, err)
		}
	}
	if _, err := NewNonce(bytes.NewReader(make([]byte, 5)), 8); err == nil {
		t.Error("short reader accepted")
	}
}
