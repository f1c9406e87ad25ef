package ike

import (
	"fmt"
	"io"
	"time"

	"github.com/ikemu/ikemu/pkg/engine"
)

// The long (verbose) list: one "Label: value" per line, values at column
// 31, a blank line between blocks (spec 2.3, a reconstruction).

func field(w io.Writer, label string, value any) {
	fmt.Fprintf(w, "%-31s%v\n", label, value)
}

func (r *invocation) writeVerbose(w io.Writer, h *engine.Host, rows []listed) error {
	for i, row := range rows {
		if i > 0 {
			io.WriteString(w, "\n")
		}
		if row.p1 != nil {
			writeP1Verbose(w, h.Now(), row.p1)
		} else {
			writeP2Verbose(w, h.Now(), row.p2)
		}
	}
	return nil
}

func roleName(init bool) string {
	if init {
		return "Initiator"
	}
	return "Responder"
}

func idType(s string) string {
	if a, err := parseAddr(s); err == nil {
		if a.Is4() {
			return "IPV4_Address"
		}
		return "IPV6_Address"
	}
	return "FQDN"
}

func remaining(exp, now time.Time) int64 {
	if d := int64(exp.Sub(now) / time.Second); d > 0 {
		return d
	}
	return 0
}

func writeP1Verbose(w io.Writer, now time.Time, t *p1View) {
	fmt.Fprintf(w, "%-31s[%d]\n", "Phase 1 Tunnel ID", t.num)
	field(w, "Local ID Type:", idType(t.local))
	field(w, "Local ID:", t.local)
	field(w, "Remote ID Type:", idType(t.remote))
	field(w, "Remote ID:", t.remote)
	if sa := t.sa; sa != nil {
		mode := "Main"
		if sa.Mode == engine.XchgAggressive {
			mode = "Aggressive"
		}
		field(w, "Mode:", mode)
		field(w, "Security Policy:", sa.PolicyLabel)
		field(w, "Role:", roleName(sa.Initiator))
		field(w, "Encryption Alg:", cipherName(sa.Xform.Cipher, sa.Xform.KeyMax))
		field(w, "Auth Alg:", authMethodName(sa.Xform.Auth))
		field(w, "Hash Alg:", hashName(sa.Xform.Hash))
		field(w, "Key Lifetime:", fmt.Sprintf("%d Seconds", sa.Xform.LifetimeSecs))
		field(w, "Key Lifesize:", fmt.Sprintf("%d Kbytes", sa.Xform.LifetimeKB))
		field(w, "Key Rem Lifetime:", fmt.Sprintf("%d Seconds", remaining(sa.Expires(), now)))
		field(w, "Key Rem Lifesize:", fmt.Sprintf("%d Kbytes", sa.Xform.LifetimeKB))
	} else {
		field(w, "Role:", roleName(t.initiator))
	}
	field(w, "Status:", t.status)
}

func writeP2Verbose(w io.Writer, now time.Time, t *p2View) {
	fmt.Fprintf(w, "%-31s[%d]\n", "Phase 2 Tunnel ID", t.num)
	field(w, "Local ID:", t.local)
	field(w, "Remote ID:", t.remote)
	if sa := t.sa; sa != nil {
		field(w, "Mode:", "Quick")
		field(w, "Security Policy:", sa.PolicyName)
		field(w, "Role:", roleName(sa.Initiator))
		p := sa.Proposal
		if p.Protocol == "AH" {
			field(w, "ESP Encryption Alg:", "N/A")
			field(w, "ESP Auth Alg:", "N/A")
			field(w, "AH Transform:", hashName(p.Auth))
		} else {
			field(w, "ESP Encryption Alg:", cipherName(p.Cipher, p.KeyBits))
			field(w, "ESP Auth Alg:", hashName(p.Auth))
			field(w, "AH Transform:", "N/A")
		}
		field(w, "Encapsulation Mode:", p.Encapsulate)
		pfs := "No"
		if sa.PFS != 0 {
			pfs = fmt.Sprintf("Yes (DH group %d)", sa.PFS)
		}
		field(w, "PFS:", pfs)
		field(w, "SA Lifetime:", fmt.Sprintf("%d Seconds", sa.LifetimeSecs))
		field(w, "SA Lifesize:", fmt.Sprintf("%d Kbytes", sa.LifetimeKB))
		field(w, "SA Rem Lifetime:", fmt.Sprintf("%d Seconds", remaining(sa.Expires(), now)))
		field(w, "Phase 1 Tunnel ID:", sa.P1TunnelNum)
	} else {
		field(w, "Role:", roleName(t.initiator))
	}
	field(w, "Status:", t.status)
}

func cipherName(c engine.Cipher, bits int) string {
	switch c {
	case engine.CipherDES:
		return "DES-CBC"
	case engine.Cipher3DES:
		return "3DES-CBC"
	case engine.CipherAES:
		if bits != 0 {
			return fmt.Sprintf("AES-CBC-%d", bits)
		}
		return "AES-CBC"
	case engine.CipherBlowfish:
		return "BLOWFISH-CBC"
	case engine.CipherNone:
		return "NULL"
	}
	return fmt.Sprintf("unknown(%d)", c)
}

func hashName(h engine.Hash) string {
	switch h {
	case engine.HashMD5:
		return "MD5"
	case engine.HashSHA1:
		return "SHA"
	case engine.HashSHA256:
		return "SHA2_256"
	case engine.HashSHA384:
		return "SHA2_384"
	case engine.HashSHA512:
		return "SHA2_512"
	case engine.HashNone:
		return "N/A"
	}
	return fmt.Sprintf("unknown(%d)", h)
}

func authMethodName(m engine.AuthMethod) string {
	switch m {
	case engine.AuthPreshared:
		return "Preshared Key"
	case engine.AuthRSASig:
		return "RSA Signature"
	}
	return fmt.Sprintf("method %d", m)
}
