package ipseckey

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// verb is an ipseckey command word (parsecmd's table); 0 is a word it
// does not know.
type verb int

const (
	verbDump verb = iota + 1
	verbFlush
	verbAdd
	verbUpdate
	verbUpdatePair
	verbGet
	verbDelete
	verbDeletePair
	verbHelp
	verbQuit
	verbMonitor
	verbPMonitor
	verbSave
)

// SA types as PF_KEY numbers them (the number "Dump succeeded" prints).
const (
	satypeUnspec = 0
	satypeAH     = 2
	satypeESP    = 3
)

// command is one parsed ipseckey command line, as far as parseit reads
// it before it looks at the command: the word, the SA type, the rest.
type command struct {
	verb     verb
	word     string
	argc     int    // words on the line, the command's included
	satype   int    // satypeUnspec without one (or for a word parsesatype refused)
	badType  string // the SA type word parsesatype refused, if any
	rest     []string
	sa       engine.ManualSA // add, update; get and delete use its name
	keyed    bool            // the line carried keying material
	seen     map[string]bool
	warnings []string // what parseFields printed at once of a good line
}

// commandError is a command line ipseckey refuses, in the words
// ipseckey records them: each message ends in its newline, as
// record_error takes them.
type commandError struct{ msg string }

func (e *commandError) Error() string { return e.msg }

func errorf(format string, args ...any) error { return &commandError{fmt.Sprintf(format, args...)} }

// clip is at most 80 bytes of an offending token.
func clip(tok string) string {
	if len(tok) > 80 {
		tok = tok[:80]
	}
	return tok
}

// verbs is parsecmd's table: the words match exactly (strcmp).
var verbs = map[string]verb{"update": verbUpdate, "update-pair": verbUpdatePair, "add": verbAdd,
	"delete": verbDelete, "delete-pair": verbDeletePair, "get": verbGet, "flush": verbFlush, "dump": verbDump,
	"monitor": verbMonitor, "passive_monitor": verbPMonitor, "pmonitor": verbPMonitor, "quit": verbQuit,
	"exit": verbQuit, "save": verbSave, "help": verbHelp, "?": verbHelp}

// parseHead is what parseit reads before it acts: the command word and
// parsesatype's reading of the next word. A word that is no SA type
// leaves the type unspecified and stays in rest, as it does in parseit
// (save alone skips it).
func parseHead(argv []string) command {
	c := command{argc: len(argv)}
	if len(argv) == 0 {
		return c
	}
	c.word, c.verb = argv[0], verbs[argv[0]]
	rest := argv[1:]
	if c.verb == verbHelp || c.verb == verbQuit || c.verb == verbMonitor || c.verb == verbPMonitor {
		c.rest = rest
		return c
	}
	if len(rest) > 0 {
		t, ok := parseSAType(rest[0])
		if !ok {
			c.badType = rest[0]
		}
		c.satype = t
		if t != satypeUnspec {
			rest = rest[1:]
		}
	}
	c.rest = rest
	return c
}

// parseCommand reads one whole command line: parseHead, then for add,
// update, get and delete with a specific SA type, the extension fields
// of ipseckey(8) this emulation carries.
func parseCommand(argv []string) (command, error) {
	c := parseHead(argv)
	if c.badType != "" {
		return c, errorf("Unknown SA type (%s).\n", clip(c.badType))
	}
	switch c.verb {
	case verbAdd, verbUpdate, verbGet, verbDelete, verbDeletePair:
		if c.satype == satypeUnspec {
			return c, nil
		}
		return c, c.parseFields()
	}
	return c, nil
}

// parseFields reads the extension fields after the SA type, as doaddup
// (add, update) and dodelget (get, delete, delete-pair) do: most errors
// are recorded and the loop goes on at the next word; a bad number or a
// missing value ends it. Some helpers (parseaddr, parsealg, parsekey)
// print their warnings at once; c.warnings keeps those of a line that
// is otherwise good.
func (c *command) parseFields() error {
	c.sa.Protocol = "ESP"
	if c.satype == satypeAH {
		c.sa.Protocol = "AH"
	}
	c.seen = map[string]bool{}
	fe := &fieldError{}
	rest := c.rest
	for len(rest) > 0 {
		st := c.field(rest[0], rest[1:])
		switch {
		case st.warnAll:
			// WARN on doaddup's own buffer prints what it holds too.
			fe.warnings = append(fe.warnings, fe.msg+st.warn)
			fe.msg = ""
		case st.warn != "":
			fe.warnings = append(fe.warnings, st.warn)
		}
		fe.msg += st.msg
		if st.fatal {
			return fe
		}
		rest = rest[1+st.took:]
	}
	if fe.msg == "" {
		if err := c.complete(); err != nil {
			fe.msg = err.Error()
		}
	}
	if fe.msg != "" {
		return fe
	}
	c.warnings = fe.warnings
	return nil
}

