package ipsecconf

import (
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
)

// secret is one ipsec.secrets entry: "IDs : TYPE value". Nothing from an
// entry is ever put in a message except its position and its type.
type secret struct {
	at       pos
	ids      []vpnxml.ID // identities before the colon
	wildcard bool        // %any (or 0.0.0.0) was among them
	kind     string      // PSK, RSA, ... (upper case)
	value    string      // the key as AIX writes it (PSK only)
	format   vpnxml.KeyFormat
	bad      string // why the PSK cannot be used on AIX; "" when it can
	used     bool
}

// AIX limits on preshared keys: 512 characters of text, or 256 bytes
// written as hex.
const (
	maxKeyText  = 512
	maxKeyBytes = maxKeyText / 2
)

// secretsParser reads ipsec.secrets. An entry starts in the first column;
// indented lines continue it, and so does everything between a '{' and
// its '}' (the FreeS/WAN form of an inline RSA key).
type secretsParser struct {
	in   *includer
	w    *warnings
	list []*secret
}

// entry is a logical entry being gathered from its lines.
type entry struct {
	text   strings.Builder
	at     pos
	braces int
}

func (p *secretsParser) file(r io.Reader, src source, depth int) error {
	p.w.file(src.shown)
	var cur *entry
	err := eachLine(r, src.shown, func(line string, at pos) error {
		text, err := stripComment(line, `"'`, at)
		if err != nil {
			return err
		}
		cur, err = p.line(cur, text, src, at, depth)
		return err
	})
	if err == nil && cur != nil {
		err = p.finish(cur)
	}
	return err
}

// line adds one line to the entry being gathered, or starts the next.
func (p *secretsParser) line(cur *entry, text string, src source, at pos, depth int) (*entry, error) {
	switch {
	case cur != nil && cur.braces > 0, isIndented(text) && strings.TrimSpace(text) != "":
		if cur == nil {
			return nil, errAt(at, "indented line outside an entry")
		}
		cur.add(text)
		return cur, nil
	case strings.TrimSpace(text) == "":
		return cur, nil
	}
	if cur != nil {
		if err := p.finish(cur); err != nil {
			return nil, err
		}
	}
	if f := strings.Fields(text); f[0] == "include" && len(f) == 2 {
		return nil, includeFiles(p.in, p.w, unquote(f[1]), src, at, depth, p.file)
	}
	e := &entry{at: at}
	e.add(text)
	return e, nil
}

func (e *entry) add(text string) {
	e.text.WriteString(" ")
	e.text.WriteString(text)
	e.braces += strings.Count(text, "{") - strings.Count(text, "}")
}

// finish parses a gathered entry.
func (p *secretsParser) finish(e *entry) error {
	if e.braces > 0 {
		return errAt(e.at, "entry has a '{' without its '}'")
	}
	toks, err := tokenize(e.text.String(), e.at)
	if err != nil {
		return err
	}
	ids, rest, ok := splitAtColon(toks)
	if !ok {
		return errAt(e.at, "expected \"IDs : TYPE secret\": no ':' between the identities and the secret type")
	}
	s := &secret{at: e.at}
	if !p.selectors(s, ids) {
		return nil
	}
	p.kind(s, rest)
	return nil
}

// token is a word of an entry; quoted words keep their blanks.
type token struct {
	text   string
	quoted bool
}

func tokenize(s string, at pos) ([]token, error) {
	var out []token
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out, nil
		}
		if q := s[0]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return nil, errAt(at, "unterminated quoted string")
			}
			out = append(out, token{s[1 : end+1], true})
			s = s[end+2:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		out = append(out, token{s[:end], false})
		s = s[end:]
	}
}

// splitAtColon splits an entry at its separator: a ':' word, or a word
// ending in its only ':' ("host:"), which cannot be an IPv6 address.
func splitAtColon(toks []token) (ids, rest []token, ok bool) {
	for i, t := range toks {
		switch {
		case t.quoted:
		case t.text == ":":
			return toks[:i], toks[i+1:], true
		case strings.IndexByte(t.text, ':') == len(t.text)-1:
			ids = append(append(ids, toks[:i]...), token{text: t.text[:len(t.text)-1]})
			return ids, toks[i+1:], true
		}
	}
	return nil, nil, false
}

// selectors reads the identities of an entry; an identity AIX cannot hold
// makes the entry unusable, with a warning that does not quote it.
func (p *secretsParser) selectors(s *secret, toks []token) bool {
	for i, t := range toks {
		switch strings.ToLower(t.text) {
		case "%any", "%any4", "%any6", "0.0.0.0", "::":
			s.wildcard = true
			continue
		}
		id, msg := parseID(t.text)
		if msg != "" {
			p.w.add(s.at, "", "identity "+strconv.Itoa(i+1)+" of this entry cannot be used ("+msg+"); entry ignored")
			return false
		}
		s.ids = append(s.ids, id)
	}
	return true
}

