package ipseckey

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// verb is an ipseckey command word.
type verb int

const (
	verbDump verb = iota + 1
	verbFlush
	verbAdd
	verbUpdate
	verbGet
	verbDelete
	verbHelp
	verbQuit
	verbMonitor
	verbPMonitor
)

// SA types as PF_KEY numbers them (the number "Dump succeeded" prints).
const (
	satypeUnspec = 0
	satypeAH     = 2
	satypeESP    = 3
)

// command is one parsed ipseckey command line.
type command struct {
	verb   verb
	satype int
	sa     engine.ManualSA // add, update; get and delete use its name
	keyed  bool            // the line carried keying material
	seen   map[string]bool
}

// commandError is a command line ipseckey refuses, worded for one line.
type commandError struct{ msg string }

func (e *commandError) Error() string { return e.msg }

func errorf(format string, args ...any) error { return &commandError{fmt.Sprintf(format, args...)} }

// quote is at most 80 bytes of an offending token.
func quote(tok string) string {
	if len(tok) > 80 {
		tok = tok[:80]
	}
	return strconv.Quote(tok)
}

var verbs = map[string]verb{"dump": verbDump, "flush": verbFlush, "add": verbAdd, "update": verbUpdate,
	"get": verbGet, "delete": verbDelete, "help": verbHelp, "?": verbHelp, "quit": verbQuit, "exit": verbQuit,
	"monitor": verbMonitor, "pmonitor": verbPMonitor, "passive_monitor": verbPMonitor}

// parseCommand reads one command of ipseckey's command language: the
// command word, an SA type and, for add, update, get and delete, the
// extension fields of ipseckey(8) this emulation carries.
func parseCommand(argv []string) (command, error) {
	if len(argv) == 0 {
		return command{}, errorf("no command")
	}
	v, ok := verbs[strings.ToLower(argv[0])]
	switch {
	case !ok && argv[0] == "save":
		return command{}, errorf("command %s is not supported by this emulation", quote(argv[0]))
	case !ok:
		return command{}, errorf("Unknown command %s", quote(argv[0]))
	case v == verbHelp || v == verbQuit || v == verbMonitor || v == verbPMonitor:
		// parseit hands the monitors nothing of the rest of the line.
		return command{verb: v}, nil
	}
	c := command{verb: v}
	rest := argv[1:]
	if len(rest) > 0 {
		t, ok := parseSAType(rest[0])
		switch {
		case ok:
			c.satype, rest = t, rest[1:]
		case v == verbDump || v == verbFlush:
			return command{}, errorf("Unknown SA type %s", quote(rest[0]))
		}
	}
	if v == verbDump || v == verbFlush {
		if len(rest) > 0 {
			return command{}, errorf("unexpected %s after the SA type", quote(rest[0]))
		}
		return c, nil
	}
	if c.satype == satypeUnspec {
		return command{}, errorf("%s needs an SA type (ah or esp)", argv[0])
	}
	c.sa.Protocol = "ESP"
	if c.satype == satypeAH {
		c.sa.Protocol = "AH"
	}
	c.seen = map[string]bool{}
	for len(rest) > 0 {
		if len(rest) < 2 {
			return command{}, errorf("extension field %s needs a value", quote(rest[0]))
		}
		if err := c.field(strings.ToLower(rest[0]), rest[1]); err != nil {
			return command{}, err
		}
		rest = rest[2:]
	}
	return c, c.complete()
}

// canonical folds ipseckey(8)'s synonyms into one field name.
var canonical = map[string]string{
	"spi": "spi", "replay": "replay", "auth_alg": "auth_alg", "authalg": "auth_alg",
	"encr_alg": "encr_alg", "encralg": "encr_alg", "src": "src", "srcaddr": "src", "dst": "dst", "dstaddr": "dst",
	"isrc": "isrc", "innersrc": "isrc", "proxy": "isrc", "idst": "idst", "innerdst": "idst",
	"authkey": "authkey", "encrkey": "encrkey", "hard_addtime": "hard_addtime", "hard_bytes": "hard_bytes",
	"soft_addtime": "soft_addtime", "soft_bytes": "soft_bytes",
}

