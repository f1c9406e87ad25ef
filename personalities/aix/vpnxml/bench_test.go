package vpnxml

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"
)

// genDoc builds a database of n IKETunnels and n IPSecTunnels, spread over
// a few protections and proposals, the size ikedb must handle quickly.
func genDoc(n int) *Document {
	const policies = 10
	doc := &Document{Version: "2.0"}
	for i := range policies {
		doc.IKEProtections = append(doc.IKEProtections, IKEProtection{
			Name: fmt.Sprintf("P1Pol%d", i), Role: Both, XchgMode: Main, KeyOverlap: IntOf(5), UseCRL: No,
			ResponderKeyRefreshMaxKB: IntOf(200), ResponderKeyRefreshMinKB: IntOf(1),
			ResponderKeyRefreshMaxMinutes: IntOf(480), ResponderKeyRefreshMinMinutes: IntOf(1),
			Transforms: []IKETransform{{Encryption: IKE3DES, Hash: HashSHA, DHGroup: 2,
				AuthMethod: PresharedKey, KeyRefreshMinutes: IntOf(480)}},
		})
		doc.IPSecProposals = append(doc.IPSecProposals, IPSecProposal{Name: fmt.Sprintf("P2Prop%d", i),
			ESP: &ESPProtocol{Encryption: ESP3DES, Authentication: HMACMD5, EncapsulationMode: Tunnel,
				KeyRefreshMinutes: IntOf(30), KeyRefreshKB: IntOf(0)}})
		doc.IPSecProtections = append(doc.IPSecProtections, IPSecProtection{Name: fmt.Sprintf("P2Pol%d", i),
			ProposalRefs: []string{fmt.Sprintf("P2Prop%d", i)}, Role: Both, KeyOverlap: IntOf(5),
			InitiatorDHGroup: NoPFS, ResponderDHGroup: NoPFS, UseLifeSize: No})
	}
	base := netip.MustParseAddr("10.0.0.0").As4()
	for i := range n {
		local := netip.AddrFrom4([4]byte{base[0], 1, byte(i >> 8), byte(i)})
		remote := netip.AddrFrom4([4]byte{base[0], 2, byte(i >> 8), byte(i)})
		doc.IKETunnels = append(doc.IKETunnels, IKETunnel{
			Name: fmt.Sprintf("P1Tun%05d", i), ProtectionRef: fmt.Sprintf("P1Pol%d", i%policies),
			AutoStart: No, MakeRuleWithOptionalIP: No,
			Local:  IKEIdentity{ID: ID{Type: IPv4Address, Addr: local}},
			Remote: IKEIdentity{ID: ID{Type: IPv4Address, Addr: remote}},
		})
		doc.IPSecTunnels = append(doc.IPSecTunnels, IPSecTunnel{
			Name: fmt.Sprintf("P2Tun%05d", i), IKETunnelName: fmt.Sprintf("P1Tun%05d", i),
			ProtectionRef: fmt.Sprintf("P2Pol%d", i%policies), AutoStart: No, OnDemand: No,
			Local:  IPSecIdentity{ID: ID{Type: IPv4Subnet, Addr: local, Mask: netip.MustParseAddr("255.255.255.0")}},
			Remote: IPSecIdentity{ID: ID{Type: IPv4Address, Addr: remote}},
		})
	}
	return doc
}

func BenchmarkDecode10k(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(&buf, genDoc(10000)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(buf.Bytes()), DecodeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate10k(b *testing.B) {
	doc := genDoc(10000)
	b.ReportAllocs()
	for b.Loop() {
		if errs := Validate(doc, nil); errs != nil {
			b.Fatal(errs[0])
		}
	}
}

func BenchmarkWrite10k(b *testing.B) {
	doc := genDoc(10000)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, doc); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

// BenchmarkEach10k and BenchmarkBinaryRead10k are the two readings of
// ikedb -p side by side: the XML as the check reads it, one definition
// at a time, and the binary form the writing reads back.
func BenchmarkEach10k(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(&buf, genDoc(10000)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_, err := DecodeEach(bytes.NewReader(buf.Bytes()), DecodeOptions{}, func(*Document) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBinaryRead10k(b *testing.B) {
	var parts [][]byte
	var buf bytes.Buffer
	if err := Write(&buf, genDoc(10000)); err != nil {
		b.Fatal(err)
	}
	_, err := DecodeEach(&buf, DecodeOptions{}, func(d *Document) error {
		parts = append(parts, AppendBinary(nil, d))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var r BinaryReader
		for _, p := range parts {
			if _, err := r.Read(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestGeneratedRoundTrip keeps the benchmark document honest: it is valid
// and survives a round trip.
func TestGeneratedRoundTrip(t *testing.T) {
	doc := genDoc(300)
	if errs := Validate(doc, nil); errs != nil {
		t.Fatal(errStrings(errs)[0])
	}
	out := writeString(t, doc)
	back := decodeString(t, out, DecodeOptions{})
	if writeString(t, back) != out {
		t.Error("generated document does not round-trip")
	}
}