// fieldError is a line parseFields refused: the warnings printed as
// they came, then the recorded messages, printed together.
type fieldError struct {
	warnings []string
	msg      string
}

func (e *fieldError) Error() string { return strings.Join(e.warnings, "") + e.msg }

// step is what reading one field did: the values it took, a warning
// printed at once, a message recorded, and whether the line ends.
type step struct {
	took    int
	warn    string
	warnAll bool // the warning goes out with the messages recorded so far
	msg     string
	fatal   bool
}

func (c *command) addUp() bool { return c.verb == verbAdd || c.verb == verbUpdate }

// canonical folds ipseckey(8)'s synonyms (parseextval's table) into the
// field names this emulation carries.
var canonical = map[string]string{
	"spi": "spi", "replay": "replay", "auth_alg": "auth_alg", "authalg": "auth_alg",
	"encr_alg": "encr_alg", "encralg": "encr_alg",
	"saddr": "src", "srcaddr": "src", "src": "src", "saddr6": "src", "srcaddr6": "src", "src6": "src",
	"daddr": "dst", "dstaddr": "dst", "dst": "dst", "daddr6": "dst", "dstaddr6": "dst", "dst6": "dst",
	"proxyaddr": "isrc", "proxy": "isrc", "innersrc": "isrc", "isrc": "isrc",
	"proxyaddr6": "isrc", "proxy6": "isrc", "innersrc6": "isrc", "isrc6": "isrc",
	"innerdst": "idst", "idst": "idst", "innerdst6": "idst", "idst6": "idst",
	"authkey": "authkey", "encrkey": "encrkey", "hard_addtime": "hard_addtime", "hard_bytes": "hard_bytes",
	"soft_addtime": "soft_addtime", "soft_bytes": "soft_bytes",
	"sport": "sport", "dport": "dport", "proto": "proto", "ulp": "proto", "inbound": "inbound", "outbound": "outbound",
}

// delGetFields are the fields dodelget takes; any other known field is
// refused there.
var delGetFields = map[string]bool{"spi": true, "src": true, "dst": true, "sport": true, "dport": true,
	"proto": true, "inbound": true, "outbound": true}

// duplicate is what doaddup (and dodelget, where it words it otherwise)
// says of a field given twice.
var duplicate = map[string]string{
	"spi": "Can only specify single SPI value.\n", "replay": "Can only specify single replay window size.\n",
	"auth_alg": "Can only specify single auth algorithm.\n", "encr_alg": "Can only specify single encryption algorithm.\n",
	"src": "Can only specify single source address.\n", "dst": "Can only specify single destination address.\n",
	"isrc": "Can only specify single proxy/inner-source address.\n", "idst": "Can only specify single inner-destination address.\n",
	"authkey": "Can only specify single authentication key.\n", "encrkey": "Can only specify single encryption key.\n",
	"hard_bytes": "Can only specify single hard byte limit.\n", "hard_addtime": "Can only specify single past-add lifetime.\n",
	"soft_bytes": "Can only specify single soft byte limit.\n", "soft_addtime": "Can only specify single past-add lifetime.\n",
	"sport": "Can only specify single source port.\n", "dport": "Can only specify single destination port.\n",
	"proto": "Can only specify single protocol.\n",
}

// expecting is parsenum's, parseaddr's, parsealg's and parsekey's word
// for a value the line ends before.
func expecting(f string) string {
	switch f {
	case "src", "dst", "isrc", "idst":
		return "an address"
	case "auth_alg", "encr_alg":
		return "an algorithm name"
	case "authkey", "encrkey":
		return "a key"
	}
	return "a number"
}

