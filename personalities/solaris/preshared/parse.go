package preshared

import (
	"io"
	"net/netip"
	"strings"

	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
)

// Result is what Parse read.
type Result struct {
	Keys []engine.PresharedKey
	// Warnings are the lines the daemon prints on stderr while loading,
	// e.g. "read_preshared: Lower bits will be truncated".
	Warnings []string
}

// Parse reads an ike.preshared file. On a grammar error it returns an
// *Error and a Result holding only the warnings printed before the error
// (the daemon prints them as it goes, then rejects the whole file).
//
// Two inputs the daemon takes silently are errors here, because taking
// them replaces every key with what little was read: an entry still open
// at the end of the file (the daemon drops it and keeps the entries
// before it) and a NUL byte (the daemon ends the line there, losing the
// rest of it, often the closing brace).
func Parse(r io.Reader, resolve Resolver) (*Result, error) {
	data, err := boundedio.ReadAll(r, "preshared key file", boundedio.FileLimit)
	if err != nil {
		return nil, err
	}
	if i := strings.IndexByte(string(data), 0); i >= 0 {
		return &Result{}, &Error{Line: 1 + strings.Count(string(data[:i]), "\n"), Msg: msgNUL}
	}
	p := &fileParser{lines: lineReader{data: string(data)}, resolve: resolve}
	keys := make([]engine.PresharedKey, 0, estimateEntries(p.lines.data))
	for {
		k, ok, err := p.entry()
		if err != nil {
			return &Result{Warnings: p.warnings}, err
		}
		if !ok {
			return &Result{Keys: nilIfEmpty(keys), Warnings: p.warnings}, nil
		}
		keys = append(keys, k)
	}
}

// estimateEntries sizes the result up front (entries are large structs, so
// regrowing dominated the cost). Every entry has a '{' and takes well over
// 16 bytes, which bounds the guess for hostile input.
func estimateEntries(data string) int {
	return min(strings.Count(data, "{"), len(data)/16)
}

func nilIfEmpty(keys []engine.PresharedKey) []engine.PresharedKey {
	if len(keys) == 0 {
		return nil
	}
	return keys
}

// field is one attribute of an entry; the values are bits so an entry can
// remember which it has seen.
type field uint8

const (
	fLocalID field = 1 << iota
	fLocalType
	fRemoteID
	fRemoteType
	fMode
	fKey
)

// idType is a file id type; every accepted keyword is an IP type.
type idType uint8

const (
	typeIP idType = iota // family decided by the value (the default)
	typeIPv4
	typeIPv6
)

// state is where the entry scanner is: before '{', expecting a field name,
// or expecting the value of cur.
type state uint8

const (
	stOpen state = iota
	stField
	stValue
)

// entry collects one entry's raw fields until its closing brace.
type entry struct {
	seen         field
	ltype, rtype idType
	lid, rid     string
	key          []byte
	bits         int
}

type fileParser struct {
	lines    lineReader
	resolve  Resolver
	warnings []string

	st  state
	cur field
	e   entry
}

// entry returns the next complete entry; ok is false at end of input. End
// of input inside an entry is an error (see Parse).
func (p *fileParser) entry() (k engine.PresharedKey, ok bool, err error) {
	p.st, p.e = stOpen, entry{}
	for {
		line, more := p.lines.next()
		if !more {
			if p.st != stOpen {
				return k, false, p.fail(msgUnclosed)
			}
			return k, false, nil
		}
		done, err := p.scanLine(line)
		if err != nil {
			return k, false, err
		}
		if done {
			k, err = p.finish()
			return k, err == nil, err
		}
	}
}

// scanLine feeds one line's tokens to the entry. done reports the closing
// brace; whatever follows it on the line is discarded, as is anything
// after a token starting with '#'.
func (p *fileParser) scanLine(line string) (done bool, err error) {
	for {
		tok, rest, ok := nextToken(line)
		if !ok || tok[0] == '#' {
			return false, nil
		}
		line = rest
		switch p.st {
		case stOpen:
			if tok[0] != '{' {
				return false, p.fail(msgNoBrace)
			}
			p.st = stField
			if len(tok) > 1 {
				// Glued "{word": the daemon rescans only this token, so
				// the rest of the line is lost.
				line = tok[1:]
			}
		case stField:
			if tok[0] == '}' {
				return true, nil
			}
			err = p.fieldName(tok)
		case stValue:
			err = p.fieldValue(tok)
		}
		if err != nil {
			return false, err
		}
	}
}

func (p *fileParser) fail(msg string) *Error {
	return &Error{Line: p.lines.num, Msg: msg}
}

func (p *fileParser) fieldName(tok string) error {
	f, ok := lookupField(tok)
	if !ok {
		return p.fail(msgBadField)
	}
	if p.e.seen&f != 0 {
		return p.fail(msgRepeated)
	}
	p.e.seen |= f
	p.cur, p.st = f, stValue
	return nil
}

