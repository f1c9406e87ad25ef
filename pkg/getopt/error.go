package getopt

import "fmt"

// Kind is what went wrong with an option.
type Kind int

const (
	// UnknownOption is a letter (or Solaris long option) not in the
	// optstring.
	UnknownOption Kind = iota + 1
	// MissingArgument is an option that takes an argument ending the
	// command line.
	MissingArgument
)

// Error is an option getopt refuses. Tools word it themselves.
type Error struct {
	Kind Kind
	Opt  byte   // the offending letter; '-' for a long option
	Long string // a Solaris long option's name ("--name"), else empty
}

// Option is the option as getopt names it in its messages: the letter,
// or a long option's name.
func (e *Error) Option() string {
	if e.Long != "" {
		return e.Long
	}
	return string([]byte{e.Opt})
}

// Error is a neutral wording; the tools print their vendor's instead.
func (e *Error) Error() string {
	if e.Kind == MissingArgument {
		return fmt.Sprintf("getopt: option -%s needs an argument", e.Option())
	}
	if e.Long != "" {
		return fmt.Sprintf("getopt: unknown option --%s", e.Long)
	}
	return fmt.Sprintf("getopt: unknown option -%s", e.Option())
}
