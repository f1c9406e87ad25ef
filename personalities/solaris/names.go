package solaris

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Value-to-name tables ikeadm prints with.

func xchgName(m engine.ExchangeMode) string {
	switch m {
	case engine.XchgUnspecified:
		return "<unspecified>"
	case engine.XchgBase:
		return "base"
	case engine.XchgMain:
		return "main mode (identity protect)"
	case engine.XchgAuthOnly:
		return "authentication only"
	case engine.XchgAggressive:
		return "aggressive mode"
	case engine.XchgMainAndAggr:
		return "main and aggressive mode"
	case engine.XchgAny:
		return "any mode"
	}
	return fmt.Sprintf("<unknown %d>", m)
}

func authMethodName(m engine.AuthMethod) string {
	switch m {
	case engine.AuthPreshared:
		return "pre-shared key"
	case engine.AuthDSSSig:
		return "DSS signatures"
	case engine.AuthRSASig:
		return "RSA signatures"
	case engine.AuthRSAEncrypt:
		return "RSA Encryption"
	case engine.AuthRevRSAEncrypt:
		return "Revised RSA Encryption"
	}
	return fmt.Sprintf("<unknown %d>", m)
}

// cipherName is the first /etc/inet/ipsecalgs name of an ESP algorithm.
func cipherName(c engine.Cipher) string {
	switch c {
	case engine.CipherNone:
		return "<none>"
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

// hashName is the first /etc/inet/ipsecalgs name of an AH algorithm.
func hashName(h engine.Hash) string {
	switch h {
	case engine.HashNone:
		return "<none>"
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

// ESPAlgName and AuthAlgName are those ipsecalgs names for the other
// tools of the Solaris personality (ipseckey).
func ESPAlgName(c engine.Cipher) string { return cipherName(c) }
func AuthAlgName(h engine.Hash) string  { return hashName(h) }

var groupNames = map[int]string{
	0: "<unavailable>", 1: "768-bit MODP (group 1)", 2: "1024-bit MODP (group 2)",
	3: "EC2N group on GP[2^155]", 4: "EC2N group on GP[2^185]", 5: "1536-bit MODP (group 5)",
	14: "2048-bit MODP (group 14)", 15: "3072-bit MODP (group 15)", 16: "4096-bit MODP (group 16)",
	17: "6144-bit MODP (group 17)", 18: "8192-bit MODP (group 18)", 19: "256-bit ECP (group 19)",
	20: "384-bit ECP (group 20)", 21: "521-bit ECP (group 21)",
	22: "1024-bit MODP with 160-bit subprime (group 22)",
	23: "2048-bit MODP with 224-bit subprime (group 23)",
	24: "2048-bit MODP with 256-bit subprime (group 24)",
	25: "192-bit ECP (group 25)", 26: "224-bit ECP (group 26)",
}

func groupName(g int) string {
	if n, ok := groupNames[g]; ok {
		return n
	}
	return fmt.Sprintf("<unknown %d>", g)
}

// idTypeName names an SADB identity type as ikeadm prints it.
func idTypeName(sadb int) string {
	switch sadb {
	case engine.SADBIdentPrefix:
		return "prefix"
	case engine.SADBIdentFQDN:
		return "FQDN"
	case engine.SADBIdentUserFQDN:
		return "user-FQDN (mbox)"
	case engine.SADBIdentDN:
		return "ASN.1 DER Distinguished Name"
	case engine.SADBIdentGN:
		return "ASN.1 DER Generic Name"
	case engine.SADBIdentKeyID:
		return "Generic key id"
	case engine.SADBIdentAddrRange:
		return "Address range"
	}
	return fmt.Sprintf("<unknown %d>", sadb)
}

// secs2out is the " (8.00 hours)" humanisation of a seconds count; empty
// for a minute or less.
func secs2out(secs uint32) string {
	if secs <= 60 {
		return ""
	}
	v, unit := float64(secs)/60, "minute"
	switch {
	case secs >= 86400:
		v, unit = float64(secs)/86400, "day"
	case secs >= 3600:
		v, unit = float64(secs)/3600, "hour"
	}
	if v >= 2 {
		unit += "s"
	}
	return fmt.Sprintf(" (%.2f %s)", v, unit)
}

// bytecnt2out is the "(23.44 GB)" humanisation of a kilobyte count; empty
// when the byte count is 1024 or less.
func bytecnt2out(kb uint64) string {
	b := float64(kb) * 1024
	if b <= 1024 {
		return ""
	}
	units := "KMGTPE"
	i := -1
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	return fmt.Sprintf("(%.2f %cB)", b, units[i])
}
