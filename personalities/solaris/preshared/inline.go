package preshared

import (
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// IdentKind maps an ikeadm identity keyword (case-insensitive) to a kind.
// The family-neutral keywords ip, prefix and subnet give the IPv4 kinds;
// the SADB identity class, which is all lookups compare, is the same.
func IdentKind(word string) (engine.IDKind, bool) {
	switch asciiLower(word) {
	case "ip", "ipv4":
		return engine.IDIPv4, true
	case "ipv6":
		return engine.IDIPv6, true
	case "prefix", "ipv4-prefix", "subnet", "subnetv4":
		return engine.IDIPv4Prefix, true
	case "ipv6-prefix", "subnetv6":
		return engine.IDIPv6Prefix, true
	case "fqdn", "dns", "domain", "domainname":
		return engine.IDFQDN, true
	case "user_fqdn", "mbox", "mailbox":
		return engine.IDUserFQDN, true
	case "dn", "asn1dn":
		return engine.IDDN, true
	case "gn", "asn1gn":
		return engine.IDGN, true
	case "ipv4-range", "rangev4":
		return engine.IDIPv4Range, true
	case "ipv6-range", "rangev6":
		return engine.IDIPv6Range, true
	case "keyid":
		return engine.IDKeyID, true
	}
	return engine.IDUnset, false
}

// isAddrWord reports whether a kind from IdentKind is one ikeadm sends as
// a socket address (ip, ipv4, ipv6) rather than as an identity string.
func isAddrWord(k engine.IDKind) bool { return k == engine.IDIPv4 || k == engine.IDIPv6 }

// inlineDef holds the fields of an inline definition before resolution.
// Fields may repeat; the last one wins, as in ikeadm.
type inlineDef struct {
	lid, rid     string
	haveL, haveR bool
	ltype, rtype engine.IDKind
	mode         engine.ExchangeMode
	key          []byte
	bits         int
	haveKey      bool
}

// ParseInline parses an inline `add preshared { ... }` definition (spec
// 6.4). tokens are the words after "add preshared" as the interactive
// tokenizer split them; numericOnly is ikeadm -n (literals only). Errors
// are *InlineError or ErrMultipleAddrs; tokens is not modified.
func ParseInline(tokens []string, resolve Resolver, numericOnly bool) (engine.PresharedKey, error) {
	d, err := scanInline(tokens)
	if err != nil {
		return engine.PresharedKey{}, err
	}
	return d.build(resolve, numericOnly)
}

func inlineErr(reason string) *InlineError { return &InlineError{Reason: reason} }

// scanInline checks the braces and reads the field/value pairs.
func scanInline(tokens []string) (*inlineDef, error) {
	toks, c, whacked, err := stripBraces(tokens)
	if err != nil {
		return nil, err
	}
	d := &inlineDef{ltype: engine.IDIPv4, rtype: engine.IDIPv4, mode: engine.XchgBase}
	for c < len(toks) && !strings.HasPrefix(toks[c], "}") {
		if c+1 >= len(toks) || strings.HasPrefix(toks[c+1], "}") {
			return nil, inlineErr("field " + toks[c] + " has no value")
		}
		if err := d.set(toks[c], toks[c+1]); err != nil {
			return nil, err
		}
		c += 2
	}
	if c >= len(toks) && !whacked {
		return nil, inlineErr("definition does not end with '}'")
	}
	if err := d.complete(); err != nil {
		return nil, err
	}
	return d, nil
}

// stripBraces removes a '{' glued to the first token and a '}' glued to
// the last one (ikeadm's "whack"), returning a private copy of the tokens
// and the index of the first field.
func stripBraces(tokens []string) ([]string, int, bool, error) {
	if len(tokens) == 0 || !strings.HasPrefix(tokens[0], "{") {
		return nil, 0, false, inlineErr("definition does not start with '{'")
	}
	toks := append([]string(nil), tokens...)
	c := 1
	if len(toks[0]) > 1 {
		toks[0], c = toks[0][1:], 0
	}
	last := toks[len(toks)-1]
	whacked := last != "" && last[0] != '}' && last[len(last)-1] == '}'
	if whacked {
		toks[len(toks)-1] = last[:len(last)-1]
	}
	return toks, c, whacked, nil
}

func (d *inlineDef) set(name, val string) error {
	switch asciiLower(name) {
	case "localid":
		d.lid, d.haveL = val, true
	case "remoteid":
		d.rid, d.haveR = val, true
	case "localidtype":
		return setKind(&d.ltype, val)
	case "remoteidtype":
		return setKind(&d.rtype, val)
	case "ike_mode":
		return d.setMode(val)
	case "key":
		return d.setKey(val)
	default:
		return inlineErr("unknown field " + name)
	}
	return nil
}

func setKind(k *engine.IDKind, val string) error {
	kind, ok := IdentKind(val)
	if !ok {
		return inlineErr("unknown identity type " + val)
	}
	*k = kind
	return nil
}

func (d *inlineDef) setMode(val string) error {
	switch asciiLower(val) {
	case "main":
		d.mode = engine.XchgMain
	case "aggressive":
		d.mode = engine.XchgAggressive
	case "both":
		d.mode = engine.XchgMainAndAggr
	default:
		return inlineErr("unknown ike_mode " + val)
	}
	return nil
}

// setKey parses a hex key; ikeadm has no ASCII form and drops the warning.
func (d *inlineDef) setKey(val string) error {
	key, bits, _, msg := parseHexKey(val)
	if msg != "" {
		return inlineErr("key: " + msg)
	}
	d.key, d.bits, d.haveKey = key, bits, true
	return nil
}

func (d *inlineDef) complete() error {
	switch {
	case !d.haveL:
		return inlineErr("localid missing")
	case !d.haveR:
		return inlineErr("remoteid missing")
	case !d.haveKey:
		return inlineErr("key missing")
	}
	return nil
}

// build resolves the identities (local first, as ikeadm does), then
// applies the prefix lengths, which ikeadm also reads last.
func (d *inlineDef) build(resolve Resolver, numericOnly bool) (engine.PresharedKey, error) {
	l, err := resolveID(d.ltype, d.lid, resolve, numericOnly)
	if err != nil {
		return engine.PresharedKey{}, err
	}
	r, err := resolveID(d.rtype, d.rid, resolve, numericOnly)
	if err != nil {
		return engine.PresharedKey{}, err
	}
	if err := l.applyPrefix(); err != nil {
		return engine.PresharedKey{}, err
	}
	if err := r.applyPrefix(); err != nil {
		return engine.PresharedKey{}, err
	}
	return engine.PresharedKey{
		Mode:        d.mode,
		LocalIDType: l.kind, LocalAddr: l.addr, LocalPlen: l.plen, LocalID: l.id,
		RemoteIDType: r.kind, RemoteAddr: r.addr, RemotePlen: r.plen, RemoteID: r.id,
		Key: d.key, KeyBits: d.bits, Origin: origin,
	}, nil
}

// inlineID is one side of an inline entry: a socket address (address
// keywords) or an identity string kept verbatim (everything else).
type inlineID struct {
	kind   engine.IDKind
	addr   netip.Addr
	plen   int
	id     string
	pfx    string // text after the first '/' of an address value
	hasPfx bool
}

func resolveID(kind engine.IDKind, val string, resolve Resolver, numericOnly bool) (inlineID, error) {
	if !isAddrWord(kind) {
		return inlineID{kind: refineKind(kind, val), plen: -1, id: val}, nil
	}
	text, pfx, hasPfx := strings.Cut(val, "/")
	a, err := inlineAddr(text, resolve, numericOnly)
	if err != nil {
		return inlineID{}, err
	}
	return inlineID{kind: addrKind(a), addr: a, plen: -1, pfx: pfx, hasPfx: hasPfx}, nil
}

// applyPrefix reads "/n" with atoi: only a positive n is a prefix length.
// One longer than the address is refused (see package doc).
func (s *inlineID) applyPrefix() error {
	if !s.hasPfx {
		return nil
	}
	n := atoi(s.pfx)
	if n <= 0 {
		return nil
	}
	if n > int64(s.addr.BitLen()) {
		return inlineErr("prefix length " + s.pfx + " too long")
	}
	s.plen = int(n)
	return nil
}

// refineKind picks the IPv6 variant of a prefix or range identity whose
// value has a colon; the daemon keeps no family for these, so the keyword's
// own v4/v6 spelling carries no information.
func refineKind(kind engine.IDKind, val string) engine.IDKind {
	v6 := hasColon(val)
	switch kind {
	case engine.IDIPv4Prefix, engine.IDIPv6Prefix:
		if v6 {
			return engine.IDIPv6Prefix
		}
		return engine.IDIPv4Prefix
	case engine.IDIPv4Range, engine.IDIPv6Range:
		if v6 {
			return engine.IDIPv6Range
		}
		return engine.IDIPv4Range
	}
	return kind
}

// inlineAddr resolves like ikeadm's command-line addresses: literals
// always, names only without -n; exactly one address is allowed, and a
// v4-mapped result becomes plain IPv4.
func inlineAddr(text string, resolve Resolver, numericOnly bool) (netip.Addr, error) {
	unknown := &InlineError{Reason: "unknown address " + text, Notice: "Unknown address " + text + "."}
	if a, ok := literal(text); ok {
		return a.Unmap(), nil
	}
	if numericOnly || resolve == nil || text == "" {
		return netip.Addr{}, unknown
	}
	addrs, err := resolve(text)
	switch {
	case err != nil || len(addrs) == 0:
		return netip.Addr{}, unknown
	case len(addrs) > 1:
		return netip.Addr{}, ErrMultipleAddrs
	}
	a := addrs[0].WithZone("").Unmap()
	if !a.IsValid() {
		return netip.Addr{}, unknown
	}
	return a, nil
}