func lookupField(tok string) (field, bool) {
	switch asciiLower(tok) {
	case "localid", "local_id", "local_addr":
		return fLocalID, true
	case "localidtype", "local_id_type":
		return fLocalType, true
	case "remoteid", "remote_id", "remote_addr":
		return fRemoteID, true
	case "remoteidtype", "remote_id_type":
		return fRemoteType, true
	case "ike_mode", "mode":
		return fMode, true
	case "key":
		return fKey, true
	}
	return 0, false
}

// lookupIDType maps the file's id type keywords; the *_SUBNET spellings
// are plain synonyms.
func lookupIDType(tok string) (idType, bool) {
	switch asciiLower(tok) {
	case "ip", "ip_subnet":
		return typeIP, true
	case "ipv4", "ipv4_subnet":
		return typeIPv4, true
	case "ipv6", "ipv6_subnet":
		return typeIPv6, true
	}
	return 0, false
}

func (p *fileParser) fieldValue(tok string) error {
	p.st = stField
	e := &p.e
	var ok bool
	switch p.cur {
	case fLocalID:
		e.lid = tok
	case fRemoteID:
		e.rid = tok
	case fLocalType:
		if e.ltype, ok = lookupIDType(tok); !ok {
			return p.fail(msgBadLocalType)
		}
	case fRemoteType:
		if e.rtype, ok = lookupIDType(tok); !ok {
			return p.fail(msgBadRemoteType)
		}
	case fMode:
		// Only main exists; the mode is forced to main anyway.
		if asciiLower(tok) != "main" {
			return p.fail(msgBadMode)
		}
	case fKey:
		return p.keyValue(tok)
	}
	return nil
}

func (p *fileParser) keyValue(tok string) error {
	var warn, msg string
	if tok[0] == '"' {
		p.e.key, p.e.bits, msg = parseASCIIKey(tok)
	} else {
		p.e.key, p.e.bits, warn, msg = parseHexKey(tok)
	}
	if msg != "" {
		return p.fail(msg)
	}
	if warn != "" {
		p.warnings = append(p.warnings, warnPrefix+warn)
	}
	return nil
}

// side is one resolved address identity.
type side struct {
	addr netip.Addr
	plen int
}

// finish runs the daemon's checks after '}' in its order: local id,
// remote id, families, then unicast rules.
func (p *fileParser) finish() (engine.PresharedKey, error) {
	e := &p.e
	if e.seen&fLocalID == 0 {
		return engine.PresharedKey{}, p.fail(msgNoLocal)
	}
	local, msg := p.resolveSide(e.ltype, e.lid)
	if msg != "" {
		return engine.PresharedKey{}, p.fail(msg)
	}
	if e.seen&fRemoteID == 0 {
		return engine.PresharedKey{}, p.fail(msgNoRemote)
	}
	remote, msg := p.resolveSide(e.rtype, e.rid)
	if msg != "" {
		return engine.PresharedKey{}, p.fail(msg)
	}
	if hasColon(e.lid) != hasColon(e.rid) || local.addr.Is4() != remote.addr.Is4() {
		return engine.PresharedKey{}, p.fail(msgFamily)
	}
	if msg := unicastMsg(local.addr, remote.addr); msg != "" {
		return engine.PresharedKey{}, p.fail(msg)
	}
	return p.build(local, remote), nil
}

func hasColon(s string) bool { return strings.IndexByte(s, ':') >= 0 }

func (p *fileParser) resolveSide(t idType, text string) (side, string) {
	v6 := t == typeIPv6 || (t == typeIP && hasColon(text))
	a, plen, msg := fileAddr(text, v6, p.resolve)
	return side{a, plen}, msg
}

// build makes the entry. The texts are cloned because they are substrings
// of the whole input, which they would otherwise keep alive.
func (p *fileParser) build(local, remote side) engine.PresharedKey {
	return engine.PresharedKey{
		Mode:         engine.XchgBase,
		LocalIDType:  addrKind(local.addr),
		LocalAddr:    local.addr,
		LocalPlen:    local.plen,
		LocalText:    strings.Clone(p.e.lid),
		RemoteIDType: addrKind(remote.addr),
		RemoteAddr:   remote.addr,
		RemotePlen:   remote.plen,
		RemoteText:   strings.Clone(p.e.rid),
		Key:          p.e.key,
		KeyBits:      p.e.bits,
		Origin:       origin,
	}
}

// origin marks entries defined through this personality.
const origin = "solaris"

func addrKind(a netip.Addr) engine.IDKind {
	if a.Is4() {
		return engine.IDIPv4
	}
	return engine.IDIPv6
}