// kind reads the type and value of an entry. Only PSK entries are kept;
// the others are reported, by type only.
func (p *secretsParser) kind(s *secret, toks []token) {
	if len(toks) == 0 || toks[0].quoted {
		p.w.add(s.at, "", "no secret type (PSK, RSA, ...) after ':'; entry ignored")
		return
	}
	s.kind = strings.ToUpper(toks[0].text)
	if msg := otherKind(s.kind); msg != "" {
		p.w.add(s.at, "", msg)
		return
	}
	switch len(toks) {
	case 1:
		s.bad = "no key is given"
	case 2:
		s.value, s.format, s.bad = decodePSK(toks[1])
	default:
		s.bad = "there is text after the key"
	}
	p.list = append(p.list, s)
}

// otherKind explains what becomes of the entry types other than PSK; ""
// for PSK.
func otherKind(kind string) string {
	switch kind {
	case "PSK":
		return ""
	case "RSA", "ECDSA", "ED25519", "ED448", "BLISS", "PKCS8", "P12", "PKCS12", "PRIVATE":
		return kind + " entry (a private key) is not converted: install the key and certificate with the AIX certificate tools"
	case "XAUTH", "EAP", "NTLM":
		return kind + " entry (a user password) is not converted: AIX IKEv1 has no XAUTH or EAP"
	case "PIN":
		return "PIN entry (a smartcard PIN) is not converted"
	case "PPK":
		return "PPK entry (a post-quantum preshared key) is not converted: AIX IKEv1 has none"
	}
	return "unknown secret type; entry ignored"
}

// decodePSK turns a PSK as written into the AIX Value and Format. Text
// that is not printable ASCII is written as hex, so that the key bytes
// stay exactly the same.
func decodePSK(t token) (string, vpnxml.KeyFormat, string) {
	v := t.text
	switch {
	case t.quoted:
		return textKey(v)
	case strings.HasPrefix(v, "0x") || strings.HasPrefix(v, "0X"):
		return hexKey(strings.ReplaceAll(v[2:], "_", ""))
	case strings.HasPrefix(v, "0s"):
		b, err := base64.StdEncoding.DecodeString(v[2:])
		if err != nil {
			return "", "", "the base64 (0s) key is not valid base64"
		}
		return bytesKey(b)
	}
	return textKey(v)
}

func textKey(v string) (string, vpnxml.KeyFormat, string) {
	if v == "" {
		return "", "", "the key is empty"
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return bytesKey([]byte(v))
		}
	}
	if len(v) > maxKeyText {
		return "", "", "the key is longer than the " + strconv.Itoa(maxKeyText) + " characters AIX accepts"
	}
	return v, vpnxml.ASCII, ""
}

func hexKey(h string) (string, vpnxml.KeyFormat, string) {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) == 0 {
		return "", "", "the hex (0x) key is not an even number of hex digits"
	}
	return bytesKey(b)
}

func bytesKey(b []byte) (string, vpnxml.KeyFormat, string) {
	switch {
	case len(b) == 0:
		return "", "", "the key is empty"
	case len(b) > maxKeyBytes:
		return "", "", "the key is longer than the " + strconv.Itoa(maxKeyBytes) + " bytes AIX accepts"
	}
	return hex.EncodeToString(b), vpnxml.Hex, ""
}

// endpoint is one end of a conn as preshared keys are looked up: its
// identity and its address.
type endpoint struct {
	id   vpnxml.ID
	addr netip.Addr
}

func (e endpoint) matches(id vpnxml.ID) bool {
	return sameID(id, e.id) || id.Type.IsAddress() && e.addr.IsValid() && id.Addr == e.addr
}

// score rates how well an entry fits a conn; 0 is no fit. An entry naming
// the peer and this host fits best, then one naming the peer alone, then
// one naming the peer and some other host, then one naming only this
// host, then a wildcard entry.
func (s *secret) score(local, remote endpoint) int {
	if len(s.ids) == 0 {
		return 1 // ": PSK" or "%any : PSK"
	}
	var hitRemote, hitLocal, other bool
	for _, id := range s.ids {
		switch {
		case remote.matches(id) && !hitRemote:
			hitRemote = true
		case local.matches(id):
			hitLocal = true
		default:
			other = true
		}
	}
	switch {
	case hitRemote && hitLocal:
		return 5
	case hitRemote && !other:
		return 4
	case hitRemote:
		return 3
	case hitLocal && !other:
		return 2
	}
	return 0
}

// bestPSK returns the best PSK entry for a conn, and an entry that fits
// equally well with another key, if any.
func bestPSK(list []*secret, local, remote endpoint) (best, tie *secret) {
	top := 0
	for _, s := range list {
		sc := s.score(local, remote)
		switch {
		case sc > top:
			best, tie, top = s, nil, sc
		case sc == top && sc > 0 && tie == nil && (s.value != best.value || s.bad != best.bad):
			tie = s
		}
	}
	return best, tie
}
