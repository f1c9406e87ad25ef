package ipseckey

import (
	"fmt"
	"io"
	"math/bits"
	"net/netip"
	"strings"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// printer renders SADB entries as ipsec_util.c's print_samsg does for a
// DUMP reply.
type printer struct {
	nflag   bool
	pflag   bool
	keys    bool // the caller may see keying material
	seq     uint32
	pid     int
	now     time.Time
	names   func(netip.Addr) (string, bool)
	scratch strings.Builder
}

func (p *printer) write(w io.Writer, e *entry) error {
	b := &p.scratch
	b.Reset()
	fmt.Fprintf(b, "Base message (version 2) type DUMP, SA type %s.\n", satypeName(e.satype))
	fmt.Fprintf(b, "Message length %d bytes, seq=%d, pid=%d.\n", p.length(e), p.seq, p.pid)
	fmt.Fprintf(b, "SA: SADB_ASSOC spi=0x%x, replay=%d, state=MATURE", e.spi, e.replay)
	if e.auth != engine.HashNone {
		fmt.Fprintf(b, "\nSA: Authentication algorithm = %s", authName(e.auth))
	}
	if e.cipher != engine.CipherNone {
		fmt.Fprintf(b, "\nSA: Encryption algorithm = %s", cipherName(e.cipher))
	}
	flags, names := 0, ""
	if e.pfs {
		flags, names = 1, "PFS "
	}
	fmt.Fprintf(b, "\nSA: flags=0x%x < %s>\n", flags, names)
	p.address(b, "SRC: ", "Source address ", e.src, 0)
	p.address(b, "DST: ", "Destination address ", e.dst, 0)
	if e.inner {
		p.address(b, "INS: ", "Inner source address ", e.isrc.First, prefixLen(e.isrc))
		p.address(b, "IND: ", "Inner destination address ", e.idst.First, prefixLen(e.idst))
	}
	if p.keys {
		p.key(b, "AKY: ", "Authentication", e.authKey)
		p.key(b, "EKY: ", "Encryption", e.encKey)
	}
	p.lifetimes(b, e)
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// length is the PF_KEY message's size: base, SA, current and hard
// lifetimes, the addresses and the key extensions, each padded to 8.
func (p *printer) length(e *entry) int {
	n := 16 + 16 + 32 + 32 + addrExt(e.src) + addrExt(e.dst)
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

func (p *printer) address(b *strings.Builder, prefix, what string, a netip.Addr, plen int) {
	b.WriteString(prefix + what + "(proto=0")
	if !p.nflag {
		b.WriteString("/<unspecified>")
	}
	b.WriteString(")\n" + prefix)
	fam := "AF_INET"
	if a.Is6() && !a.Is4In6() {
		fam = "AF_INET6"
	}
	text := a.Unmap().String()
	if plen != 0 {
		text += fmt.Sprintf("/%d", plen)
	}
	fmt.Fprintf(b, "%s: port 0, %s", fam, text)
	if !p.nflag {
		switch name, ok := p.names(a); {
		case a.IsUnspecified():
			b.WriteString(" <unspecified>")
		case ok:
			b.WriteString(" (" + name + ")")
		default:
			b.WriteString(" <unknown>")
		}
	}
	b.WriteString(".\n")
}

// key is print_key: the hex digits (XX each with -p) and the bit length.
func (p *printer) key(b *strings.Builder, prefix, what string, k []byte) {
	if len(k) == 0 {
		return
	}
	b.WriteString(prefix + what + " key.\n" + prefix)
	for _, c := range k {
		if p.pflag {
			b.WriteString("XX")
		} else {
			fmt.Fprintf(b, "%02x", c)
		}
	}
	fmt.Fprintf(b, "/%d\n", len(k)*8)
}

func (p *printer) lifetimes(b *strings.Builder, e *entry) {
	b.WriteString(" LT: Lifetime information\n")
	b.WriteString("CLT: 0 bytes protected, 0 allocations used.\n")
	fmt.Fprintf(b, "CLT: SA added at time %s\n", cTime(e.added))
	fmt.Fprintf(b, "CLT: Time now is %s\n", cTime(p.now))
	fmt.Fprintf(b, "HLT: Hard lifetime information:  %d bytes of lifetime, 0 allocations.\n", e.hardBytes)
	fmt.Fprintf(b, "HLT: %d seconds of post-add lifetime.\n", e.hardSecs)
	b.WriteString("HLT: 0 seconds of post-use lifetime.\n")
	if e.hardBytes != 0 {
		fmt.Fprintf(b, "HLT: %d more bytes can be protected.\n", e.hardBytes)
	}
	if e.hardSecs != 0 {
		end := e.added.Add(time.Duration(e.hardSecs) * time.Second)
		left := int64(end.Sub(p.now) / time.Second)
		b.WriteString("HLT: ")
		if left >= 0 {
			fmt.Fprintf(b, "Hard expiration occurs in %d seconds, ", left)
		} else {
			b.WriteString("Hard expiration occured ")
		}
		fmt.Fprintf(b, "at %s.\n", cTime(p.now.Add(time.Duration(left)*time.Second)))
	}
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
	}
	return "<unspecified/all>"
}

// authName and cipherName are the first names ipsecalgs gives.
func authName(h engine.Hash) string {
	switch h {
	case engine.HashMD5:
		return "hmac-md5"
	case engine.HashSHA1:
		return "hmac-sha1"
	case engine.HashSHA256:
		return "hmac-sha256"
	case engine.HashSHA384:
		return "hmac-sha384"
	case engine.HashSHA512:
		return "hmac-sha512"
	}
	return fmt.Sprintf("<unknown %d>", h)
}

func cipherName(c engine.Cipher) string {
	switch c {
	case engine.CipherDES:
		return "des-cbc"
	case engine.Cipher3DES:
		return "3des-cbc"
	case engine.CipherBlowfish:
		return "blowfish-cbc"
	case engine.CipherAES:
		return "aes-cbc"
	}
	return fmt.Sprintf("<unknown %d>", c)
}
