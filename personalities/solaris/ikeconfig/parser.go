package ikeconfig

import (
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
)

// File is a parsed configuration.
type File struct {
	// Global holds the certificate settings, the other global parameters
	// engine.GlobalConfig has room for, and in Recorded the values
	// "ikeadm get defaults" compares with its hard defaults: the first
	// non-zero value seen for each lifetime, nonce length and max_certs,
	// the last p2_pfs, the nat_t_port, and the soft/idle lifetimes
	// derived for the first rule where none were written.
	Global engine.GlobalConfig
	// Rules are in file order, complete (defaults applied, lifetimes
	// sanity-checked), with KMCookie 0 and Origin "solaris".
	Rules []engine.Phase1Policy
	// P1LifetimeSecs is the global p1_lifetime_secs default after the
	// parse (0: never set, meaning 3600). in.iked keeps it across loads;
	// pass it in Options of the next parse to do the same.
	P1LifetimeSecs uint32
	// RetryTimerInit and RetryTimerMax are retry_timer_init and
	// retry_timer_max; 0 means not given.
	RetryTimerInit time.Duration
	RetryTimerMax  time.Duration
	// Warnings are the complaints in.iked only logs.
	Warnings []Warning
}

// Options carry daemon state that survives from one load to the next.
type Options struct {
	// P1LifetimeSecs is the global p1_lifetime_secs default left by the
	// previous load (File.P1LifetimeSecs); 0 means 3600.
	P1LifetimeSecs uint32
	// Rule, when set, is handed each rule as it completes, and File.Rules
	// stays empty: a caller that keeps rules in a form of its own (a
	// load of 100,000) does not hold them twice. The rule is valid only
	// during the call; a later syntax error still fails the parse.
	Rule func(*engine.Phase1Policy)
}

// Parse reads a whole configuration file. A syntax or validation error is
// returned as *Error; an error reading r is returned as is.
func Parse(r io.Reader) (*File, error) {
	return ParseWith(r, Options{})
}

// ParseWith is Parse starting from the daemon state in opts.
func ParseWith(r io.Reader, opts Options) (*File, error) {
	data, err := boundedio.ReadAll(r, "configuration file", boundedio.FileLimit)
	if err != nil {
		return nil, err
	}
	return ParseBytes(data, opts)
}

// ParseBytes is ParseWith of text already read (within its limit):
// a load of a large file does not copy it once more.
func ParseBytes(data []byte, opts Options) (*File, error) {
	p := newParser(string(data), opts)
	if err := p.parseFile(); err != nil {
		return nil, err
	}
	p.file.P1LifetimeSecs = p.p1Life
	return p.file, nil
}

// parser holds the state of one parse. The daemon keeps the same state in
// globals; here it lives only as long as the parse.
type parser struct {
	lx       *lexer
	tok      token // current token, not yet consumed
	file     *File
	glob     ruleAcc // global defaults (the daemon's "null rule")
	globLife p2Life  // glob's lifetimes after the sanity check
	p1Life   uint32  // global p1_lifetime_secs default; 0 means 3600
	inRules  bool    // a rule has been seen; globals are over
	labels   map[string]struct{}
	onRule   func(*engine.Phase1Policy)
}

func newParser(src string, opts Options) *parser {
	p := &parser{
		lx:     newLexer(src),
		file:   &File{},
		p1Life: opts.P1LifetimeSecs,
		labels: make(map[string]struct{}),
		onRule: opts.Rule,
	}
	p.glob.p1Nonce = defNonceLen
	p.glob.p2Nonce = defNonceLen
	return p
}

// defNonceLen is the S11 default nonce length in bytes.
const defNonceLen = 64

// parseFile is the top level: global parameters, then rules.
func (p *parser) parseFile() error {
	if err := p.advance(); err != nil {
		return err
	}
	for p.tok.kind != tEOF {
		var err error
		switch {
		case p.tok.kind == tLBrace:
			err = p.parseRule()
		case p.inRules:
			// Globals must precede the first rule.
			err = p.fail(msgSyntax)
		default:
			err = p.parseGlobal()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// advance reads the next token. Actions run before advancing past their
// last token, so, as with the daemon's parser, a semantic error is
// reported before a lexical error that follows it.
func (p *parser) advance() error {
	p.tok = p.lx.next()
	if p.tok.kind == tError {
		return p.fail(p.tok.msg)
	}
	return nil
}

// fail reports msg at the current token.
func (p *parser) fail(msg string) error {
	return &Error{Line: p.tok.line, Token: p.tok.text, Msg: msg}
}

// warn records a complaint the daemon only logs.
func (p *parser) warn(msg string) {
	p.file.Warnings = append(p.file.Warnings, Warning{Line: p.tok.line, Msg: msg})
}

// expect checks the current token's kind without consuming it.
func (p *parser) expect(kind tokKind) error {
	if p.tok.kind != kind {
		return p.fail(msgSyntax)
	}
	return nil
}

// value advances past a keyword and checks the kind of its argument.
func (p *parser) value(kind tokKind) error {
	if err := p.advance(); err != nil {
		return err
	}
	return p.expect(kind)
}

// stringValue advances to a string argument and returns it, copied so
// that the policies do not pin the whole file in memory.
func (p *parser) stringValue() (string, error) {
	if err := p.value(tString); err != nil {
		return "", err
	}
	return strings.Clone(p.tok.text), nil
}

// numberValue advances to a numeric argument and converts it.
func (p *parser) numberValue() (uint32, error) {
	if err := p.value(tNumber); err != nil {
		return 0, err
	}
	v, ok := parseU32(p.tok.text)
	if !ok {
		return 0, p.fail(msgNumberRange)
	}
	return v, nil
}

// parseU32 converts digits as strtoul(s, NULL, 0) does: a leading 0
// selects octal, and conversion stops at the first digit the base lacks
// (so "09" is 0). Values beyond 32 bits are refused rather than
// truncated as the daemon would.
func parseU32(s string) (uint32, bool) {
	base := uint64(10)
	if len(s) > 1 && s[0] == '0' {
		base, s = 8, s[1:]
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		d := uint64(s[i] - '0')
		if d >= base {
			break
		}
		v = v*base + d
		if v > math.MaxUint32 {
			return 0, false
		}
	}
	return uint32(v), true
}

// parseTimer converts a retry timer: whole seconds, or N.M seconds kept
// to the microsecond as the daemon does.
func (p *parser) parseTimer() (time.Duration, error) {
	if err := p.advance(); err != nil {
		return 0, err
	}
	switch p.tok.kind {
	case tNumber:
		v, ok := parseU32(p.tok.text)
		if !ok {
			return 0, p.fail(msgNumberRange)
		}
		return time.Duration(v) * time.Second, nil
	case tDecimal:
		f, err := strconv.ParseFloat(p.tok.text, 64)
		if err != nil || f > math.MaxInt32 {
			return 0, p.fail(msgTimerValue)
		}
		return time.Duration(f*1e6) * time.Microsecond, nil
	}
	return 0, p.fail(msgSyntax)
}