func (c *command) field(name, val string) error {
	f, ok := canonical[name]
	if !ok {
		return errorf("Unknown extension field %s", quote(name))
	}
	if c.seen[f] {
		return errorf("extension field %s given twice", quote(name))
	}
	c.seen[f] = true
	sa := &c.sa
	var err error
	switch f {
	case "spi":
		var n uint64
		n, err = strconv.ParseUint(val, 0, 32)
		sa.SPI = uint32(n)
	case "replay":
		var n uint64
		n, err = strconv.ParseUint(val, 0, 32)
		sa.Replay = uint32(n)
	case "hard_addtime", "soft_addtime":
		var n uint64
		n, err = strconv.ParseUint(val, 0, 32)
		if f == "hard_addtime" {
			sa.HardSecs = uint32(n)
		} else {
			sa.SoftSecs = uint32(n)
		}
	case "hard_bytes", "soft_bytes":
		var n uint64
		n, err = strconv.ParseUint(val, 0, 64)
		if f == "hard_bytes" {
			sa.HardBytes = n
		} else {
			sa.SoftBytes = n
		}
	case "auth_alg":
		if sa.Auth, ok = authAlgs[strings.ToLower(val)]; !ok {
			return errorf("Unknown authentication algorithm %s", quote(val))
		}
	case "encr_alg":
		if sa.Cipher, ok = encrAlgs[strings.ToLower(val)]; !ok {
			return errorf("Unknown encryption algorithm %s", quote(val))
		}
	case "src", "dst":
		var a netip.Addr
		if a, err = netip.ParseAddr(val); err == nil {
			if f == "src" {
				sa.Src = a.Unmap()
			} else {
				sa.Dst = a.Unmap()
			}
		}
	case "isrc", "idst":
		var r engine.AddrRange
		if r, err = parseInner(val); err == nil {
			if f == "isrc" {
				sa.InnerSrc = r
			} else {
				sa.InnerDst = r
			}
		}
	case "authkey", "encrkey":
		c.keyed = true
		var k []byte
		if k, err = parseKey(val); err == nil {
			if f == "authkey" {
				sa.AuthKey = k
			} else {
				sa.EncKey = k
			}
		}
	}
	if err != nil {
		if f == "authkey" || f == "encrkey" {
			return errorf("%s: invalid key (hex digits, optionally /bits)", name)
		}
		return errorf("%s: invalid value %s", name, quote(val))
	}
	return nil
}

// complete checks what each command needs: an SPI and a destination
// always; for add and update, algorithms with their keys.
func (c *command) complete() error {
	sa := &c.sa
	if !c.seen["spi"] {
		return errorf("%s needs an spi", verbName(c.verb))
	}
	if !c.seen["dst"] {
		return errorf("%s needs a destination address (dst)", verbName(c.verb))
	}
	if c.verb != verbAdd && c.verb != verbUpdate {
		return nil
	}
	if c.seen["src"] && sa.Src.Is4() != sa.Dst.Is4() {
		return errorf("source and destination address families differ")
	}
	if c.satype == satypeAH && (sa.Cipher != engine.CipherNone || sa.EncKey != nil) {
		return errorf("AH SAs take no encryption algorithm or key")
	}
	if sa.Auth != engine.HashNone && sa.AuthKey == nil {
		return errorf("authentication algorithm without an authkey")
	}
	if sa.Cipher != engine.CipherNone && sa.EncKey == nil {
		return errorf("encryption algorithm without an encrkey")
	}
	if sa.Auth == engine.HashNone && sa.Cipher == engine.CipherNone {
		return errorf("%s needs an algorithm (auth_alg or encr_alg)", verbName(c.verb))
	}
	return nil
}

func verbName(v verb) string {
	for name, x := range verbs {
		if x == v && name != "?" && name != "exit" {
			return name
		}
	}
	return "command"
}

// parseKey reads a key as ipseckey takes one: hex digits, optionally
// followed by /bits (which must fit the digits).
func parseKey(s string) ([]byte, error) {
	digits, bitsText, hasBits := strings.Cut(s, "/")
	if len(digits)%2 == 1 {
		digits = "0" + digits
	}
	k, err := hex.DecodeString(digits)
	if err != nil || len(k) == 0 {
		return nil, errorf("bad key")
	}
	if hasBits {
		n, err := strconv.Atoi(bitsText)
		if err != nil || n <= 0 || n > len(k)*8 || n <= (len(k)-1)*8 {
			return nil, errorf("bad key length")
		}
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

func parseSAType(s string) (int, bool) {
	switch strings.ToLower(s) {
	case "all":
		return satypeUnspec, true
	case "ah":
		return satypeAH, true
	case "esp":
		return satypeESP, true
	}
	return 0, false
}

// bailError is a failed request worded as ipseckey's Bail words it: the
// request's verdict, then the reason.
type bailError struct {
	what string
	err  error
}

func (e *bailError) Error() string { return e.what + ": " + e.err.Error() }

func (e *bailError) Unwrap() error { return e.err }