// field reads one extension field and its value (vals, what follows
// its name).
func (c *command) field(name string, vals []string) step {
	f, ok := canonical[name]
	switch {
	case !ok && !vendorToken(name) && c.addUp():
		return step{msg: fmt.Sprintf("Unknown extension field \"%s\" \n", clip(name))}
	case !ok && !vendorToken(name):
		return step{msg: fmt.Sprintf("Unknown extension field \"%s\"\n", clip(name))}
	case !c.addUp() && (!ok || !delGetFields[f]):
		return step{msg: fmt.Sprintf("Don't use extension %s for '%s' command.\n", name, verbName(c.verb))}
	case !ok || (c.addUp() && delGetFields[f] && f != "src" && f != "dst" && f != "spi"):
		return step{msg: fmt.Sprintf("Extension %s is not carried by this emulation.\n", name), fatal: true}
	case f == "inbound" || f == "outbound":
		return step{}
	case len(vals) == 0:
		return step{msg: fmt.Sprintf("Unexpected end of command line, was expecting %s.\n", expecting(f)), fatal: true}
	case c.seen[f]:
		msg := duplicate[f]
		if !c.addUp() && f == "src" {
			msg = "Can only specify single source addr.\n"
		}
		// doaddup steps past the value of a repeated SA or lifetime
		// field; for the others, and in dodelget, the value is read
		// as the next field.
		took := 0
		if c.addUp() && (f == "spi" || f == "replay" || f == "auth_alg" || f == "encr_alg" || strings.Contains(f, "_")) {
			took = 1
		}
		return step{took: took, msg: msg}
	}
	c.seen[f] = true
	st := c.value(f, vals[0])
	if st == (step{}) {
		st.took = 1
	}
	return st
}

// value stores one field's value.
func (c *command) value(f, val string) step {
	sa := &c.sa
	switch f {
	case "spi", "replay", "hard_addtime", "soft_addtime", "hard_bytes", "soft_bytes", "sport", "dport", "proto":
		n, ok := parseCNumber(val)
		if !ok {
			return step{msg: fmt.Sprintf("Expecting a number, not \"%s\"!\n", clip(val)), fatal: true}
		}
		switch f {
		case "spi":
			// parseit keeps 32 bits of it, as the C cast does.
			if sa.SPI = uint32(n); sa.SPI == 0 {
				return step{took: 1, msg: "Invalid SPI value \"0\" .\n"}
			}
		case "replay":
			if sa.Replay = uint32(uint8(n)); sa.Replay != 0 {
				return step{took: 1, warn: "WARNING:  Replay with manual keying considered harmful.\n", warnAll: true}
			}
		case "hard_addtime":
			sa.HardSecs = uint32(n)
		case "soft_addtime":
			sa.SoftSecs = uint32(n)
		case "hard_bytes":
			sa.HardBytes = n
		case "soft_bytes":
			sa.SoftBytes = n
		}
	case "auth_alg":
		a, ok := authAlgs[strings.ToLower(val)]
		if !ok {
			return step{took: 1, warn: fmt.Sprintf("Unknown authentication algorithm type \"%s\"\n", clip(val))}
		}
		sa.Auth = a
	case "encr_alg":
		if c.satype == satypeAH {
			return step{took: 1, msg: "Cannot specify encryption with SA type ah.\n"}
		}
		e, ok := encrAlgs[strings.ToLower(val)]
		if !ok {
			return step{took: 1, warn: fmt.Sprintf("Unknown encryption algorithm type \"%s\"\n", clip(val))}
		}
		sa.Cipher = e
	case "src", "dst", "isrc", "idst":
		return c.address(f, val)
	case "authkey", "encrkey":
		c.keyed = true
		k, err := parseKey(val)
		if err != nil {
			what := "encryption"
			if f == "authkey" {
				what = "authentication"
			}
			return step{took: 1, warn: err.Error(), msg: "Invalid " + what + " key.\n"}
		}
		if f == "authkey" {
			sa.AuthKey = k
		} else {
			sa.EncKey = k
		}
	}
	return step{}
}

// unknownAddress is doaddup's and dodelget's word for an address
// parseaddr did not find.
var unknownAddress = map[string]string{"src": "src", "dst": "dst", "isrc": "proxy/inner-source", "idst": "Inner Src"}

