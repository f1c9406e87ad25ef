package solaris

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// writeP1 prints one phase 1 SA as dump/get p1 do.
func (s *session) writeP1(w io.Writer, h *engine.Host, sa *engine.Phase1SA) error {
	var b strings.Builder
	writeP1Header(&b, sa)
	writeP1Xform(&b, sa)
	s.writeP1Addrs(&b, h, sa)
	writeP1Lifetimes(&b, sa, h.Now())
	fmt.Fprintf(&b, "STATS: %d Quick Mode SAs created; %d Quick Mode SAs deleted\n", sa.QMCreated, sa.QMDeleted)
	e := sa.Errors
	fmt.Fprintf(&b, "ERRS:  %d RX errors: %d decryption, %d hash, %d other\n", e.RX(), e.RXDecrypt, e.RXHash, e.RXOther)
	fmt.Fprintf(&b, "ERRS:  %d TX errors\n", e.TX)
	if err := s.writeP1Keys(&b, h, sa); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeP1Header(b *strings.Builder, sa *engine.Phase1SA) {
	role := "responder"
	if sa.Initiator {
		role = "initiator"
	}
	fmt.Fprintf(b, "\nIKESA: Cookies: Initiator 0x%x  Responder 0x%x\n", sa.CookieI, sa.CookieR)
	fmt.Fprintf(b, "IKESA: The local host is the %s.\n", role)
	fmt.Fprintf(b, "IKESA: ISAKMP version 1.0; %s exchange\n", xchgName(sa.Mode))
	b.WriteString("IKESA: Current state is ACTIVE\n")
}

func writeP1Xform(b *strings.Builder, sa *engine.Phase1SA) {
	x := sa.Xform
	fmt.Fprintf(b, "XFORM: Authentication method: %s\n", authMethodName(x.Auth))
	fmt.Fprintf(b, "XFORM: Encryption alg: %s%s; Authentication alg: %s\n", cipherName(x.Cipher), keyRange(x.KeyMin, x.KeyMax), hashName(x.Hash))
	fmt.Fprintf(b, "XFORM: Oakley Group: %s\n", groupName(x.Group))
	fmt.Fprintf(b, "XFORM: %s\n", pfsText(sa.PFS))
}

func (s *session) writeP1Addrs(b *strings.Builder, h *engine.Host, sa *engine.Phase1SA) {
	locRole, remRole := "Responder", "Initiator"
	if sa.Initiator {
		locRole, remRole = "Initiator", "Responder"
	}
	fmt.Fprintf(b, "LOCIP: Address (%s):\n", locRole)
	fmt.Fprintf(b, "LOCIP: %s\n", s.addrLine(h, sa.Local.First, sa.LocalPort, 0))
	fmt.Fprintf(b, "REMIP: Address (%s):\n", remRole)
	fmt.Fprintf(b, "REMIP: %s\n", s.addrLine(h, sa.Remote.First, sa.RemotePort, 0))
}

// cTime is strftime's %c in the C locale, in local time.
func cTime(t time.Time) string {
	return t.Local().Format("Mon Jan _2 15:04:05 2006")
}

func writeP1Lifetimes(b *strings.Builder, sa *engine.Phase1SA, now time.Time) {
	x := sa.Xform
	b.WriteString("LIFTM: Lifetime limits:\n")
	fmt.Fprintf(b, "LIFTM: %d seconds%s; %d kbytes %sprotected\n", x.LifetimeSecs, secs2out(x.LifetimeSecs), x.LifetimeKB, spcEnd(bytecnt2out(uint64(x.LifetimeKB))))
	b.WriteString("LIFTM: keying material for IPsec SAs can be provided 0 times (no limit)\n")
	b.WriteString("LIFTM: Current usage:\n")
	fmt.Fprintf(b, "LIFTM: SA was created at %s\n", cTime(sa.Created))
	b.WriteString("LIFTM: 0 kbytes protected\n")
	fmt.Fprintf(b, "LIFTM: keying material for IPsec SAs provided %d times\n", sa.QMCreated)
	b.WriteString("LIFTM: Expiration info:\n")
	if x.LifetimeKB != 0 {
		fmt.Fprintf(b, "LIFTM: %d more bytes %scan be protected.\n", x.LifetimeKB, spcEnd(bytecnt2out(uint64(x.LifetimeKB))))
	}
	if x.LifetimeSecs == 0 {
		return
	}
	exp := sa.Expires()
	remain := int64(exp.Sub(now) / time.Second)
	if remain <= 0 {
		fmt.Fprintf(b, "LIFTM: SA Expired at %s\n", cTime(exp))
		return
	}
	fmt.Fprintf(b, "LIFTM: SA expires in %d seconds%s\n", remain, secs2out(uint32(remain)))
	fmt.Fprintf(b, "LIFTM: Time of expiration: %s\n", cTime(exp))
}

// spcEnd is a humanised count followed by one space, or nothing.
func spcEnd(s string) string {
	if s == "" {
		return ""
	}
	return s + " "
}

// writeP1Keys prints the keying material, only at privilege keymat.
func (s *session) writeP1Keys(b *strings.Builder, h *engine.Host, sa *engine.Phase1SA) error {
	d, err := h.Daemons().IKE()
	if err != nil {
		return err
	}
	if d.Priv < engine.PrivKeymat {
		return nil
	}
	k := sa.Keys
	for _, kv := range []struct {
		name string
		v    []byte
	}{
		{"Pre-shared key", k.PSK}, {"SKEYID", k.SKEYID}, {"SKEYID_d", k.SKEYIDd}, {"SKEYID_a", k.SKEYIDa},
		{"SKEYID_e", k.SKEYIDe}, {"Encryption key", k.EncKey}, {"Initialization vector", k.IV},
	} {
		if len(kv.v) > 0 {
			fmt.Fprintf(b, "KEY:   %s (%d bytes): %s\n", kv.name, len(kv.v), s.keyHex(kv.v, len(kv.v)*8))
		}
	}
	return nil
}
