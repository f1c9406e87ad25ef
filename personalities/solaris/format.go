package solaris

import (
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// writeRule prints one policy rule as dump/get rule do.
func writeRule(w io.Writer, p *engine.Phase1Policy) error {
	var b strings.Builder
	pfs := "false"
	if p.P2PFS != 0 {
		pfs = "true"
	}
	fmt.Fprintf(&b, "\nGLOBL: Label '%s', key manager cookie %d\n", truncLabel(p.Label), p.KMCookie)
	fmt.Fprintf(&b, "GLOBL: local_idtype=%s, ike_mode=%s\n", idTypeName(p.LocalIDType.SADB()), xchgName(p.Mode))
	fmt.Fprintf(&b, "GLOBL: p1_nonce_len=%d, p2_nonce_len=%d, p2_pfs=%s (group %d)\n", p.P1NonceLen, p.P2NonceLen, pfs, p.P2PFS)
	fmt.Fprintf(&b, "GLOBL: p2_lifetime=%d seconds%s\n", p.P2LifetimeSecs, secs2out(p.P2LifetimeSecs))
	fmt.Fprintf(&b, "GLOBL: p2_softlife=%d seconds%s\n", p.P2SoftSecs, secs2out(p.P2SoftSecs))
	fmt.Fprintf(&b, "GLOBL: p2_idletime=%d seconds%s\n", p.P2IdleSecs, secs2out(p.P2IdleSecs))
	fmt.Fprintf(&b, "GLOBL: p2_lifetime_kb=%d kilobytes%s\n", p.P2LifetimeKB, spcBegin(bytecnt2out(uint64(p.P2LifetimeKB))))
	fmt.Fprintf(&b, "GLOBL: p2_softlife_kb=%d kilobytes%s\n", p.P2SoftKB, spcBegin(bytecnt2out(uint64(p.P2SoftKB))))
	writeRanges(&b, "LOCIP:", p.LocalAddrs)
	writeRanges(&b, "REMIP:", p.RemoteAddrs)
	writeSelectors(&b, "LOCID:", p.LocalIDs)
	writeSelectors(&b, "REMID:", p.RemoteIDs)
	if len(p.Transforms) > 0 {
		b.WriteString("XFRMS: Available Transforms:\n")
	}
	for i := range p.Transforms {
		writeRuleXform(&b, i, p, &p.Transforms[i])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// truncLabel cuts a label to what the door carries (255 bytes).
func truncLabel(l string) string {
	if len(l) > 255 {
		return l[:255]
	}
	return l
}

func spcBegin(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

func writeRanges(b *strings.Builder, prefix string, rs []engine.AddrRange) {
	b.WriteString(prefix + " IP address range(s):\n")
	for _, r := range rs {
		if r.First == r.Last {
			fmt.Fprintf(b, "%s %s\n", prefix, r.First)
		} else {
			fmt.Fprintf(b, "%s %s - %s\n", prefix, r.First, r.Last)
		}
	}
}

func writeSelectors(b *strings.Builder, prefix string, s engine.Selectors) {
	if len(s.Include) == 0 && len(s.Exclude) == 0 {
		return
	}
	b.WriteString(prefix + " Identity descriptors:\n")
	writeIDList(b, prefix, "Includes:", s.Include)
	writeIDList(b, prefix, "Excludes:", s.Exclude)
}

// writeIDList prints one list of identity selectors; as in print_idspec,
// its header only comes with a first entry, so an empty list prints
// nothing.
func writeIDList(b *strings.Builder, prefix, header string, ids []string) {
	for i, id := range ids {
		if i == 0 {
			fmt.Fprintf(b, "%s %s\n", prefix, header)
		}
		fmt.Fprintf(b, "%s    %s\n", prefix, id)
	}
}

func writeRuleXform(b *strings.Builder, i int, p *engine.Phase1Policy, x *engine.Transform) {
	pre := fmt.Sprintf("XF %2d:", i)
	fmt.Fprintf(b, "%s Authentication method: %s\n", pre, authMethodName(x.Auth))
	fmt.Fprintf(b, "%s Encryption alg: %s%s; Authentication alg: %s\n", pre, cipherName(x.Cipher), keyRange(x.KeyMin, x.KeyMax), hashName(x.Hash))
	fmt.Fprintf(b, "%s Oakley Group: %s\n", pre, groupName(x.Group))
	fmt.Fprintf(b, "%s %s\n", pre, pfsText(p.P2PFS))
	fmt.Fprintf(b, "%s Lifetime limits:\n", pre)
	fmt.Fprintf(b, "%s %d seconds%s; 0 kbytes protected\n", pre, x.LifetimeSecs, secs2out(x.LifetimeSecs))
	fmt.Fprintf(b, "%s keying material for IPsec SAs can be provided 0 times (no limit)\n", pre)
}

// keyRange is the key-size suffix glued to a cipher name.
func keyRange(lo, hi int) string {
	switch {
	case lo != 0:
		return fmt.Sprintf("(%d..%d)", lo, hi)
	case hi != 0:
		return fmt.Sprintf("(%d)", hi)
	}
	return ""
}

func pfsText(group int) string {
	if group == 0 {
		return "Phase 2 PFS is not used"
	}
	return fmt.Sprintf("Phase 2 PFS is required (Oakley Group: %s)", groupName(group))
}

// keyHex renders key bytes as ikeadm does, or XX per byte under -p.
func (s *session) keyHex(key []byte, bits int) string {
	n := (bits + 7) / 8
	if n > len(key) {
		n = len(key)
	}
	if s.pflag {
		return strings.Repeat("XX", n) + fmt.Sprintf("/%d", bits)
	}
	return fmt.Sprintf("%x/%d", key[:n], bits)
}

// writePreshared prints one preshared key as dump/get preshared do.
func (s *session) writePreshared(w io.Writer, h *engine.Host, k *engine.PresharedKey, showKey bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nPSKEY: For %s exchanges\n", xchgName(k.Mode))
	if showKey {
		fmt.Fprintf(&b, "PSKEY: Pre-shared key (%d bytes): %s\n", len(k.Key), s.keyHex(k.Key, k.KeyBits))
	}
	s.writePSKSide(&b, h, "LOCIP:", "LOCID:", k.LocalIDType, k.LocalAddr, k.LocalPlen, k.LocalID)
	s.writePSKSide(&b, h, "REMIP:", "REMID:", k.RemoteIDType, k.RemoteAddr, k.RemotePlen, k.RemoteID)
	_, err := io.WriteString(w, b.String())
	return err
}

func (s *session) writePSKSide(b *strings.Builder, h *engine.Host, ipPre, idPre string, kind engine.IDKind, a netip.Addr, plen int, id string) {
	if kind == engine.IDIPv4 || kind == engine.IDIPv6 {
		fmt.Fprintf(b, "%s Address:\n", ipPre)
		fmt.Fprintf(b, "%s %s\n", ipPre, s.addrLine(h, a, 0, plen))
		return
	}
	fmt.Fprintf(b, "%s Identity, uid=0, type %s\n", idPre, idTypeName(kind.SADB()))
	fmt.Fprintf(b, "%s %s\n", idPre, id)
}

// addrLine is "<family>: port <port>, <addr>[/<plen>]<suffix>." with the
// reverse-lookup suffix unless -n.
func (s *session) addrLine(h *engine.Host, a netip.Addr, port, plen int) string {
	fam := "AF_INET"
	if a.Is6() && !a.Is4In6() {
		fam = "AF_INET6"
	}
	text := a.String()
	if plen > 0 {
		text += fmt.Sprintf("/%d", plen)
	}
	suffix := ""
	switch {
	case s.nflag:
	case a.IsUnspecified():
		suffix = " <unspecified>"
	default:
		if name, ok := s.reverseLookup(h, a); ok {
			suffix = " (" + name + ")"
		} else {
			suffix = " <unknown>"
		}
	}
	return fmt.Sprintf("%s: port %d, %s%s.", fam, port, text, suffix)
}