// address reads an address field: a literal address (an inner one with
// a prefix). Host names are not looked up.
func (c *command) address(f, val string) step {
	sa := &c.sa
	var err error
	switch f {
	case "src", "dst":
		var a netip.Addr
		if a, err = netip.ParseAddr(val); err == nil && f == "src" {
			sa.Src = a.Unmap()
		} else if err == nil {
			sa.Dst = a.Unmap()
		}
	default:
		var r engine.AddrRange
		if r, err = parseInner(val); err == nil && f == "isrc" {
			sa.InnerSrc = r
		} else if err == nil {
			sa.InnerDst = r
		}
	}
	if err == nil {
		return step{took: 1}
	}
	delete(c.seen, f)
	warn := fmt.Sprintf("Unknown address %s.", clip(val))
	switch {
	case !c.addUp() && f == "src":
		return step{warn: warn, msg: fmt.Sprintf("Unknown source address \"%s\"\n", clip(val))}
	case !c.addUp():
		return step{warn: warn, msg: fmt.Sprintf("Unknown destination address \"%s\"\n", clip(val))}
	case f == "idst":
		return step{warn: warn, msg: fmt.Sprintf("Unknown Inner Src address  \"%s\"\n", clip(val))}
	}
	return step{warn: warn, msg: fmt.Sprintf("Unknown %s address \"%s\"\n", unknownAddress[f], clip(val))}
}

// parseCNumber is strtoull with base 0, the whole word: 0x hex, a
// leading 0 octal, else decimal.
func parseCNumber(s string) (uint64, bool) {
	s = strings.TrimPrefix(s, "+")
	if s == "" || strings.ContainsRune(s, '_') {
		return 0, false
	}
	if len(s) > 1 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B' || s[1] == 'o' || s[1] == 'O') {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 0, 64)
	return n, err == nil
}

// complete checks what doaddup and dodelget check once the line is
// read, and, beyond them, what the kernel would refuse (worded by
// ikemu: the kernel's EINVAL diagnostics are not carried).
func (c *command) complete() error {
	sa := &c.sa
	name := verbName(c.verb)
	hasAssoc := c.seen["spi"] || c.seen["replay"] || c.seen["auth_alg"] || c.seen["encr_alg"]
	switch {
	case !c.addUp() && !c.seen["spi"]:
		return errorf("Need SA parameters for %s.\n", name)
	case !c.addUp() && !c.seen["dst"]:
		return errorf("Need destination address for %s.\n", name)
	case !c.addUp():
		return nil
	case !hasAssoc:
		return errorf("Need to define SPI for %s.\nNeed SA parameters for %s.\n", name, name)
	case !c.seen["spi"]:
		return errorf("The SPI value is missing for the association you wish to %s.\n", name)
	case c.verb == verbAdd && sa.Auth == engine.HashNone && sa.Cipher == engine.CipherNone:
		return errorf("Select at least one algorithm for this add.\n")
	case c.verb == verbAdd && sa.AuthKey == nil && sa.EncKey == nil:
		return errorf("Must have at least one key for an add.\n")
	case !c.seen["dst"]:
		return errorf("Need destination address for %s.\n", name)
	case c.seen["src"] && sa.Src.Is4() != sa.Dst.Is4():
		return errorf("Source and destination address families differ.\n")
	case sa.Auth != engine.HashNone && sa.AuthKey == nil:
		return errorf("An authentication algorithm needs an authkey.\n")
	case sa.Cipher != engine.CipherNone && sa.EncKey == nil:
		return errorf("An encryption algorithm needs an encrkey.\n")
	}
	return nil
}

var verbNames = map[verb]string{verbAdd: "add", verbUpdate: "update", verbUpdatePair: "update-pair",
	verbGet: "get", verbDelete: "delete", verbDeletePair: "delete-pair"}

func verbName(v verb) string { return verbNames[v] }

