package ikeconfig

import (
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Phase 1 lifetime limits (seconds).
const (
	defP1Lifetime = 3600
	minP1Lifetime = 60
)

// AES key sizes, in bits, a range may name; also the range plain "aes" gets.
const (
	aesMinBits = 128
	aesMaxBits = 256
)

// xformElem reads "p1_xform { … }" and appends the transform. The grammar
// wants at least one element between the braces.
func (p *parser) xformElem(r *ruleAcc) error {
	if err := p.value(tLBrace); err != nil {
		return err
	}
	if err := p.advance(); err != nil {
		return err
	}
	if p.tok.kind == tRBrace {
		return p.fail(msgSyntax)
	}
	var x engine.Transform
	for p.tok.kind != tRBrace {
		if err := p.xformPart(&x); err != nil {
			return err
		}
	}
	if err := p.finishXform(&x); err != nil {
		return err
	}
	r.xforms = append(r.xforms, x)
	return p.advance()
}

// xformPart handles one transform element. Each may appear once; a zero
// field means "not given" (an unknown algorithm name leaves it zero).
func (p *parser) xformPart(x *engine.Transform) error {
	if p.tok.kind != tKeyword {
		return p.fail(msgSyntax)
	}
	switch p.tok.kw {
	case kwEncrAlg:
		return p.encrPart(x)
	case kwAuthAlg:
		return p.hashPart(x)
	case kwAuthMethod:
		return p.methodPart(x)
	case kwOakleyGroup:
		return p.groupPart(x)
	case kwP1LifetimeSecs:
		return p.lifetimePart(x)
	case kwDump:
		return p.fail(msgDump)
	}
	return p.fail(msgSyntax)
}

func (p *parser) encrPart(x *engine.Transform) error {
	if err := p.advance(); err != nil {
		return err
	}
	if p.tok.kind != tString && p.tok.kind != tAlgRange {
		return p.fail(msgSyntax)
	}
	if x.Cipher != engine.CipherNone {
		return p.fail(msgHasEncr)
	}
	if p.tok.kind == tString {
		x.Cipher, x.KeyMin, x.KeyMax = lookupCipher(p.tok.text)
		return p.advance()
	}
	c, lo, hi, msg := parseAlgRange(p.tok.text)
	if msg != "" {
		return p.fail(msg)
	}
	x.Cipher, x.KeyMin, x.KeyMax = c, lo, hi
	return p.advance()
}

// lookupCipher maps an encr_alg name (any case, with or without "-cbc");
// unknown names give CipherNone, which the transform check rejects later.
func lookupCipher(name string) (c engine.Cipher, lo, hi int) {
	base := name
	if len(base) > 4 && strings.EqualFold(base[len(base)-4:], "-cbc") {
		base = base[:len(base)-4]
	}
	switch {
	case strings.EqualFold(base, "des"):
		return engine.CipherDES, 0, 0
	case strings.EqualFold(base, "3des"):
		return engine.Cipher3DES, 0, 0
	case strings.EqualFold(base, "blowfish"):
		return engine.CipherBlowfish, 0, 0
	case strings.EqualFold(base, "aes"):
		return engine.CipherAES, aesMinBits, aesMaxBits
	}
	return engine.CipherNone, 0, 0
}

// parseAlgRange handles "name(lo..hi)" with either bound optional; it
// returns a message when the token is not acceptable. The checks come in
// the daemon's order: non-AES, reversed bounds, then each size.
func parseAlgRange(tok string) (c engine.Cipher, lo, hi int, msg string) {
	open := strings.IndexByte(tok, '(')
	inner := tok[open+1 : len(tok)-1]
	los, his, ok := strings.Cut(inner, "..")
	if !ok || digitsLen(los) != len(los) || digitsLen(his) != len(his) {
		return 0, 0, 0, msgBadEncr
	}
	c, lo, hi = lookupCipher(tok[:open])
	if c != engine.CipherAES {
		return 0, 0, 0, msgNonAESKeySize
	}
	if los != "" {
		lo = atoiSat(los)
	}
	if his != "" {
		hi = atoiSat(his)
	}
	switch {
	case hi < lo:
		return 0, 0, 0, msgKeyRange
	case !aesKeySize(lo) || !aesKeySize(hi):
		return 0, 0, 0, msgAESKeySize
	}
	return c, lo, hi, ""
}

// atoiSat converts decimal digits, saturating instead of overflowing;
// any saturated value is an invalid key size anyway.
func atoiSat(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
		if v > 1<<20 {
			return 1 << 20
		}
	}
	return v
}

