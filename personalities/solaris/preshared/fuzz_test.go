package preshared

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// fuzzResolve is a deterministic name service for the fuzzers: the test
// names, anything else unknown.
func fuzzResolve(name string) ([]netip.Addr, error) { return fakeResolve(name) }

// writeAll writes entries and reports whether every line stays within what
// the daemon reads as one line; longer lines would be split on re-reading,
// in the emulator as in the daemon.
func writeAll(t *testing.T, keys []engine.PresharedKey) ([]byte, bool) {
	t.Helper()
	var b bytes.Buffer
	for i := range keys {
		if err := WriteKey(&b, &keys[i]); err != nil {
			t.Fatalf("WriteKey: %v", err)
		}
	}
	for _, l := range strings.SplitAfter(b.String(), "\n") {
		if len(l) > maxChunk {
			return b.Bytes(), false
		}
	}
	return b.Bytes(), true
}

func checkKeyShape(t *testing.T, key []byte, bits int) {
	t.Helper()
	if len(key) != (bits+7)/8 {
		t.Fatalf("key %x has %d bytes for %d bits", key, len(key), bits)
	}
	if rem := bits % 8; rem != 0 && key[len(key)-1]&(0xff>>rem) != 0 {
		t.Fatalf("key %x/%d has bits set past its length", key, bits)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(example66))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(bytes.NewReader(data), fuzzResolve)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Msg == "" || res == nil || res.Keys != nil {
				t.Fatalf("bad failure: %v %+v", err, res)
			}
			return
		}
		for _, k := range res.Keys {
			checkKeyShape(t, k.Key, k.KeyBits)
		}
		out, ok := writeAll(t, res.Keys)
		if !ok {
			return
		}
		again, err := Parse(bytes.NewReader(out), fuzzResolve)
		if err != nil {
			t.Fatalf("re-parse of\n%s\nfailed: %v", out, err)
		}
		if d := diff(res.Keys, again.Keys); d != "" {
			t.Fatalf("round trip of\n%s\n(-first +second)\n%s", out, d)
		}
	})
}

// reparseRefusals are the file checks an inline entry may fail: ikeadm
// does not apply them, so the daemon can hold entries it cannot read back.
func reparseRefusal(err error) bool {
	var pe *Error
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Msg {
	case msgMulticast, msgCompat, msgFamily:
		return true
	}
	return false
}

func FuzzParseInline(f *testing.F) {
	f.Add("{ localid 10.1.1.2 remoteid 10.21.12.4 key abcd }", false)
	f.Fuzz(func(t *testing.T, line string, numeric bool) {
		k, err := ParseInline(splitArgs(line), fuzzResolve, numeric)
		if err != nil {
			var ie *InlineError
			if !errors.Is(err, ErrMultipleAddrs) && (!errors.As(err, &ie) || ie.Reason == "") {
				t.Fatalf("bad failure: %v", err)
			}
			return
		}
		checkKeyShape(t, k.Key, k.KeyBits)
		out, ok := writeAll(t, []engine.PresharedKey{k})
		if !ok || !isAddrWord(k.LocalIDType) || !isAddrWord(k.RemoteIDType) {
			return
		}
		res, err := Parse(bytes.NewReader(out), fuzzResolve)
		if reparseRefusal(err) {
			return
		}
		if err != nil {
			t.Fatalf("re-parse of\n%s\nfailed: %v", out, err)
		}
		want := k
		want.Mode = engine.XchgBase
		want.LocalText = numericText(k.LocalAddr, k.LocalPlen)
		want.RemoteText = numericText(k.RemoteAddr, k.RemotePlen)
		if d := diff([]engine.PresharedKey{want}, res.Keys); d != "" {
			t.Fatalf("round trip of\n%s\n(-want +got)\n%s", out, d)
		}
	})
}

func FuzzParseKey(f *testing.F) {
	f.Add("abcd/12")
	f.Fuzz(func(t *testing.T, s string) {
		key, bits, warn, err := ParseKey(s)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || key != nil || bits != 0 || warn != "" {
				t.Fatalf("bad failure: %v %x %d %q", err, key, bits, warn)
			}
			return
		}
		if warn != "" && warn != WarnTruncated {
			t.Fatalf("warning %q", warn)
		}
		checkKeyShape(t, key, bits)
		written := hex.EncodeToString(key) + "/" + strconv.Itoa(bits)
		key2, bits2, _, err := ParseKey(written)
		if err != nil || !bytes.Equal(key, key2) || bits != bits2 {
			t.Fatalf("%q -> %q -> %x/%d %v, want %x/%d", s, written, key2, bits2, err, key, bits)
		}
	})
}