// parseKey reads a key as parsekey does: hex digits (after an optional
// 0x), an odd count padded with a zero nibble at the end, optionally
// followed by /bits, which must fit the digits. Fewer bits than digits
// is refused (parsekey truncates with a warning this emulation does not
// carry).
func parseKey(s string) ([]byte, error) {
	if len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") {
		s = s[2:]
	}
	digits, bitsText, hasBits := strings.Cut(s, "/")
	if hasBits {
		n, err := strconv.ParseUint(bitsText, 10, 32)
		if err != nil {
			return nil, errorf("\"%s\" is not a bit specifier.\n", clip(bitsText))
		}
		if (n+3)>>2 > uint64(len(digits)) {
			return nil, errorf("bit length %d is too big for %s.\n", n, clip(digits))
		}
		if uint64(len(digits))<<2 > n+3 {
			return nil, errorf("bit length %d is shorter than the key %s.\n", n, clip(digits))
		}
	}
	if len(digits)%2 == 1 {
		digits += "0"
	}
	k, err := hex.DecodeString(digits)
	if err != nil || len(k) == 0 {
		return nil, errorf("string '%s' not a hex value.\n", clip(digits))
	}
	return k, nil
}

// parseInner is an inner (tunnel) address: an address or a prefix.
func parseInner(s string) (engine.AddrRange, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		p = p.Masked()
		return engine.AddrRange{First: p.Addr(), Last: lastOf(p)}, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return engine.AddrRange{}, err
	}
	return engine.AddrRange{First: a.Unmap(), Last: a.Unmap()}, nil
}

func lastOf(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// The algorithm names ipsecalgs knows, with their aliases.
var authAlgs = map[string]engine.Hash{"md5": engine.HashMD5, "hmac-md5": engine.HashMD5,
	"sha": engine.HashSHA1, "sha1": engine.HashSHA1, "hmac-sha": engine.HashSHA1, "hmac-sha1": engine.HashSHA1,
	"sha256": engine.HashSHA256, "hmac-sha256": engine.HashSHA256, "sha384": engine.HashSHA384,
	"hmac-sha384": engine.HashSHA384, "sha512": engine.HashSHA512, "hmac-sha512": engine.HashSHA512}

var encrAlgs = map[string]engine.Cipher{"des": engine.CipherDES, "des-cbc": engine.CipherDES,
	"3des": engine.Cipher3DES, "3des-cbc": engine.Cipher3DES, "blowfish": engine.CipherBlowfish,
	"blowfish-cbc": engine.CipherBlowfish, "aes": engine.CipherAES, "aes-cbc": engine.CipherAES}

// parseSAType is parsesatype: a name (any case) or a number.
func parseSAType(s string) (int, bool) {
	switch strings.ToLower(s) {
	case "all":
		return satypeUnspec, true
	case "ah":
		return satypeAH, true
	case "esp":
		return satypeESP, true
	}
	n, ok := parseCNumber(s)
	if !ok || n > 255 {
		// parsesatype takes -1 as "not a number"; a larger number would
		// be cut to the message's 8 bits.
		return satypeUnspec, false
	}
	return int(n), true
}

// vendorTokens is parseextval's table, in its order (help attr lists it).
var vendorTokens = []string{"spi", "pair-spi", "replay", "state", "auth_alg", "authalg", "encr_alg", "encralg",
	"flags", "soft_alloc", "soft_bytes", "soft_addtime", "soft_usetime", "hard_alloc", "hard_bytes",
	"hard_addtime", "hard_usetime", "current_alloc", "current_bytes", "current_addtime", "current_usetime",
	"saddr", "srcaddr", "src", "daddr", "dstaddr", "dst", "proxyaddr", "proxy", "innersrc", "isrc",
	"innerdst", "idst", "sport", "dport", "innersport", "isport", "innerdport", "idport", "proto", "ulp",
	"iproto", "iulp", "saddr6", "srcaddr6", "src6", "daddr6", "dstaddr6", "dst6", "proxyaddr6", "proxy6",
	"innersrc6", "isrc6", "innerdst6", "idst6", "authkey", "encrkey", "srcidtype", "dstidtype", "dpd",
	"sens_level", "sens_map", "integ_level", "integ_map", "nat_loc", "nat_rem", "nat_lport", "nat_rport",
	"encap", "outbound", "inbound", "reserved_bits", "replay_value", "idle_addtime", "idle_usetime",
	"label", "outer-label", "implicit-label"}

func vendorToken(name string) bool { return slices.Contains(vendorTokens, name) }

// bailError is a failed request worded as ipseckey's Bail words it: the
// request's verdict, then the reason.
type bailError struct {
	what string
	err  error
}

func (e *bailError) Error() string { return e.what + ": " + e.err.Error() }

func (e *bailError) Unwrap() error { return e.err }
