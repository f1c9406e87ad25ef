package swan

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/engine"
)

// groupNames are the Diffie-Hellman groups as both strongSwan and
// Libreswan name them in proposals.
var groupNames = map[int]string{
	1: "modp768", 2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072",
	16: "modp4096", 17: "modp6144", 18: "modp8192", 19: "ecp256", 20: "ecp384",
	21: "ecp521", 22: "modp1024s160", 23: "modp2048s224", 24: "modp2048s256",
	25: "ecp192", 26: "ecp224",
}

func groupName(g int) (string, error) {
	if n, ok := groupNames[g]; ok {
		return n, nil
	}
	return "", fmt.Errorf("Diffie-Hellman group %d", g)
}

func hashName(h engine.Hash) (string, error) {
	switch h {
	case engine.HashMD5:
		return "md5", nil
	case engine.HashSHA1:
		return "sha1", nil
	case engine.HashSHA256:
		return "sha256", nil
	case engine.HashSHA384:
		return "sha384", nil
	case engine.HashSHA512:
		return "sha512", nil
	case engine.HashAESXCBC:
		return "aesxcbc", nil
	}
	return "", fmt.Errorf("hash %d", h)
}

// cipherNames are the cipher's names, one for each key length the
// transform allows (a Solaris aes(128..256) is three).
func cipherNames(c engine.Cipher, keyMin, keyMax int) ([]string, error) {
	sized := func(base string, dflt int, sizes ...int) []string {
		if keyMin == 0 && keyMax == 0 {
			return []string{fmt.Sprintf("%s%d", base, dflt)}
		}
		var out []string
		for _, s := range sizes {
			if s >= keyMin && s <= max(keyMin, keyMax) {
				out = append(out, fmt.Sprintf("%s%d", base, s))
			}
		}
		return out
	}
	var names []string
	switch c {
	case engine.CipherDES:
		return []string{"des"}, nil
	case engine.Cipher3DES:
		return []string{"3des"}, nil
	case engine.CipherAES:
		names = sized("aes", 128, 128, 192, 256)
	case engine.CipherBlowfish:
		names = sized("blowfish", 128, 128, 192, 256)
	case engine.CipherAESGCM:
		names = sized("aes", 128, 128, 192, 256)
		for i := range names {
			names[i] += "gcm16"
		}
	case engine.CipherAESGMAC:
		names = sized("aes", 128, 128, 192, 256)
		for i := range names {
			names[i] += "gmac"
		}
	default:
		return nil, fmt.Errorf("cipher %d", c)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("a %d..%d-bit key", keyMin, keyMax)
	}
	return names, nil
}

// ikeProposals are a phase 1 transform's proposals, one per key length.
func ikeProposals(x engine.Transform) ([]string, error) {
	ciphers, err := cipherNames(x.Cipher, x.KeyMin, x.KeyMax)
	if err != nil {
		return nil, err
	}
	hash, err := hashName(x.Hash)
	if err != nil {
		return nil, err
	}
	group, err := groupName(x.Group)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ciphers))
	for i, c := range ciphers {
		out[i] = c + "-" + hash + "-" + group
	}
	return out, nil
}

// espProposal is one ESP transform as an esp proposal, with the PFS
// group appended when there is one.
func espProposal(x *engine.IPsecTransform, pfs int) (string, error) {
	var s string
	switch x.Cipher {
	case engine.CipherNone:
		s = "null"
	default:
		names, err := cipherNames(x.Cipher, x.KeyBits, x.KeyBits)
		if err != nil {
			return "", err
		}
		s = names[0]
	}
	if x.Auth != engine.HashNone {
		h, err := hashName(x.Auth)
		if err != nil {
			return "", err
		}
		s += "-" + h
	}
	return withPFS(s, pfs)
}

// ahProposal is one AH transform as an ah proposal.
func ahProposal(x *engine.IPsecTransform, pfs int) (string, error) {
	h, err := hashName(x.Auth)
	if err != nil {
		return "", err
	}
	return withPFS(h, pfs)
}

func withPFS(s string, pfs int) (string, error) {
	if pfs == 0 {
		return s, nil
	}
	g, err := groupName(pfs)
	if err != nil {
		return "", err
	}
	return s + "-" + g, nil
}
