package ipseckey

import (
	"fmt"
	"strings"
)

// verb is an ipseckey command word.
type verb int

const (
	verbDump verb = iota + 1
	verbFlush
	verbHelp
	verbQuit
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
}

// commandError is a command line ipseckey refuses, worded for one line.
type commandError struct{ msg string }

func (e *commandError) Error() string { return e.msg }

// quote is at most 80 bytes of an offending token.
func quote(tok string) string {
	if len(tok) > 80 {
		tok = tok[:80]
	}
	return fmt.Sprintf("%q", tok)
}

// parseCommand reads one command of ipseckey's command language: the
// command word, an optional SA type (all, ah, esp) and, for the commands
// this emulation carries, nothing else.
func parseCommand(argv []string) (command, error) {
	if len(argv) == 0 {
		return command{}, &commandError{"no command"}
	}
	var c command
	switch strings.ToLower(argv[0]) {
	case "dump":
		c.verb = verbDump
	case "flush":
		c.verb = verbFlush
	case "help", "?":
		return command{verb: verbHelp}, nil
	case "quit", "exit":
		return command{verb: verbQuit}, nil
	case "add", "update", "get", "delete", "monitor", "pmonitor", "passive_monitor", "save":
		return command{}, &commandError{"command " + quote(argv[0]) + " is not supported by this emulation"}
	default:
		return command{}, &commandError{"Unknown command " + quote(argv[0])}
	}
	rest := argv[1:]
	if len(rest) > 0 {
		t, ok := parseSAType(rest[0])
		if !ok {
			return command{}, &commandError{"Unknown SA type " + quote(rest[0])}
		}
		c.satype = t
		rest = rest[1:]
	}
	if len(rest) > 0 {
		return command{}, &commandError{"unexpected " + quote(rest[0]) + " after the SA type"}
	}
	return c, nil
}

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
