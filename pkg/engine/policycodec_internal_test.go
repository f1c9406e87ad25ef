package engine

import (
	"encoding/json"
	"net/netip"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fillAll sets every field reachable from v to a non-zero value, so that
// a field added to a policy type but not to its codec fails the round
// trip below.
func fillAll(t testing.TB, v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + string(rune('a'+*n%26)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n) + 1<<20)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fillAll(t, s.Index(i), n)
		}
		v.Set(s)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(t, v.Elem(), n)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[netip.Addr]() {
			if *n%2 == 0 {
				v.Set(reflect.ValueOf(netip.AddrFrom4([4]byte{10, 0, 0, byte(*n)})))
			} else {
				v.Set(reflect.ValueOf(netip.MustParseAddr("2001:db8::1")))
			}
			return
		}
		for i := range v.NumField() {
			fillAll(t, v.Field(i), n)
		}
	default:
		t.Fatalf("fillAll: no case for %s", v.Type())
	}
}

var addrCmp = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

func TestPolicyCodecRoundTrip(t *testing.T) {
	var n int
	var p1 Phase1Policy
	fillAll(t, reflect.ValueOf(&p1).Elem(), &n)
	got1, err := unmarshalPhase1Policy(p1.marshalBinary())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&p1, got1, addrCmp); d != "" {
		t.Errorf("phase 1 round trip (-want +got):\n%s", d)
	}
	var p2 Phase2Policy
	fillAll(t, reflect.ValueOf(&p2).Elem(), &n)
	p2.Proposals[1].AH = nil
	got2, err := unmarshalPhase2Policy(p2.marshalBinary())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&p2, got2, addrCmp); d != "" {
		t.Errorf("phase 2 round trip (-want +got):\n%s", d)
	}
	// A transient decode over another policy leaves nothing of it.
	reused := *got2
	var small Phase2Policy
	small.Name, small.Proposals = "small", []Proposal{{AH: &IPsecTransform{Auth: HashSHA1}}}
	if err := reused.unmarshalBinary(small.marshalBinary()); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&small, &reused, addrCmp); d != "" {
		t.Errorf("phase 2 decoded over another (-want +got):\n%s", d)
	}
	reused1 := *got1
	var small1 Phase1Policy
	small1.Label = "small"
	if err := reused1.unmarshalBinary(small1.marshalBinary()); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&small1, &reused1, addrCmp); d != "" {
		t.Errorf("phase 1 decoded over another (-want +got):\n%s", d)
	}
	// Rows a lab stored as JSON before still decode.
	js, _ := json.Marshal(&p1)
	if old, err := unmarshalPhase1Policy(js); err != nil || old.Label != p1.Label {
		t.Errorf("JSON phase 1 row: %v, %+v", err, old)
	}
	js, _ = json.Marshal(&p2)
	if old, err := unmarshalPhase2Policy(js); err != nil || old.Name != p2.Name {
		t.Errorf("JSON phase 2 row: %v, %+v", err, old)
	}
}

// Every truncation of a record, and trailing bytes, is damage, never a
// panic or a short policy.
func TestPolicyCodecTruncated(t *testing.T) {
	var n int
	var p1 Phase1Policy
	fillAll(t, reflect.ValueOf(&p1).Elem(), &n)
	var p2 Phase2Policy
	fillAll(t, reflect.ValueOf(&p2).Elem(), &n)
	for _, c := range []struct {
		raw    []byte
		decode func([]byte) error
	}{
		{p1.marshalBinary(), func(b []byte) error { _, err := unmarshalPhase1Policy(b); return err }},
		{p2.marshalBinary(), func(b []byte) error { _, err := unmarshalPhase2Policy(b); return err }},
	} {
		for i := range len(c.raw) {
			if err := c.decode(c.raw[:i]); err == nil {
				t.Errorf("%d of %d bytes decoded", i, len(c.raw))
			}
		}
		if err := c.decode(append(c.raw, 0)); err == nil {
			t.Error("trailing byte accepted")
		}
	}
}

func FuzzPolicyCodec(f *testing.F) {
	var n int
	var p1 Phase1Policy
	fillAll(f, reflect.ValueOf(&p1).Elem(), &n)
	f.Add(p1.marshalBinary())
	f.Add([]byte{p1CodecVersion})
	f.Fuzz(func(t *testing.T, raw []byte) {
		if p, err := unmarshalPhase1Policy(raw); err == nil {
			if _, err := unmarshalPhase1Policy(p.marshalBinary()); err != nil {
				t.Errorf("re-encoded policy does not decode: %v", err)
			}
		}
		unmarshalPhase2Policy(raw)
	})
}
