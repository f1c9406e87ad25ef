package ikeconfig

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// WriteRule writes one policy as "ikeadm write rule" does. Lifetimes are
// written as stored (the effective values), the AES key range is not
// written, and neither are the nonce lengths (globals). A policy that
// cannot be expressed in the file format (a newline in a string, an
// unknown algorithm, an include selector starting with '!', …) is refused
// before anything is written.
func WriteRule(w io.Writer, p *engine.Phase1Policy) error {
	b, err := appendRule(make([]byte, 0, 512), p)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func appendRule(b []byte, p *engine.Phase1Policy) ([]byte, error) {
	var err error
	b = append(b, "{\n"...)
	if b, err = appendQuoted(b, "\tlabel\t", "", p.Label); err != nil {
		return nil, err
	}
	if name := idKindName(p.LocalIDType); name != "" {
		b = append(append(append(b, "\tlocal_id_type\t"...), name...), '\n')
	}
	if name := modeName(p.Mode); name != "" {
		b = append(append(append(b, "\tp1_mode\t"...), name...), '\n')
	}
	if b, err = appendAddrs(b, "\tlocal_addr\t", p.LocalAddrs); err != nil {
		return nil, err
	}
	if b, err = appendAddrs(b, "\tremote_addr\t", p.RemoteAddrs); err != nil {
		return nil, err
	}
	if b, err = appendSelectors(b, "\tlocal_id\t", p.LocalIDs); err != nil {
		return nil, err
	}
	if b, err = appendSelectors(b, "\tremote_id\t", p.RemoteIDs); err != nil {
		return nil, err
	}
	if b, err = appendLifetimes(b, p); err != nil {
		return nil, err
	}
	for i := range p.Transforms {
		if b, err = appendTransform(b, &p.Transforms[i]); err != nil {
			return nil, err
		}
	}
	return append(b, "}\n"...), nil
}

// appendQuoted writes prefix "mark s" and a newline, escaping '"' and '\'
// so that the string reads back unchanged (the daemon writes them raw,
// which its own reader would mangle). A newline cannot be quoted.
func appendQuoted(b []byte, prefix, mark, s string) ([]byte, error) {
	if strings.IndexByte(s, '\n') >= 0 {
		return nil, fmt.Errorf("ikeconfig: cannot write %q: newline in string", s)
	}
	b = append(append(append(b, prefix...), '"'), mark...)
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return append(b, "\"\n"...), nil
}

// idKindName is the local_id_type keyword written for a kind; IPv4
// addresses are written as "ip". IDKeyID is written as the daemon would,
// although its reader has no such keyword; IDUnset writes no line.
func idKindName(k engine.IDKind) string {
	switch k {
	case engine.IDIPv4:
		return "ip"
	case engine.IDIPv6:
		return "ipv6"
	case engine.IDIPv4Prefix:
		return "ipv4_prefix"
	case engine.IDIPv6Prefix:
		return "ipv6_prefix"
	case engine.IDIPv4Range:
		return "ipv4_range"
	case engine.IDIPv6Range:
		return "ipv6_range"
	case engine.IDFQDN:
		return "fqdn"
	case engine.IDUserFQDN:
		return "user_fqdn"
	case engine.IDDN:
		return "dn"
	case engine.IDGN:
		return "gn"
	case engine.IDKeyID:
		return "keyid"
	}
	return ""
}

// modeName is the p1_mode line's value; "any" (and anything the grammar
// cannot express) writes no line.
func modeName(m engine.ExchangeMode) string {
	switch m {
	case engine.XchgMain:
		return "main"
	case engine.XchgAggressive:
		return "aggressive"
	}
	return ""
}

// appendAddrs writes one line per range: "a" or "a - b".
func appendAddrs(b []byte, prefix string, ranges []engine.AddrRange) ([]byte, error) {
	for _, ar := range ranges {
		if !writableAddr(ar.First) || !writableAddr(ar.Last) || ar.First.Is4() != ar.Last.Is4() {
			return nil, fmt.Errorf("ikeconfig: cannot write address range %v - %v", ar.First, ar.Last)
		}
		b = ar.First.AppendTo(append(b, prefix...))
		if ar.Last != ar.First {
			b = ar.Last.AppendTo(append(b, " - "...))
		}
		b = append(b, '\n')
	}
	return b, nil
}

func writableAddr(a netip.Addr) bool {
	return a.IsValid() && a.Zone() == ""
}

// appendSelectors writes the includes, then the excludes with their '!'.
func appendSelectors(b []byte, prefix string, s engine.Selectors) ([]byte, error) {
	var err error
	for _, id := range s.Include {
		if strings.HasPrefix(id, "!") {
			return nil, fmt.Errorf("ikeconfig: cannot write included identity %q", id)
		}
		if b, err = appendQuoted(b, prefix, "", id); err != nil {
			return nil, err
		}
	}
	for _, id := range s.Exclude {
		if b, err = appendQuoted(b, prefix, "!", id); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// appendLifetimes writes the five phase 2 lifetimes and the PFS group.
func appendLifetimes(b []byte, p *engine.Phase1Policy) ([]byte, error) {
	if p.P2PFS < 0 || p.P2PFS > 255 {
		return nil, fmt.Errorf("ikeconfig: cannot write PFS group %d", p.P2PFS)
	}
	for _, f := range [...]struct {
		name string
		v    uint32
	}{
		{"p2_lifetime_secs", p.P2LifetimeSecs},
		{"p2_softlife_secs", p.P2SoftSecs},
		{"p2_idletime_secs", p.P2IdleSecs},
		{"p2_lifetime_kb", p.P2LifetimeKB},
		{"p2_softlife_kb", p.P2SoftKB},
		{"p2_pfs", uint32(p.P2PFS)},
	} {
		b = append(append(append(b, '\t'), f.name...), '\t')
		b = append(strconv.AppendUint(b, uint64(f.v), 10), '\n')
	}
	return b, nil
}

// appendTransform writes one p1_xform line.
func appendTransform(b []byte, x *engine.Transform) ([]byte, error) {
	encr, hash, meth := cipherName(x.Cipher), hashName(x.Hash), authName(x.Auth)
	if encr == "" || hash == "" || meth == "" || x.Group < 0 || x.Group > 255 {
		return nil, errors.New("ikeconfig: cannot write transform with unknown algorithm or group")
	}
	b = append(b, "\tp1_xform { encr_alg "...)
	b = append(append(b, encr...), " auth_alg "...)
	b = append(append(b, hash...), " oakley_group "...)
	b = append(strconv.AppendInt(b, int64(x.Group), 10), " auth_method "...)
	b = append(append(b, meth...), " p1_lifetime_secs "...)
	b = append(strconv.AppendUint(b, uint64(x.LifetimeSecs), 10), " }\n"...)
	return b, nil
}

func cipherName(c engine.Cipher) string {
	switch c {
	case engine.CipherBlowfish:
		return "blowfish-cbc"
	case engine.Cipher3DES:
		return "3des-cbc"
	case engine.CipherDES:
		return "des-cbc"
	case engine.CipherAES:
		return "aes-cbc"
	}
	return ""
}

func hashName(h engine.Hash) string {
	switch h {
	case engine.HashMD5:
		return "md5"
	case engine.HashSHA1:
		return "sha1"
	case engine.HashSHA256:
		return "sha256"
	case engine.HashSHA384:
		return "sha384"
	case engine.HashSHA512:
		return "sha512"
	}
	return ""
}

func authName(m engine.AuthMethod) string {
	switch m {
	case engine.AuthDSSSig:
		return "dss_sig"
	case engine.AuthRevRSAEncrypt:
		return "improved_rsa_encrypt"
	case engine.AuthPreshared:
		return "preshared"
	case engine.AuthRSAEncrypt:
		return "rsa_encrypt"
	case engine.AuthRSASig:
		return "rsa_sig"
	}
	return ""
}
