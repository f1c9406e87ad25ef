package ipseckey

import (
	"strconv"

	"github.com/ikemu/ikemu/personalities/solaris"
	"github.com/ikemu/ikemu/pkg/engine"
)

// PF_KEY extension sizes (illumos net/pfkeyv2.h, RFC 2367), in bytes.
const (
	sizeMsg      = 16 // sadb_msg
	sizeSA       = 16 // sadb_sa
	sizeLifetime = 32 // sadb_lifetime
	sizeProp     = 8  // sadb_prop
	sizeComb     = 72 // sadb_comb
)

// espReplay is the replay counter the kernel's ESP puts in an ACQUIRE's
// proposal (ipsecesp_replay_size's default).
const espReplay = 64

// samsg is one PF_KEY message the kernel sends its sockets about an SADB
// event, as print_samsg renders it: the base message, then the
// extensions the message carries, lifetimes last.
type samsg struct {
	kind    string // print_sadb_msg's name of the type
	satype  int
	seq     uint32
	pid     int
	sa      *entry // the SA extension and the addresses, nil for none
	state   string // the SA's state
	algs    bool   // the SA extension names its algorithms and flags
	dstLast bool   // ipseckey's requests carry the destination first
	noSrc   bool   // ipseckey's delete names no source
	current bool   // a current lifetime extension (EXPIRE)
	soft    bool   // the soft and hard lifetime extensions it carries
	hard    bool
	acquire *engine.AcquireRequest
}

// kindGetSPI is the reply to in.iked's GETSPI, which the engine has no
// event of its own for.
const kindGetSPI engine.SADBKind = "getspi"

// messagesOf are the PF_KEY messages an engine event is. A negotiated
// pair's arrival is in.iked's three requests, under one sequence number
// as PF_KEY ties an UPDATE to its GETSPI: the GETSPI reserving the
// inbound SPI, the UPDATE making that SA mature, the ADD of the outbound
// SA; its deletion and expiry are one message per direction, outbound
// first. The messages the kernel sends every socket carry no keys (RFC
// 2367 3.1: ADD and UPDATE replies leave them out), so none is printed.
func messagesOf(ev *engine.SADBEvent) []samsg {
	if ev.Phase2 == nil {
		return []samsg{messageOf(ev, ev.Kind, nil)}
	}
	out, in := entriesOf(ev.Phase2, ev.Local, ev.Remote)
	if ev.Kind == engine.SADBAdd {
		return []samsg{messageOf(ev, kindGetSPI, &in), messageOf(ev, engine.SADBUpdate, &in),
			messageOf(ev, engine.SADBAdd, &out)}
	}
	return []samsg{messageOf(ev, ev.Kind, &out), messageOf(ev, ev.Kind, &in)}
}

// messageOf is one message of an event, about one SA direction d (nil:
// the event's manual SA, or none).
func messageOf(ev *engine.SADBEvent, kind engine.SADBKind, d *entry) samsg {
	m := samsg{kind: map[engine.SADBKind]string{kindGetSPI: "GETSPI", engine.SADBUpdate: "UPDATE",
		engine.SADBAdd: "ADD", engine.SADBDelete: "DELETE", engine.SADBFlush: "FLUSH",
		engine.SADBExpire: "EXPIRE", engine.SADBAcquire: "ACQUIRE"}[kind],
		satype: satypeOf(ev.Protocol), seq: ev.Seq, pid: ev.PID, acquire: ev.Acquire}
	var e entry
	switch {
	case d != nil:
		e = *d
	case ev.Manual != nil:
		e = entryOf(ev.Manual)
		m.dstLast = ev.Kind != engine.SADBExpire
	default:
		return m
	}
	m.sa, m.state, m.algs = &e, "MATURE", true
	switch kind {
	case kindGetSPI:
		m.state, m.algs = "LARVAL", false
	case engine.SADBDelete:
		// The echo of the request, which names the SA by its SPI (state
		// 0, LARVAL) and, from ipseckey, its destination alone.
		m.state, m.algs, m.noSrc = "LARVAL", false, m.dstLast
	case engine.SADBExpire:
		m.current, m.state = true, "DYING"
		m.soft, m.hard = !ev.Hard, ev.Hard
		if ev.Hard {
			m.state = "DEAD"
		}
	case engine.SADBAdd, engine.SADBUpdate:
		m.soft, m.hard = e.soft, e.hard
	}
	return m
}

