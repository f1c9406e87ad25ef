package isakmp

import (
	"encoding/binary"
	"errors"
	"testing"
)

// patch returns a copy of b with b[off] = v.
func patch(b []byte, off int, v ...byte) []byte {
	c := append([]byte(nil), b...)
	copy(c[off:], v)
	return c
}

// withLen returns b (a message) with its header length set to len(b).
func withLen(b []byte) []byte {
	binary.BigEndian.PutUint32(b[24:], uint32(len(b)))
	return b
}

// TestDecodeRefuses walks the strict rules over the Main Mode 1 vector:
// offsets are those of the layout in vectors_test.go.
func TestDecodeRefuses(t *testing.T) {
	mm1 := unhex(t, mainMode1Hex)
	const (
		sa       = HeaderLen     // SA generic header
		prop     = sa + 12       // proposal generic header
		tr1      = prop + 8      // first transform generic header
		attr1    = tr1 + 8       // first attribute
		vid2     = sa + 148 + 20 // last VID
		notify   = 0x0b
		truncate = -1
	)
	type want struct {
		cause  error            // for *MalformedError
		notify NotifyType       // the notify NotifyFor returns
		as     func(error) bool // the error type
	}
	malformedWith := func(cause error) want {
		return want{cause: cause, notify: NotifyPayloadMalformed, as: isMalformed}
	}
	cases := []struct {
		name  string
		input []byte
		want  want
	}{
		{"empty", nil, malformedWith(ErrTruncated)},
		{"short header", mm1[:27], malformedWith(ErrTruncated)},
		{"major version 2", patch(mm1, 17, 0x20), want{notify: NotifyInvalidMajorVersion, as: isUnsupported}},
		{"minor version 1", patch(mm1, 17, 0x11), want{notify: NotifyInvalidMinorVersion, as: isUnsupported}},
		{"unknown flag", patch(mm1, 19, 0x08), want{notify: NotifyInvalidFlags, as: isUnsupported}},
		{"encrypted", patch(mm1, 19, 0x01), want{as: func(err error) bool { return errors.Is(err, ErrEncrypted) }}},
		{"header length short of datagram", patch(mm1, 24, 0, 0, 0, 0xd7), malformedWith(ErrLength)},
		{"header length past datagram", patch(mm1, 24, 0, 0, 0, 0xd9), malformedWith(ErrTruncated)},
		{"header length below header", patch(mm1, 24, 0, 0, 0, 27), malformedWith(ErrLength)},
		{"trailing bytes", withLen(append(append([]byte(nil), mm1...), 0)), malformedWith(ErrTrailing)},
		{"chain ends early", withLen(append(append([]byte(nil), mm1...), 0, 0, 0, 4)), malformedWith(ErrTrailing)},
		{"chain runs past end", patch(mm1, vid2, byte(PayloadNonce)), malformedWith(ErrTruncated)},
		{"generic reserved", patch(mm1, sa+1, 1), malformedWith(ErrReserved)},
		{"payload length 3", patch(mm1, vid2+2, 0, 3), malformedWith(ErrLength)},
		{"payload length past end", patch(mm1, vid2+2, 0, 0x15), malformedWith(ErrTruncated)},
		{"unknown payload type", patch(mm1, vid2-20, 200), want{notify: NotifyInvalidPayloadType, as: isPayloadError}},
		{"proposal at top level", patch(mm1, 16, byte(PayloadProposal)), want{notify: NotifyInvalidPayloadType, as: isPayloadError}},
		{"NAT-D (unknown here)", patch(mm1, vid2-20, 20), want{notify: NotifyInvalidPayloadType, as: isPayloadError}},
		{"DOI 2", patch(mm1, sa+7, 2), want{notify: NotifyDOINotSupported, as: isUnsupported}},
		{"situation secrecy", patch(mm1, sa+11, 3), want{notify: NotifySituationNotSupported, as: isUnsupported}},
		{"proposal next is KE", patch(mm1, prop, byte(PayloadKE)), want{notify: NotifyInvalidPayloadType, as: isPayloadError}},
		{"proposal next P but none follows", patch(mm1, prop, byte(PayloadProposal)), malformedWith(ErrTruncated)},
		{"proposal length short", patch(mm1, prop+2, 0, 0x87), malformedWith(ErrTruncated)},
		{"proposal SPI past end", patch(mm1, prop+6, 0xff), malformedWith(ErrTruncated)},
		{"transform count high", patch(mm1, prop+7, 5), malformedWith(ErrCount)},
		{"transform count zero", patch(mm1, prop+7, 0), malformedWith(ErrCount)},
		{"transform next is P", patch(mm1, tr1, byte(PayloadProposal)), want{notify: NotifyInvalidPayloadType, as: isPayloadError}},
		{"last transform says more", patch(mm1, tr1+96, byte(PayloadTransform)), malformedWith(ErrTruncated)},
		{"transform reserved", patch(mm1, tr1+6, 1), malformedWith(ErrReserved)},
		{"transform short", patch(mm1, tr1+2, 0, 7), malformedWith(ErrTruncated)},
		{"attribute type 0", patch(mm1, attr1, 0x80, 0), malformedWith(ErrReserved)},
		{"TLV attribute past transform", patch(mm1, attr1, 0x00, 0x0c, 0x00, 0x40), malformedWith(ErrTruncated)},
		{"attribute cut by transform end", patch(mm1, tr1+2, 0, 0x1e), malformedWith(ErrTruncated)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Decode(c.input)
			if err == nil {
				t.Fatalf("Decode succeeded: %+v", m)
			}
			if !c.want.as(err) {
				t.Fatalf("Decode: %v (%T), not the expected type", err, err)
			}
			if c.want.cause != nil && !errors.Is(err, c.want.cause) {
				t.Errorf("Decode: %v, want cause %v", err, c.want.cause)
			}
			if n, _ := NotifyFor(err); n != c.want.notify {
				t.Errorf("NotifyFor(%v) = %d, want %d", err, n, c.want.notify)
			}
		})
	}
}

