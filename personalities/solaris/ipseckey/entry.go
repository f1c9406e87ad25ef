package ipseckey

import (
	"net/netip"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// entry is one direction of a phase 2 SA pair as the kernel's SADB holds
// it: one SPI, the addresses it flows between, one direction's keys.
type entry struct {
	satype     int
	spi        uint32
	replay     uint32
	pfs        bool
	auth       engine.Hash
	cipher     engine.Cipher
	src, dst   netip.Addr
	inner      bool // tunnel mode: inner addresses follow the outer ones
	isrc, idst engine.AddrRange
	authKey    []byte
	encKey     []byte
	added      time.Time
	used       time.Time // first use; zero: never used
	hard, soft bool      // which lifetime extensions the SA has
	hardSecs   uint32
	hardBytes  uint64
	softSecs   uint32
	softBytes  uint64
}

// replayIKE is the replay window in.iked asks for on the SAs it adds.
const replayIKE = 32

// entriesOf is the pair's outbound and inbound SADB entries. outer is the
// phase 1 address pair the SA runs between (local, remote).
func entriesOf(sa *engine.Phase2SA, local, remote netip.Addr) (out, in entry) {
	t := sa.Proposal
	base := entry{satype: satypeESP, replay: replayIKE, pfs: sa.PFS != 0, auth: t.Auth, cipher: t.Cipher,
		added: sa.Created, hard: true, hardSecs: sa.LifetimeSecs, hardBytes: uint64(sa.LifetimeKB) * 1024,
		inner: t.Encapsulate == "Tunnel" && !(single(sa.Local, local) && single(sa.Remote, remote))}
	if t.Protocol == "AH" {
		base.satype, base.cipher = satypeAH, engine.CipherNone
	}
	out, in = base, base
	out.spi, out.src, out.dst, out.isrc, out.idst = sa.SPIOut, local, remote, sa.Local, sa.Remote
	out.authKey, out.encKey = sa.Keys.AuthOut, sa.Keys.EncOut
	in.spi, in.src, in.dst, in.isrc, in.idst = sa.SPIIn, remote, local, sa.Remote, sa.Local
	in.authKey, in.encKey = sa.Keys.AuthIn, sa.Keys.EncIn
	return out, in
}

func single(r engine.AddrRange, a netip.Addr) bool { return r.First == r.Last && r.First == a }

// entryOf is a manual SA's SADB entry.
func entryOf(sa *engine.ManualSA) entry {
	e := entry{satype: satypeESP, spi: sa.SPI, replay: sa.Replay, auth: sa.Auth, cipher: sa.Cipher,
		src: sa.Src, dst: sa.Dst, authKey: sa.AuthKey, encKey: sa.EncKey, added: sa.Added, used: sa.Used,
		hard: sa.HardSecs != 0 || sa.HardBytes != 0, hardSecs: sa.HardSecs, hardBytes: sa.HardBytes,
		soft: sa.SoftSecs != 0 || sa.SoftBytes != 0, softSecs: sa.SoftSecs, softBytes: sa.SoftBytes,
		inner: sa.InnerSrc.First.IsValid() || sa.InnerDst.First.IsValid(), isrc: sa.InnerSrc, idst: sa.InnerDst}
	if sa.Protocol == "AH" {
		e.satype = satypeAH
	}
	if !e.src.IsValid() {
		e.src = netip.IPv4Unspecified()
		if e.dst.Is6() {
			e.src = netip.IPv6Unspecified()
		}
	}
	return e
}