func satypeOf(protocol string) int {
	switch protocol {
	case "ESP":
		return satypeESP
	case "AH":
		return satypeAH
	}
	return satypeUnspec
}

// length is the message's size: the sum of its extensions, each padded
// to 8 bytes.
func (m *samsg) length() int {
	n := sizeMsg
	if e := m.sa; e != nil {
		n += sizeSA + addrExt(e.dst)
		if !m.noSrc {
			n += addrExt(e.src)
		}
		if e.inner {
			n += addrExt(e.isrc.First) + addrExt(e.idst.First)
		}
		for _, has := range []bool{m.current, m.soft, m.hard} {
			if has {
				n += sizeLifetime
			}
		}
	}
	if a := m.acquire; a != nil {
		n += addrExt(a.Flow.Local) + addrExt(a.Flow.Remote) + sizeProp + sizeComb*len(a.Proposals)
	}
	return n
}

// writeMsg appends domonitor's lines for one message: the byte count
// read, then print_samsg with its timestamp, then a blank line.
func (p *printer) writeMsg(b []byte, m *samsg) []byte {
	b = append(b, "Read "...)
	b = strconv.AppendInt(b, int64(m.length()), 10)
	b = append(b, " bytes.\nTimestamp: "...)
	b = append(b, p.times.of(p.now)...)
	b = append(b, "\nBase message (version 2) type "...)
	b = append(b, m.kind...)
	b = append(b, ", SA type "...)
	b = append(b, satypeName(m.satype)...)
	b = append(b, ".\nMessage length "...)
	b = strconv.AppendInt(b, int64(m.length()), 10)
	b = append(b, " bytes, seq="...)
	b = strconv.AppendUint(b, uint64(m.seq), 10)
	b = append(b, ", pid="...)
	b = strconv.AppendInt(b, int64(m.pid), 10)
	b = append(b, ".\n"...)
	if e := m.sa; e != nil {
		b = p.saExt(b, m, e)
		switch {
		case m.noSrc:
			b = p.address(b, "DST: ", "Destination address ", e.dst, 0)
		case m.dstLast:
			b = p.address(b, "DST: ", "Destination address ", e.dst, 0)
			b = p.address(b, "SRC: ", "Source address ", e.src, 0)
		default:
			b = p.address(b, "SRC: ", "Source address ", e.src, 0)
			b = p.address(b, "DST: ", "Destination address ", e.dst, 0)
		}
		if e.inner {
			b = p.address(b, "INS: ", "Inner source address ", e.isrc.First, prefixLen(e.isrc))
			b = p.address(b, "IND: ", "Inner destination address ", e.idst.First, prefixLen(e.idst))
		}
		b = p.msgLifetimes(b, m, e)
	}
	if a := m.acquire; a != nil {
		b = p.addressExt(b, "SRC: ", "Source address ", a.Flow.Local, a.Flow.Protocol, a.Flow.LocalPort)
		b = p.addressExt(b, "DST: ", "Destination address ", a.Flow.Remote, a.Flow.Protocol, a.Flow.RemotePort)
		b = p.proposal(b, a.Proposals)
	}
	return append(b, '\n')
}