func aesKeySize(bits int) bool {
	return bits == 128 || bits == 192 || bits == 256
}

func (p *parser) hashPart(x *engine.Transform) error {
	if err := p.value(tString); err != nil {
		return err
	}
	if x.Hash != engine.HashNone {
		return p.fail(msgHasAuthAlg)
	}
	x.Hash = lookupHash(p.tok.text)
	return p.advance()
}

// lookupHash maps an auth_alg name (any case); unknown names give
// HashNone, which the transform check rejects later.
func lookupHash(name string) engine.Hash {
	for _, h := range [...]struct {
		name string
		hash engine.Hash
	}{
		{"md5", engine.HashMD5},
		{"sha", engine.HashSHA1}, {"sha1", engine.HashSHA1}, {"sha-1", engine.HashSHA1},
		{"sha256", engine.HashSHA256}, {"sha-256", engine.HashSHA256},
		{"sha384", engine.HashSHA384}, {"sha-384", engine.HashSHA384},
		{"sha512", engine.HashSHA512}, {"sha-512", engine.HashSHA512},
	} {
		if strings.EqualFold(name, h.name) {
			return h.hash
		}
	}
	return engine.HashNone
}

func (p *parser) methodPart(x *engine.Transform) error {
	if err := p.value(tKeyword); err != nil {
		return err
	}
	var m engine.AuthMethod
	switch p.tok.kw {
	case kwPreshared:
		m = engine.AuthPreshared
	case kwDSSSig:
		m = engine.AuthDSSSig
	case kwRSASig:
		m = engine.AuthRSASig
	case kwRSAEncrypt:
		m = engine.AuthRSAEncrypt
	case kwImprovedRSAEncrypt:
		m = engine.AuthRevRSAEncrypt
	default:
		return p.fail(msgSyntax)
	}
	if x.Auth != 0 {
		return p.fail(msgHasAuthMethod)
	}
	x.Auth = m
	return p.advance()
}

// groupPart checks the group number before the repeat, as the daemon does.
func (p *parser) groupPart(x *engine.Transform) error {
	v, err := p.numberValue()
	if err != nil {
		return err
	}
	if !validGroup(v) {
		return p.fail(msgBadGroup)
	}
	if x.Group != 0 {
		return p.fail(msgHasGroup)
	}
	x.Group = int(v)
	return p.advance()
}

// lifetimePart sets the transform lifetime; 0 counts as not given.
func (p *parser) lifetimePart(x *engine.Transform) error {
	v, err := p.numberValue()
	if err != nil {
		return err
	}
	recordFirst(&p.file.Global.Recorded.P1LifetimeSecs, v)
	if x.LifetimeSecs != 0 {
		return p.fail(msgHasLifetime)
	}
	x.LifetimeSecs = v
	return p.advance()
}

// finishXform runs at the transform's '}': the four mandatory parts, then
// the lifetime default current at this point of the file.
func (p *parser) finishXform(x *engine.Transform) error {
	switch {
	case x.Cipher == engine.CipherNone:
		return p.fail(msgNeedEncr)
	case x.Hash == engine.HashNone:
		return p.fail(msgNeedAuthAlg)
	case x.Group == 0:
		return p.fail(msgNeedGroup)
	case x.Auth == 0:
		return p.fail(msgNeedAuthMethod)
	}
	if x.LifetimeSecs == 0 {
		x.LifetimeSecs = p.p1Life
		if x.LifetimeSecs == 0 {
			x.LifetimeSecs = defP1Lifetime
		}
	}
	x.LifetimeSecs = max(x.LifetimeSecs, minP1Lifetime)
	return nil
}

// validGroup reports whether n is a Diffie-Hellman group the daemon
// accepts: the RFC 2409/3526/5114/5903 numbers 1-5 and 14-26.
func validGroup(n uint32) bool {
	return (n >= 1 && n <= 5) || (n >= 14 && n <= 26)
}
