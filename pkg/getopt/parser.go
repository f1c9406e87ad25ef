// Package getopt reads a command line's options as getopt(3) does in the
// C libraries of Solaris and AIX: an optstring such as "cdf:p:" (a ':'
// after a letter means the option takes an argument), clustered flags
// (-cd), an argument attached (-fFILE) or in the next word (-f FILE),
// "--" ending the options, the first operand ending them (no GNU
// permutation) and a lone "-" being an operand. Errors are values, so
// each tool words them in its vendor's own text.
package getopt

import "io"

// Dialect is whose libc the parser follows where the two differ.
type Dialect int

const (
	// POSIX is the traditional getopt, as AIX libc has it: "--name" is
	// the unknown option '-' followed by the letters of name.
	POSIX Dialect = iota
	// Solaris reads a word "--name" as one long option; as no tool here
	// declares long options, it is an unknown option named "name".
	Solaris
)

// Parser walks a command line's options one call of Next at a time.
type Parser struct {
	dialect   Dialect
	optstring string
	args      []string
	ind       int // getopt's optind: the word being read
	pos       int // offset of the next letter in args[ind]; 0 between words
	done      bool
}

// New returns a parser of args (without the program name).
func New(d Dialect, optstring string, args []string) *Parser {
	return &Parser{dialect: d, optstring: optstring, args: args}
}

// Next returns the next option letter and, for an option that takes one,
// its argument. At the end of the options it returns io.EOF, and Args
// holds the operands. An unknown option or a missing argument returns an
// *Error with the offending letter in opt; parsing may go on after it, as
// getopt's does.
func (p *Parser) Next() (opt byte, arg string, err error) {
	if p.pos == 0 && !p.startWord() {
		return 0, "", io.EOF
	}
	word := p.args[p.ind]
	if p.pos == 1 && word[1] == '-' && p.dialect == Solaris {
		p.endWord()
		return '-', "", &Error{Kind: UnknownOption, Opt: '-', Long: word[2:]}
	}
	c := word[p.pos]
	p.pos++
	takesArg, known := p.lookup(c)
	switch {
	case !known:
		p.endWordIfRead()
		return c, "", &Error{Kind: UnknownOption, Opt: c}
	case !takesArg:
		p.endWordIfRead()
		return c, "", nil
	case p.pos < len(word):
		arg = word[p.pos:]
		p.endWord()
		return c, arg, nil
	}
	p.endWord()
	if p.ind >= len(p.args) {
		return c, "", &Error{Kind: MissingArgument, Opt: c}
	}
	arg = p.args[p.ind]
	p.ind++
	return c, arg, nil
}

// startWord moves to the next word of options, or ends the options at an
// operand, a lone "-", the end of args, or after "--".
func (p *Parser) startWord() bool {
	if p.done || p.ind >= len(p.args) {
		p.done = true
		return false
	}
	w := p.args[p.ind]
	if len(w) < 2 || w[0] != '-' || w == "--" {
		if w == "--" {
			p.ind++
		}
		p.done = true
		return false
	}
	p.pos = 1
	return true
}

func (p *Parser) endWord() {
	p.ind++
	p.pos = 0
}

func (p *Parser) endWordIfRead() {
	if p.pos >= len(p.args[p.ind]) {
		p.endWord()
	}
}

// lookup reports whether c is an option of optstring and whether it takes
// an argument. ':' is never an option; "c::" means a required argument,
// as Solaris's getopt reads it.
func (p *Parser) lookup(c byte) (takesArg, known bool) {
	s := p.optstring
	for i := 0; i < len(s); i++ {
		if s[i] != ':' && s[i] == c {
			return i+1 < len(s) && s[i+1] == ':', true
		}
	}
	return false, false
}

// Index is getopt's optind: the index in args of the next word to read.
func (p *Parser) Index() int { return p.ind }

// Args returns the words from Index on: once Next has returned io.EOF,
// the operands.
func (p *Parser) Args() []string { return p.args[p.ind:] }
