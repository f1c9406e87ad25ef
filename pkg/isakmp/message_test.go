package isakmp

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var equateEmpty = cmpopts.EquateEmpty()

func testHeader(x ExchangeType) Header {
	return Header{
		InitiatorCookie: [8]byte{1, 2, 3, 4, 5, 6, 7, 8},
		ResponderCookie: [8]byte{9, 10, 11, 12, 13, 14, 15, 16},
		Major:           MajorVersion, Minor: MinorVersion,
		Exchange: x, MessageID: 0x01020304,
	}
}

func seq(n int, from byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = from + byte(i)
	}
	return b
}

func ikeSA(transforms int) *SA {
	p := Proposal{Number: 1, Protocol: ProtocolISAKMP}
	for i := 0; i < transforms; i++ {
		p.Transforms = append(p.Transforms, Transform{Number: uint8(i + 1), ID: TransformKeyIKE, Attributes: IKEAttributes{
			Encryption: EncryptionAESCBC, KeyLength: 128 * uint16(1+i%2), Hash: HashSHA256,
			AuthMethod: AuthPreSharedKey, Group: GroupMODP2048,
			Lifetimes: []Lifetime{{LifeSeconds, 28800}, {LifeKilobytes, 100000}},
		}.Attributes()})
	}
	return &SA{DOI: DOIIPsec, Situation: SituationIdentityOnly, Proposals: []Proposal{p}}
}

func mustID(id ID, err error) *ID {
	if err != nil {
		panic(err)
	}
	return &id
}

func ptr[T any](v T) *T { return &v }