func isMalformed(err error) bool   { var e *MalformedError; return errors.As(err, &e) }
func isUnsupported(err error) bool { var e *UnsupportedError; return errors.As(err, &e) }
func isPayloadError(err error) bool {
	var e *PayloadError
	return errors.As(err, &e)
}

// TestDecodePayloadsRefuses covers the bodies' own rules, through the
// encrypted-body path so that no header gets in the way.
func TestDecodePayloadsRefuses(t *testing.T) {
	cases := []struct {
		name  string
		first PayloadType
		body  string
		cause error
		code  NotifyType
	}{
		{"truncated generic header", PayloadKE, "00 00 00", ErrTruncated, 0},
		{"padding is not a payload", PayloadKE, "0a 00 0004", ErrTruncated, 0},
		{"SA without proposal", PayloadSA, "00 00 000c 00000001 00000001", ErrCount, 0},
		{"SA fixed part short", PayloadSA, "00 00 0008 00000001", ErrTruncated, 0},
		{"notify fixed part short", PayloadNotify, "00 00 000b 00000001 01 00 00", ErrTruncated, 0},
		{"notify SPI past payload", PayloadNotify, "00 00 000c 00000001 01 04 000e", ErrTruncated, 0},
		{"delete count high", PayloadDelete, "00 00 0010 00000001 03 04 0002 01020304", ErrCount, 0},
		{"delete count low", PayloadDelete, "00 00 0014 00000001 03 04 0001 01020304 05060708", ErrCount, 0},
		{"delete SPI size 0", PayloadDelete, "00 00 000c 00000001 03 00 ffff", ErrLength, 0},
		{"cert without encoding", PayloadCert, "00 00 0004", ErrTruncated, 0},
		{"certreq without encoding", PayloadCertRequest, "00 00 0004", ErrTruncated, 0},
		{"ID fixed part short", PayloadID, "00 00 0007 01 00 00", ErrTruncated, 0},
		{"ID IPv4 of 5 bytes", PayloadID, "00 00 000d 01 00 0000 0a000001 00", errIDLength, NotifyInvalidIDInformation},
		{"ID IPv6 subnet of 16", PayloadID, "00 00 0018 06 00 0000 20010db8000000000000000000000000", errIDLength, NotifyInvalidIDInformation},
		{"ID FQDN empty", PayloadID, "00 00 0008 02 00 0000", errIDLength, NotifyInvalidIDInformation},
		{"ID type 0", PayloadID, "00 00 0009 00 00 0000 41", errIDType, NotifyInvalidIDInformation},
		{"ID type 12", PayloadID, "00 00 0009 0c 00 0000 41", errIDType, NotifyInvalidIDInformation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps, err := DecodePayloads(c.first, unhex(t, c.body))
			if !errors.Is(err, c.cause) {
				t.Fatalf("DecodePayloads = %v, %v; want cause %v", ps, err, c.cause)
			}
			want := c.code
			if want == 0 {
				want = NotifyPayloadMalformed
			}
			if n, _ := NotifyFor(err); n != want {
				t.Errorf("NotifyFor(%v) = %d, want %d", err, n, want)
			}
		})
	}
}

