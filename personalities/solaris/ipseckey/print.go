package ipseckey

import (
	"encoding/hex"
	"io"
	"math/bits"
	"net/netip"
	"strconv"
	"time"

	"github.com/ikemu/ikemu/personalities/solaris"
	"github.com/ikemu/ikemu/pkg/engine"
)

// printer renders SADB entries as ipsec_util.c's print_samsg does for a
// DUMP reply. It appends to one reused buffer: a dump of many SAs
// allocates per entry only what the name lookups return.
type printer struct {
	msg   string // the base message type: DUMP or GET
	nflag bool
	pflag bool
	keys  bool // the caller may see keying material
	seq   uint32
	pid   int
	now   time.Time
	names func(netip.Addr) (string, bool)
	buf   []byte
	times timeTexts
}

// timeTexts caches the last few instants' texts: the SAs of one dump
// share the clock's now and, mostly, their creation times.
type timeTexts struct {
	at   [2]time.Time
	text [2]string
	next int
}

func (c *timeTexts) of(t time.Time) string {
	for i := range c.at {
		if c.text[i] != "" && c.at[i].Equal(t) {
			return c.text[i]
		}
	}
	i := c.next
	c.at[i], c.text[i], c.next = t, cTime(t), (i+1)%len(c.at)
	return c.text[i]
}

func (p *printer) write(w io.Writer, e *entry) error {
	b := p.buf[:0]
	b = append(b, "Base message (version 2) type "...)
	b = append(b, p.msg...)
	b = append(b, ", SA type "...)
	b = append(b, satypeName(e.satype)...)
	b = append(b, ".\nMessage length "...)
	b = strconv.AppendInt(b, int64(p.length(e)), 10)
	b = append(b, " bytes, seq="...)
	b = strconv.AppendUint(b, uint64(p.seq), 10)
	b = append(b, ", pid="...)
	b = strconv.AppendInt(b, int64(p.pid), 10)
	b = append(b, ".\nSA: SADB_ASSOC spi=0x"...)
	b = strconv.AppendUint(b, uint64(e.spi), 16)
	b = append(b, ", replay="...)
	b = strconv.AppendUint(b, uint64(e.replay), 10)
	b = append(b, ", state=MATURE"...)
	if e.auth != engine.HashNone {
		b = append(b, "\nSA: Authentication algorithm = "...)
		b = append(b, solaris.AuthAlgName(e.auth)...)
	}
	if e.cipher != engine.CipherNone {
		b = append(b, "\nSA: Encryption algorithm = "...)
		b = append(b, solaris.ESPAlgName(e.cipher)...)
	}
	b = appendFlags(b, e)
	b = p.address(b, "SRC: ", "Source address ", e.src, 0)
	b = p.address(b, "DST: ", "Destination address ", e.dst, 0)
	if e.inner {
		b = p.address(b, "INS: ", "Inner source address ", e.isrc.First, prefixLen(e.isrc))
		b = p.address(b, "IND: ", "Inner destination address ", e.idst.First, prefixLen(e.idst))
	}
	if p.keys {
		b = p.key(b, "AKY: ", "Authentication", e.authKey)
		b = p.key(b, "EKY: ", "Encryption", e.encKey)
	}
	b = p.lifetimes(b, e)
	if p.msg == "DUMP" {
		b = append(b, '\n') // dodump's putchar after each reply
	}
	p.buf = b
	_, err := w.Write(b)
	return err
}

// length is the PF_KEY message's size: base, SA, current and hard
// (soft) lifetimes, the addresses and the key extensions, each padded to 8.
func (p *printer) length(e *entry) int {
	n := 16 + 16 + 32 + addrExt(e.src) + addrExt(e.dst)
	for _, has := range []bool{e.hard, e.soft} {
		if has {
			n += 32
		}
	}
	if e.inner {
		n += addrExt(e.isrc.First) + addrExt(e.idst.First)
	}
	if p.keys {
		for _, k := range [][]byte{e.authKey, e.encKey} {
			if len(k) > 0 {
				n += 8 + (len(k)+7)/8*8
			}
		}
	}
	return n
}

func addrExt(a netip.Addr) int {
	if a.Is4() || a.Is4In6() {
		return 8 + 16
	}
	return 8 + 32
}

// address is print_address and dump_sockaddr: the extension's name and
// protocol, then family, port, address and (without -n) its name.
func (p *printer) address(b []byte, prefix, what string, a netip.Addr, plen int) []byte {
	return p.sockaddr(b, prefix, what, a, plen, 0, 0)
}

// addressExt is an address extension with the flow's protocol and port
// (an ACQUIRE's).
func (p *printer) addressExt(b []byte, prefix, what string, a netip.Addr, proto, port int) []byte {
	return p.sockaddr(b, prefix, what, a, 0, proto, port)
}

func (p *printer) sockaddr(b []byte, prefix, what string, a netip.Addr, plen, proto, port int) []byte {
	b = append(b, prefix...)
	b = append(b, what...)
	b = append(b, "(proto="...)
	b = strconv.AppendInt(b, int64(proto), 10)
	if !p.nflag {
		b = append(b, protoName(proto)...)
	}
	b = append(b, ")\n"...)
	b = append(b, prefix...)
	if a.Is6() && !a.Is4In6() {
		b = append(b, "AF_INET6: port "...)
	} else {
		b = append(b, "AF_INET: port "...)
	}
	b = strconv.AppendInt(b, int64(port), 10)
	b = append(b, ", "...)
	b = a.Unmap().AppendTo(b)
	if plen != 0 {
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(plen), 10)
	}
	if !p.nflag {
		switch name, ok := p.names(a); {
		case a.IsUnspecified():
			b = append(b, " <unspecified>"...)
		case ok:
			b = append(b, " ("...)
			b = append(b, name...)
			b = append(b, ')')
		default:
			b = append(b, " <unknown>"...)
		}
	}
	return append(b, ".\n"...)
}

