package isakmp

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUintAttr(t *testing.T) {
	cases := []struct {
		v    uint64
		want Attribute
	}{
		{0, TV(IKEAttrLifeDuration, 0)},
		{28800, TV(IKEAttrLifeDuration, 28800)},
		{0xffff, TV(IKEAttrLifeDuration, 0xffff)},
		{86400, TLVAttr(IKEAttrLifeDuration, []byte{0x01, 0x51, 0x80})},
		{1 << 32, TLVAttr(IKEAttrLifeDuration, []byte{1, 0, 0, 0, 0})},
		{^uint64(0), TLVAttr(IKEAttrLifeDuration, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})},
	}
	for _, c := range cases {
		got := UintAttr(IKEAttrLifeDuration, c.v)
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("UintAttr(%d) (-want +got):\n%s", c.v, d)
		}
		if v, err := got.Uint(); err != nil || v != c.v {
			t.Errorf("Uint() = %d, %v; want %d", v, err, c.v)
		}
	}
	// Leading zeros are tolerated: peers send 4-byte durations.
	if v, err := TLVAttr(2, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0e, 0x10}).Uint(); err != nil || v != 3600 {
		t.Errorf("padded TLV: %d, %v", v, err)
	}
	for _, bad := range [][]byte{{}, {1, 0, 0, 0, 0, 0, 0, 0, 0}} {
		if _, err := TLVAttr(2, bad).Uint(); err == nil {
			t.Errorf("Uint(%x) succeeded", bad)
		}
	}
}

func TestParseIKEAttributesRoundTrip(t *testing.T) {
	want := IKEAttributes{Encryption: EncryptionAESCBC, KeyLength: 256, Hash: HashSHA256, AuthMethod: AuthRSASignature,
		Group: GroupECP256, Lifetimes: []Lifetime{{LifeSeconds, 86400}, {LifeKilobytes, 1000}}}
	got, err := ParseIKEAttributes(want.Attributes())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestParseAttributesRefuses(t *testing.T) {
	ike := map[string][]Attribute{
		"basic as TLV":          {TLVAttr(IKEAttrEncryption, []byte{0, 5})},
		"repeated":              {TV(IKEAttrHash, 1), TV(IKEAttrHash, 2)},
		"duration first":        {UintAttr(IKEAttrLifeDuration, 5)},
		"type without duration": {TV(IKEAttrLifeType, 1)},
		"type then other":       {TV(IKEAttrLifeType, 1), TV(IKEAttrHash, 1), UintAttr(IKEAttrLifeDuration, 5)},
		"life type twice":       {TV(IKEAttrLifeType, 1), TV(IKEAttrLifeDuration, 1), TV(IKEAttrLifeType, 1), TV(IKEAttrLifeDuration, 2)},
		"empty duration":        {TV(IKEAttrLifeType, 1), TLVAttr(IKEAttrLifeDuration, nil)},
		"group prime":           {TLVAttr(IKEAttrGroupPrime, []byte{1})},
	}
	for name, as := range ike {
		_, err := ParseIKEAttributes(as)
		var ue *UnsupportedError
		if !errors.As(err, &ue) {
			t.Errorf("IKE %s: %v", name, err)
		}
	}
	if _, err := ParseIPsecAttributes([]Attribute{TV(IPsecAttrKeyRounds, 1)}); err == nil {
		t.Errorf("IPsec key rounds accepted")
	} else if n, _ := NotifyFor(err); n != NotifyAttributesNotSupported {
		t.Errorf("IPsec key rounds: notify %d", n)
	}
	if _, err := ParseIPsecAttributes([]Attribute{TV(IPsecAttrLifeType, 1)}); err == nil {
		t.Errorf("IPsec life type without duration accepted")
	}
}

func TestIDHelpers(t *testing.T) {
	for _, s := range []string{"0.0.0.0/0", "10.1.0.0/16", "192.0.2.7/32", "::/0", "2001:db8::/33", "2001:db8::1/128"} {
		p := netip.MustParsePrefix(s)
		got, err := IDFromPrefix(p).Prefix()
		if err != nil || got != p {
			t.Errorf("Prefix(IDFromPrefix(%v)) = %v, %v", p, got, err)
		}
	}
	noncontig := ID{IDType: IDIPv4AddrSubnet, Data: []byte{10, 0, 0, 0, 255, 0, 255, 0}}
	if _, err := noncontig.Prefix(); err == nil {
		t.Errorf("non-contiguous mask accepted")
	}
	hostBits := ID{IDType: IDIPv4AddrSubnet, Data: []byte{10, 0, 0, 1, 255, 255, 255, 0}}
	if _, err := hostBits.Prefix(); err == nil {
		t.Errorf("address bits outside the mask accepted")
	}
	if _, err := IDFromRange(netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("::1")); err == nil {
		t.Errorf("mixed-family range accepted")
	}
	first, last, err := mustID(IDFromRange(netip.MustParseAddr("::ffff:10.0.0.1"), netip.MustParseAddr("10.0.0.2"))).Range()
	if err != nil || first != netip.MustParseAddr("10.0.0.1") || last != netip.MustParseAddr("10.0.0.2") {
		t.Errorf("Range = %v %v %v", first, last, err)
	}
	if _, ok := IDFromFQDN("x").Addr(); ok {
		t.Errorf("Addr of an FQDN")
	}
}