// roundTripPayloads holds one case per payload type and per ID type.
func roundTripPayloads() map[string][]Payload {
	return map[string][]Payload{
		"SA one transform": {ikeSA(1)},
		"SA ESP and AH proposals": {&SA{DOI: DOIIPsec, Situation: SituationIdentityOnly, Proposals: []Proposal{
			{Number: 1, Protocol: ProtocolESP, SPI: []byte{0xde, 0xad, 0xbe, 0xef}, Transforms: []Transform{
				{Number: 1, ID: TransformESPAES, Attributes: IPsecAttributes{
					Lifetimes:     []Lifetime{{LifeSeconds, 3600}, {LifeKilobytes, 0x1_0000_0000}},
					Encapsulation: EncapsulationTunnel, AuthAlgorithm: AuthAlgHMACSHA256, KeyLength: 256, Group: GroupMODP2048,
				}.Attributes()},
				{Number: 2, ID: TransformESP3DES, Attributes: []Attribute{TLVAttr(IPsecAttrLifeDuration, []byte{0, 0, 0x0e, 0x10})}},
			}},
			{Number: 1, Protocol: ProtocolAH, SPI: []byte{1, 2, 3, 4}, Transforms: []Transform{{Number: 1, ID: TransformAHSHA}}},
		}}},
		"SA ISAKMP DOI":          {&SA{DOI: DOIISAKMP, Proposals: []Proposal{{Protocol: ProtocolISAKMP, Transforms: []Transform{{ID: TransformKeyIKE}}}}}},
		"KE":                     {&KE{Data: seq(256, 0)}},
		"KE empty":               {&KE{}},
		"NONCE":                  {&Nonce{Data: seq(32, 7)}},
		"HASH":                   {&Hash{Data: seq(20, 1)}},
		"SIG":                    {&Signature{Data: seq(128, 3)}},
		"VID":                    {&VendorID{Data: seq(16, 9)}},
		"CERT":                   {&Cert{Encoding: CertX509Signature, Data: seq(300, 0)}},
		"CERTREQ any":            {&CertRequest{Encoding: CertX509Signature}},
		"CERTREQ CA":             {&CertRequest{Encoding: CertX509Signature, Authority: seq(40, 0x30)}},
		"NOTIFY no SPI":          {&Notify{DOI: DOIIPsec, Protocol: ProtocolISAKMP, MessageType: NotifyNoProposalChosen}},
		"NOTIFY lifetime":        {&Notify{DOI: DOIIPsec, Protocol: ProtocolESP, SPI: []byte{1, 2, 3, 4}, MessageType: NotifyResponderLifetime, Data: []byte{0x80, 1, 0, 1, 0, 2, 0, 4, 0, 0, 0x0e, 0x10}}},
		"NOTIFY initial contact": {&Notify{DOI: DOIIPsec, Protocol: ProtocolISAKMP, SPI: seq(16, 0), MessageType: NotifyInitialContact}},
		"DELETE ISAKMP":          {&Delete{DOI: DOIIPsec, Protocol: ProtocolISAKMP, SPISize: 16, SPIs: [][]byte{seq(16, 0)}}},
		"DELETE ESP":             {&Delete{DOI: DOIIPsec, Protocol: ProtocolESP, SPISize: 4, SPIs: [][]byte{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}}}},
		"DELETE none":            {&Delete{DOI: DOIIPsec, Protocol: ProtocolESP, SPISize: 4}},
		"ID IPv4":                {ptr(IDFromAddr(netip.MustParseAddr("192.0.2.1")))},
		"ID IPv6":                {ptr(IDFromAddr(netip.MustParseAddr("2001:db8::1")))},
		"ID IPv4 subnet":         {ptr(IDFromPrefix(netip.MustParsePrefix("10.0.0.0/8")))},
		"ID IPv6 subnet":         {ptr(IDFromPrefix(netip.MustParsePrefix("2001:db8::/33")))},
		"ID IPv4 range":          {mustID(IDFromRange(netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.9")))},
		"ID IPv6 range":          {mustID(IDFromRange(netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::9")))},
		"ID FQDN":                {&ID{IDType: IDFQDN, Protocol: 17, Port: 500, Data: []byte("gw.example.com")}},
		"ID USER_FQDN":           {ptr(IDFromUserFQDN("alice@example.com"))},
		"ID DER_ASN1_DN":         {ptr(IDFromDN(seq(60, 0x30)))},
		"ID DER_ASN1_GN":         {&ID{IDType: IDDERASN1GN, Data: seq(10, 0)}},
		"ID KEY_ID":              {&ID{IDType: IDKeyID, Data: []byte{0x42}}},
		"raw private payload":    nil, // encode-only, see TestRawPayload
		"Main Mode 3":            {&KE{Data: seq(256, 0)}, &Nonce{Data: seq(32, 1)}, &VendorID{Data: seq(16, 2)}},
		"Main Mode 5": {ptr(IDFromAddr(netip.MustParseAddr("192.0.2.1"))), &Cert{Encoding: CertX509Signature, Data: seq(64, 0)},
			&Signature{Data: seq(128, 0)}, &Notify{DOI: DOIIPsec, Protocol: ProtocolISAKMP, SPI: seq(16, 0), MessageType: NotifyInitialContact}},
		"no payloads": {},
	}
}

func TestRoundTripPlaintext(t *testing.T) {
	for name, ps := range roundTripPayloads() {
		if ps == nil {
			continue
		}
		t.Run(name, func(t *testing.T) {
			m := &Message{Header: testHeader(ExchangeIdentityProtection), Payloads: ps}
			wire, err := m.Encode()
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			got, err := Decode(wire)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			want := *m
			want.Header.Length = uint32(len(wire))
			if len(ps) > 0 {
				want.Header.NextPayload = ps[0].Type()
			}
			if d := cmp.Diff(&want, got, equateEmpty); d != "" {
				t.Errorf("Decode(Encode(m)) differs (-want +got):\n%s", d)
			}
			again, err := got.Encode()
			if err != nil || !bytes.Equal(again, wire) {
				t.Errorf("re-encoding differs: %v", err)
			}
		})
	}
}

func TestRoundTripEncryptedBody(t *testing.T) {
	for name, ps := range roundTripPayloads() {
		if ps == nil {
			continue
		}
		for _, pad := range []int{0, 1, 7, 16} {
			first, body, err := EncodePayloads(ps)
			if err != nil {
				t.Fatalf("%s: EncodePayloads: %v", name, err)
			}
			padded := append(body, seq(pad, 0xf0)...)
			got, err := DecodePayloads(first, padded)
			if err != nil {
				t.Fatalf("%s pad %d: DecodePayloads: %v", name, pad, err)
			}
			if d := cmp.Diff(ps, got, equateEmpty); d != "" {
				t.Errorf("%s pad %d: differs (-want +got):\n%s", name, pad, d)
			}
		}
	}
}

func TestEncodeWithBody(t *testing.T) {
	h := testHeader(ExchangeQuickMode)
	h.Flags = FlagEncryption
	h.NextPayload = PayloadHash
	ct := seq(48, 0)
	wire, err := EncodeWithBody(h, ct)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeHeader(wire)
	if err != nil {
		t.Fatal(err)
	}
	h.Length = uint32(HeaderLen + len(ct))
	if got != h {
		t.Errorf("header %+v, want %+v", got, h)
	}
	if !bytes.Equal(wire[HeaderLen:got.Length], ct) {
		t.Errorf("body differs")
	}
	if _, err := Decode(wire); !errors.Is(err, ErrEncrypted) {
		t.Errorf("Decode of an encrypted message: %v, want ErrEncrypted", err)
	}
}

func TestBody(t *testing.T) {
	sa := ikeSA(1)
	m := &Message{Header: testHeader(ExchangeIdentityProtection), Payloads: []Payload{sa}}
	wire, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	body, err := Body(sa)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, wire[HeaderLen+genericHeaderLen:]) {
		t.Errorf("Body(SA) is not the SA payload without its generic header")
	}
}

func TestRawPayload(t *testing.T) {
	m := &Message{Header: testHeader(ExchangeIdentityProtection), Payloads: []Payload{
		&VendorID{Data: []byte{1}}, RawPayload{PayloadType: 130, Body: []byte{1, 2, 3}},
	}}
	wire, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var pe *PayloadError
	_, err = Decode(wire)
	if !errors.As(err, &pe) || pe.Type != 130 || pe.Offset != HeaderLen+5 {
		t.Errorf("Decode: %v, want a PayloadError for type 130 at %d", err, HeaderLen+5)
	}
	if n, ok := NotifyFor(err); !ok || n != NotifyInvalidPayloadType {
		t.Errorf("NotifyFor(%v) = %v, %v", err, n, ok)
	}
	for _, bad := range []Payload{RawPayload{PayloadType: PayloadKE}, RawPayload{}} {
		if _, err := (&Message{Header: testHeader(1), Payloads: []Payload{bad}}).Encode(); err == nil {
			t.Errorf("Encode(%v) succeeded", bad)
		}
	}
}

// TestDecodeVectors decodes the hand-built vectors of vectors_test.go and
// checks the fields against the values their sources print.
func TestDecodeVectors(t *testing.T) {
	t.Run("Main Mode 1", func(t *testing.T) {
		wire := unhex(t, mainMode1Hex)
		m, err := Decode(wire)
		if err != nil {
			t.Fatal(err)
		}
		if m.Header.Exchange != ExchangeMainMode || m.Header.InitiatorCookie != [8]byte{0xb9, 0xf0, 0x0c, 0x1a, 0xa2, 0xe6, 0x89, 0xdb} {
			t.Errorf("header %+v", m.Header)
		}
		if len(m.Payloads) != 3 {
			t.Fatalf("%d payloads, want 3", len(m.Payloads))
		}
		sa := m.Payloads[0].(*SA)
		if len(sa.Proposals) != 1 || len(sa.Proposals[0].Transforms) != 4 {
			t.Fatalf("SA %+v", sa)
		}
		want := []IKEAttributes{
			{Encryption: EncryptionDESCBC, Hash: HashMD5, AuthMethod: AuthPreSharedKey, Group: GroupMODP768},
			{Encryption: EncryptionDESCBC, Hash: HashSHA1, AuthMethod: AuthPreSharedKey, Group: GroupMODP768},
			{Encryption: Encryption3DESCBC, Hash: HashMD5, AuthMethod: AuthPreSharedKey, Group: GroupMODP768},
			{Encryption: Encryption3DESCBC, Hash: HashMD5, AuthMethod: AuthPreSharedKey, Group: GroupMODP1024},
		}
		for i, tr := range sa.Proposals[0].Transforms {
			got, err := ParseIKEAttributes(tr.Attributes)
			if err != nil {
				t.Fatalf("transform %d: %v", i+1, err)
			}
			want[i].Lifetimes = []Lifetime{{LifeSeconds, 900}}
			if d := cmp.Diff(want[i], got); d != "" {
				t.Errorf("transform %d (-want +got):\n%s", i+1, d)
			}
		}
		if vid := m.Payloads[2].(*VendorID); !bytes.Equal(vid.Data, unhex(t, "4a131c81070358455c5728f20e95452f")) {
			t.Errorf("NAT-T VID %x", vid.Data)
		}
		assertReencodes(t, m, wire)
	})
	t.Run("Quick Mode 1 body", func(t *testing.T) {
		body := unhex(t, quickMode1BodyHex)
		for _, pad := range [][]byte{nil, seq(15, 0), append(seq(15, 0), 15)} {
			ps, err := DecodePayloads(PayloadHash, append(body, pad...))
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 5 {
				t.Fatalf("%d payloads, want 5", len(ps))
			}
			p := ps[1].(*SA).Proposals[0]
			got, err := ParseIPsecAttributes(p.Transforms[0].Attributes)
			if err != nil {
				t.Fatal(err)
			}
			want := IPsecAttributes{Lifetimes: []Lifetime{{LifeSeconds, 21600}, {LifeKilobytes, 50000}},
				Encapsulation: EncapsulationTunnel, AuthAlgorithm: AuthAlgHMACMD5, KeyLength: 128}
			if d := cmp.Diff(want, got); d != "" || p.Protocol != ProtocolESP || p.Transforms[0].ID != TransformESPAES {
				t.Errorf("proposal %+v (-want +got):\n%s", p, d)
			}
			if a, ok := ps[3].(*ID).Addr(); !ok || a != netip.MustParseAddr("10.4.2.6") {
				t.Errorf("IDci %v", a)
			}
			if pf, err := ps[4].(*ID).Prefix(); err != nil || pf != netip.MustParsePrefix("10.4.0.0/16") {
				t.Errorf("IDcr %v %v", pf, err)
			}
			first, again, err := EncodePayloads(ps)
			if err != nil || first != PayloadHash || !bytes.Equal(again, body) {
				t.Errorf("re-encoding differs: %v", err)
			}
		}
	})
	t.Run("Delete", func(t *testing.T) {
		wire := unhex(t, informationalDeleteHex)
		m, err := Decode(wire)
		if err != nil {
			t.Fatal(err)
		}
		d := m.Payloads[0].(*Delete)
		if d.Protocol != ProtocolISAKMP || len(d.SPIs) != 1 || !bytes.Equal(d.SPIs[0], wire[:16]) {
			t.Errorf("delete %+v", d)
		}
		assertReencodes(t, m, wire)
	})
	t.Run("Notify", func(t *testing.T) {
		wire := unhex(t, notifyInvalidCookieHex)
		m, err := Decode(wire)
		if err != nil {
			t.Fatal(err)
		}
		n := m.Payloads[0].(*Notify)
		if n.MessageType != NotifyInvalidCookie || len(n.SPI) != 16 || !bytes.Equal(n.Data, []byte{0xca, 0xfe}) {
			t.Errorf("notify %+v", n)
		}
		assertReencodes(t, m, wire)
	})
}

func assertReencodes(t *testing.T, m *Message, wire []byte) {
	t.Helper()
	again, err := m.Encode()
	if err != nil || !bytes.Equal(again, wire) {
		t.Errorf("re-encoding differs (%v):\n got %x\nwant %x", err, again, wire)
	}
}

// TestDecodeAliasesACopy checks that decoded fields never alias the
// caller's buffer, which the engine reuses for the next datagram.
func TestDecodeAliasesACopy(t *testing.T) {
	wire := unhex(t, mainMode1Hex)
	m, err := Decode(wire)
	if err != nil {
		t.Fatal(err)
	}
	for i := range wire {
		wire[i] = 0
	}
	if vid := m.Payloads[1].(*VendorID); vid.Data[0] != 0xaf {
		t.Errorf("decoded data follows the input buffer")
	}
}