// key is print_key: the hex digits (XX each with -p) and the bit length.
func (p *printer) key(b []byte, prefix, what string, k []byte) []byte {
	if len(k) == 0 {
		return b
	}
	b = append(b, prefix...)
	b = append(b, what...)
	b = append(b, " key.\n"...)
	b = append(b, prefix...)
	if p.pflag {
		for range k {
			b = append(b, "XX"...)
		}
	} else {
		b = hex.AppendEncode(b, k)
	}
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(len(k)*8), 10)
	return append(b, '\n')
}

// appendFlags is print_sa's flags line: the value, then the names of
// the flags set in its order (PFS, then Solaris's X_USED).
func appendFlags(b []byte, e *entry) []byte {
	var flags uint32
	names := ""
	if e.pfs {
		flags |= saflagPFS
		names += "PFS "
	}
	if !e.used.IsZero() {
		flags |= saflagUsed
		names += "X_USED "
	}
	b = append(b, "\nSA: flags=0x"...)
	b = strconv.AppendUint(b, uint64(flags), 16)
	b = append(b, " < "...)
	b = append(b, names...)
	return append(b, ">\n"...)
}

// SADB_SAFLAGS_PFS and SADB_X_SAFLAGS_USED (pfkeyv2.h).
const (
	saflagPFS  = 0x1
	saflagUsed = 0x80000000
)

// lifetimes is print_lifetimes for the current, soft and hard
// extensions the SA has.
func (p *printer) lifetimes(b []byte, e *entry) []byte {
	return p.lifetimesOf(b, e, e.soft, e.hard)
}

// lifetimesOf is print_lifetimes with a current extension and the soft
// and hard ones a message carries.
func (p *printer) lifetimesOf(b []byte, e *entry, soft, hard bool) []byte {
	b = append(b, " LT: Lifetime information\nCLT: 0 bytes protected, 0 allocations used.\nCLT: SA added at time "...)
	b = append(b, p.times.of(e.added)...)
	if !e.used.IsZero() {
		b = append(b, "\nCLT: SA first used at time "...)
		b = append(b, p.times.of(e.used)...)
	}
	b = append(b, "\nCLT: Time now is "...)
	b = append(b, p.times.of(p.now)...)
	b = append(b, '\n')
	if soft {
		b = p.lifetime(b, "SLT: ", "Soft", "occurred", e.added, e.softSecs, e.softBytes)
	}
	if hard {
		b = p.lifetime(b, "HLT: ", "Hard", "occured", e.added, e.hardSecs, e.hardBytes)
	}
	return b
}

// lifetime is one of print_lifetimes' soft or hard blocks ("occured" is
// the hard block's spelling in ipsec_util.c).
func (p *printer) lifetime(b []byte, prefix, kind, past string, added time.Time, secs uint32, bytes uint64) []byte {
	b = p.bareLifetime(b, prefix, kind, secs, bytes)
	if bytes != 0 {
		b = append(b, prefix...)
		b = strconv.AppendUint(b, bytes, 10)
		b = append(b, " more bytes can be protected.\n"...)
	}
	if secs != 0 {
		// In whole seconds, as the kernel's lifetimes and time(2) are.
		left := added.Unix() + int64(secs) - p.now.Unix()
		b = append(b, prefix...)
		b = append(b, kind...)
		if left >= 0 {
			b = append(b, " expiration occurs in "...)
			b = strconv.AppendInt(b, left, 10)
			b = append(b, " seconds, "...)
		} else {
			b = append(b, " expiration "...)
			b = append(b, past...)
			b = append(b, ' ')
		}
		b = append(b, "at "...)
		b = append(b, p.times.of(time.Unix(p.now.Unix()+left, 0))...)
		b = append(b, ".\n"...)
	}
	return b
}

// cTime is strftime's default (%c in the C locale).
func cTime(t time.Time) string { return t.Local().Format("Mon Jan _2 15:04:05 2006") }

// prefixLen is the prefix a range is, 0 for a single address or a range
// that is not one.
func prefixLen(r engine.AddrRange) int {
	if r.First == r.Last {
		return 0
	}
	f, l := r.First.AsSlice(), r.Last.AsSlice()
	n := 0
	for i := range f {
		x := f[i] ^ l[i]
		if x == 0 {
			n += 8
			continue
		}
		return n + bits.LeadingZeros8(x)
	}
	return n
}

func satypeName(t int) string {
	switch t {
	case satypeAH:
		return "AH"
	case satypeESP:
		return "ESP"
	case satypeUnspec:
		return "<unspecified/all>"
	}
	return "<unknown " + strconv.Itoa(t) + ">"
}

// protoName is getprotobynumber's name as print_address puts it after
// the number.
func protoName(proto int) string {
	switch proto {
	case 0:
		return "/<unspecified>"
	case 1:
		return "/icmp"
	case 6:
		return "/tcp"
	case 17:
		return "/udp"
	case 58:
		return "/ipv6-icmp"
	}
	return "/<unknown>"
}