// TestEncodeRefuses: what decoding refuses, encoding refuses too, so that
// the engine cannot send what a strict peer would drop.
func TestEncodeRefuses(t *testing.T) {
	big := make([]byte, 0x10000)
	cases := map[string]Payload{
		"payload too long":         &KE{Data: big[:maxPayloadLen-3]},
		"SA without proposal":      &SA{DOI: DOIIPsec},
		"SA DOI 2":                 &SA{DOI: 2, Proposals: ikeSA(1).Proposals},
		"SA situation secrecy":     &SA{DOI: DOIIPsec, Situation: SituationSecrecy, Proposals: ikeSA(1).Proposals},
		"proposal w/o transform":   &SA{DOI: DOIIPsec, Proposals: []Proposal{{Protocol: ProtocolESP}}},
		"proposal SPI 256 bytes":   &SA{DOI: DOIIPsec, Proposals: []Proposal{{SPI: make([]byte, 256), Transforms: []Transform{{}}}}},
		"proposal 256 transforms":  &SA{DOI: DOIIPsec, Proposals: []Proposal{{Transforms: make([]Transform, 256)}}},
		"attribute type 0":         &SA{DOI: DOIIPsec, Proposals: []Proposal{{Transforms: []Transform{{Attributes: []Attribute{TV(0, 1)}}}}}},
		"attribute type 0x8000":    &SA{DOI: DOIIPsec, Proposals: []Proposal{{Transforms: []Transform{{Attributes: []Attribute{TV(0x8000, 1)}}}}}},
		"attribute data too long":  &SA{DOI: DOIIPsec, Proposals: []Proposal{{Transforms: []Transform{{Attributes: []Attribute{TLVAttr(2, big)}}}}}},
		"notify SPI 256 bytes":     &Notify{SPI: make([]byte, 256)},
		"delete SPI size mismatch": &Delete{SPISize: 4, SPIs: [][]byte{{1, 2, 3}}},
		"delete SPI size 0":        &Delete{SPIs: [][]byte{{}}},
		"ID IPv4 of 3 bytes":       &ID{IDType: IDIPv4Addr, Data: []byte{1, 2, 3}},
		"ID type 0":                &ID{Data: []byte{1}},
		"transform at top level":   nil,
	}
	for name, p := range cases {
		ps := []Payload{p}
		if p == nil {
			ps = []Payload{nil}
		}
		if _, err := (&Message{Header: testHeader(ExchangeIdentityProtection), Payloads: ps}).Encode(); err == nil {
			t.Errorf("%s: Encode succeeded", name)
		}
	}
	bad := testHeader(ExchangeIdentityProtection)
	bad.Major = 2
	if _, err := (&Message{Header: bad}).Encode(); err == nil {
		t.Errorf("version 2.0: Encode succeeded")
	}
}
