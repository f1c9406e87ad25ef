// Package proc carries what a command invocation gets from its process:
// standard streams, environment, working directory and caller identity.
// Personalities take a *Proc instead of touching package os, so tests and
// benchmarks can run them in-process.
package proc

import (
	"io"
	"os"
	"path/filepath"

	"golang.org/x/term"
)

// Proc is one invocation's environment.
type Proc struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Dir is the working directory; relative paths on command lines are
	// resolved against it.
	Dir string
	// UID is the caller's effective user id.
	UID int
	// OnTerminal tells whether standard input and standard output are
	// both terminals, which a line editor such as libtecla needs before
	// it prompts; with either one redirected it reads plain lines.
	OnTerminal bool
}

// FromOS returns the Proc of the running process.
func FromOS() *Proc {
	dir, _ := os.Getwd()
	return &Proc{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Getenv:     os.Getenv,
		Dir:        dir,
		UID:        os.Geteuid(),
		OnTerminal: bothTerminals(os.Stdin, os.Stdout),
	}
}

// Path resolves a command-line path against the working directory.
// An empty name stays empty, so opening it fails as open("") does.
func (p *Proc) Path(name string) string {
	if name == "" || filepath.IsAbs(name) || p.Dir == "" {
		return name
	}
	return filepath.Join(p.Dir, name)
}

// bothTerminals asks the terminal driver, not the file type: /dev/null
// is a character device but no terminal.
func bothTerminals(in, out *os.File) bool {
	return term.IsTerminal(int(in.Fd())) && term.IsTerminal(int(out.Fd()))
}