// saExt is print_sa for the message's SA extension.
func (p *printer) saExt(b []byte, m *samsg, e *entry) []byte {
	b = append(b, "SA: SADB_ASSOC spi=0x"...)
	b = strconv.AppendUint(b, uint64(e.spi), 16)
	b = append(b, ", replay="...)
	if m.algs {
		b = strconv.AppendUint(b, uint64(e.replay), 10)
	} else {
		b = append(b, '0')
	}
	b = append(b, ", state="...)
	b = append(b, m.state...)
	if m.algs && e.auth != engine.HashNone {
		b = append(b, "\nSA: Authentication algorithm = "...)
		b = append(b, solaris.AuthAlgName(e.auth)...)
	}
	if m.algs && e.cipher != engine.CipherNone {
		b = append(b, "\nSA: Encryption algorithm = "...)
		b = append(b, solaris.ESPAlgName(e.cipher)...)
	}
	if m.algs {
		return appendFlags(b, e)
	}
	return append(b, "\nSA: flags=0x0 < >\n"...)
}

// msgLifetimes is print_lifetimes for the lifetime extensions the
// message carries; without a current one there is no time left to tell.
func (p *printer) msgLifetimes(b []byte, m *samsg, e *entry) []byte {
	if m.current {
		return p.lifetimesOf(b, e, m.soft, m.hard)
	}
	if !m.soft && !m.hard {
		return b
	}
	b = append(b, " LT: Lifetime information\n"...)
	if m.soft {
		b = p.bareLifetime(b, "SLT: ", "Soft", e.softSecs, e.softBytes)
	}
	if m.hard {
		b = p.bareLifetime(b, "HLT: ", "Hard", e.hardSecs, e.hardBytes)
	}
	return b
}

func (p *printer) bareLifetime(b []byte, prefix, kind string, secs uint32, bytes uint64) []byte {
	b = append(b, prefix...)
	b = append(b, kind...)
	b = append(b, " lifetime information:  "...)
	b = strconv.AppendUint(b, bytes, 10)
	b = append(b, " bytes of lifetime, 0 allocations.\n"...)
	b = append(b, prefix...)
	b = strconv.AppendUint(b, uint64(secs), 10)
	b = append(b, " seconds of post-add lifetime.\n"...)
	b = append(b, prefix...)
	return append(b, "0 seconds of post-use lifetime.\n"...)
}

// proposal is print_prop: one combination per proposal the ACQUIRE
// offers, with the bits of the key each algorithm takes.
func (p *printer) proposal(b []byte, props []engine.Proposal) []byte {
	b = append(b, "PRP: Proposal, replay counter = "...)
	b = strconv.AppendInt(b, espReplay, 10)
	b = append(b, ".\n"...)
	for i, pr := range props {
		x := pr.ESP
		if x == nil {
			x = pr.AH
		}
		if x == nil {
			continue
		}
		b = append(b, "PRP:  Combination #"...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, ' ')
		if x.Auth != engine.HashNone {
			bits := authBits(x.Auth)
			b = append(b, "Authentication = "...)
			b = append(b, solaris.AuthAlgName(x.Auth)...)
			b = appendBits(b, bits, bits)
		}
		if pr.ESP != nil && x.Cipher != engine.CipherNone {
			bits := x.KeyBits
			if bits == 0 {
				bits = cipherBits(x.Cipher)
			}
			b = append(b, "Encryption = "...)
			b = append(b, solaris.ESPAlgName(x.Cipher)...)
			b = appendBits(b, bits, bits)
		}
		b = append(b, "HARD: \nPRP:  SOFT: \n"...)
	}
	return b
}

func appendBits(b []byte, min, max int) []byte {
	b = append(b, "  minbits="...)
	b = strconv.AppendInt(b, int64(min), 10)
	b = append(b, ", maxbits="...)
	b = strconv.AppendInt(b, int64(max), 10)
	return append(b, ".\nPRP:  "...)
}

// authBits is an integrity algorithm's key size.
func authBits(h engine.Hash) int {
	switch h {
	case engine.HashMD5:
		return 128
	case engine.HashSHA1:
		return 160
	case engine.HashSHA256:
		return 256
	case engine.HashSHA384:
		return 384
	case engine.HashSHA512:
		return 512
	}
	return 0
}

// cipherBits is a fixed-length cipher's key size.
func cipherBits(c engine.Cipher) int {
	switch c {
	case engine.CipherDES:
		return 64
	case engine.Cipher3DES:
		return 192
	}
	return 128
}
