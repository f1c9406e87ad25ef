package engine

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"testing"
	"time"
)

// fuzzAddr makes an address of 0, 4 or 16 bytes of raw, with zone on an
// IPv6 one.
func fuzzAddr(raw []byte, zone string) netip.Addr {
	switch {
	case len(raw) >= 16:
		return netip.AddrFrom16([16]byte(raw[:16])).WithZone(zone)
	case len(raw) >= 4:
		return netip.AddrFrom4([4]byte(raw[:4]))
	}
	return netip.Addr{}
}

// fuzzKey is nil, empty or raw, so that omitzero and omitempty both see
// each case.
func fuzzKey(raw []byte, sel uint8) []byte {
	switch sel % 3 {
	case 0:
		return nil
	case 1:
		return []byte{}
	}
	return raw
}

// FuzzJSONAppend: the phase 2 SA and SADB event JSON the engine writes
// itself is byte for byte encoding/json's, or left to it.
func FuzzJSONAppend(f *testing.F) {
	f.Add(uint32(1), uint64(0x1122334455667788), int64(1767225600123456789), 3600, []byte{10, 1, 0, 1}, []byte{10, 2, 0, 1},
		"", "ESP", 12, 128, 3, "Tunnel", 14, uint32(0x1234), []byte("k"), uint8(2), "", "", true, "add")
	f.Add(uint32(0), uint64(0), int64(0), 0, []byte{}, bytes.Repeat([]byte{0xfe}, 16),
		"pol<&>\"\\ \u00e9", "AH", 0, 0, 0, "Transport", 0, uint32(0), []byte{}, uint8(1), "eth0", "active", false, "")
	f.Add(uint32(7), uint64(1), int64(-70000000000000000), -3600, bytes.Repeat([]byte{1}, 16), []byte{1, 2, 3, 4},
		"d1", "ESP", 3, 0, 2, "Tunnel", 2, uint32(0xffffffff), []byte{0, 1, 2, 3, 4, 5, 6}, uint8(0), "", "\x00bad\xff", true, "delete")
	f.Fuzz(func(t *testing.T, num uint32, cky uint64, nanos int64, offset int, local, remote []byte,
		policy, protocol string, cipher, keyBits, auth int, mode string, pfs int, spi uint32, key []byte, keySel uint8,
		zone, status string, flag bool, kind string) {
		at := time.Unix(0, nanos).In(time.FixedZone("z", offset%100000))
		sa := &Phase2SA{TunnelNum: num, P1TunnelNum: num / 2, CookieI: cky, CookieR: ^cky, Initiator: flag, Created: at,
			LifetimeSecs: num % 7, LifetimeKB: num % 3, Local: AddrRange{First: fuzzAddr(local, zone), Last: fuzzAddr(remote, "")},
			Remote: AddrRange{First: fuzzAddr(remote, zone), Last: fuzzAddr(local, "")}, PolicyName: policy,
			Proposal: P2Transform{Protocol: protocol, Cipher: Cipher(cipher), KeyBits: keyBits, Auth: Hash(auth), Encapsulate: mode},
			PFS:      pfs, SPIIn: spi, SPIOut: ^spi, Removed: !flag, Status: TunnelStatus(status),
			Keys: Phase2Keys{EncIn: fuzzKey(key, keySel), AuthIn: fuzzKey(key, keySel/3), EncOut: fuzzKey(key, keySel/9), AuthOut: fuzzKey(key, keySel/27)}}
		checkAppend(t, sa)
		e := &SADBEvent{Kind: SADBKind(kind), Protocol: protocol, Seq: spi, PID: pfs, At: at, Local: fuzzAddr(local, zone), Remote: fuzzAddr(remote, ""), Hard: flag}
		checkAppend(t, e)
		e.Phase2 = sa
		checkAppend(t, e)
		e.Manual = &ManualSA{}
		checkAppend(t, e)
	})
}

func checkAppend[T any, P interface {
	*T
	jsonAppender
}](t *testing.T, v P) {
	t.Helper()
	want, werr := json.Marshal(v)
	got, ok := v.appendJSON(nil)
	if !ok {
		return
	}
	if werr != nil {
		t.Fatalf("appendJSON wrote %s where encoding/json fails: %v", got, werr)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("appendJSON:\n%s\nencoding/json:\n%s", got, want)
	}
	// The codec takes the same path.
	raw, err := jsonCodec[T]{}.encode(v)
	if err != nil || !bytes.Equal(raw, want) {
		t.Fatalf("codec: %s, %v", raw, err)
	}
}

// TestJSONAppendTakesNegotiatedPairs: a Quick Mode's pair and its event
// do not fall back to encoding/json.
func TestJSONAppendTakesNegotiatedPairs(t *testing.T) {
	a, b := netip.MustParseAddr("10.1.0.1"), netip.MustParseAddr("10.2.0.1")
	sa := &Phase2SA{TunnelNum: 3, Created: time.Date(2026, 12, 2, 5, 0, 0, 12345, time.UTC), LifetimeSecs: 28800,
		Local: AddrRange{First: a, Last: a}, Remote: AddrRange{First: b, Last: b}, PolicyName: "d1",
		Proposal: P2Transform{Protocol: "ESP", Cipher: 12, KeyBits: 128, Auth: 3, Encapsulate: "Tunnel"},
		Keys:     Phase2Keys{EncIn: []byte{1}, AuthIn: []byte{2}, EncOut: []byte{3}, AuthOut: []byte{4}}}
	e := &SADBEvent{Kind: SADBAdd, Protocol: "ESP", At: sa.Created, Phase2: withoutPhase2Keys(sa), Local: a, Remote: b}
	for _, v := range []jsonAppender{sa, e} {
		if _, ok := v.appendJSON(nil); !ok {
			t.Errorf("%T left to encoding/json", v)
		}
	}
	checkAppend(t, sa)
	checkAppend(t, e)
}

// FuzzJSONAppendCounters: the daemon's counters and the tunnel number
// records, against encoding/json.
func FuzzJSONAppendCounters(f *testing.F) {
	f.Add(uint32(0), uint32(0), uint32(0), uint32(0))
	f.Add(uint32(1), uint32(0xffffffff), uint32(7), uint32(0))
	f.Fuzz(func(t *testing.T, a, b, c, d uint32) {
		checkAppend(t, &Stats{InitTotal: a, RespTotal: b, InitAttempts: c, RespAttempts: d, InitNoResp: a ^ b,
			InitRespFail: b ^ c, RespFail: c ^ d, RX: RXDrops{Malformed: a & 1, UnknownCookie: b & 2, Replays: c & 4, Refused: d & 8}})
		want, _ := json.Marshal(a)
		if got, err := (jsonCodec[uint32]{}).encode(&a); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("uint32 %d: %s, want %s", a, got, want)
		}
	})
}
