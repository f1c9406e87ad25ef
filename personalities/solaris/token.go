package solaris

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/token"
)

// maxTokenLabel is the longest PKCS#11 token label ikeadm accepts.
const maxTokenLabel = 31

// notBuiltText is the one line a build without cgo answers token
// commands with: the PKCS#11 binding needs cgo.
const notBuiltText = "PKCS#11 support is not built in (this ikemu was built without cgo)"

// notBuiltError renders as that one line on the command line.
type notBuiltError struct{}

func (notBuiltError) Error() string { return notBuiltText }

func (s *session) tokenLogin(o *object, args []string) error  { return s.token(o, args, true) }
func (s *session) tokenLogout(o *object, args []string) error { return s.token(o, args, false) }

// token logs in to (prompting for the PIN) or out of a token.
func (s *session) token(o *object, args []string, login bool) error {
	if len(args) == 0 {
		return &bailError{what: "Must specify PKCS#11 token object."}
	}
	label := args[0]
	if len(label) > maxTokenLabel {
		return &bailError{what: fmt.Sprintf("Invalid syntax for \"token %s\"", o.name)}
	}
	if !token.Built {
		if s.interactive {
			fmt.Fprintf(s.errw, "ikeadm: %s\n", notBuiltText)
			return errHelpDone
		}
		return notBuiltError{}
	}
	svc, op := "IKE_SVC_DEL_PIN", func(h *engine.Host) error { return h.Certs().TokenLogout(label) }
	if login {
		pin, err := s.readPIN(label)
		if err != nil {
			return err
		}
		svc, op = "IKE_SVC_SET_PIN", func(h *engine.Host) error { return h.Certs().TokenLogin(label, pin) }
	}
	if err := s.door(svc, op); err != nil {
		return fatalDoor("PKCS#11 operation: %s", err)
	}
	s.message("PKCS#11 operation successful")
	return nil
}

// readPIN prompts for a token's PIN as getpassphrase does: from the
// terminal with echo off when standard input is one, else one line of
// standard input (through the session's shared reader, so interactive
// input stays in step). The PIN is never echoed or logged.
func (s *session) readPIN(label string) (string, error) {
	fmt.Fprintf(s.errw, "Enter PIN for PKCS#11 token '%s': ", label)
	defer fmt.Fprintln(s.errw)
	if f, ok := s.p.Stdin.(interface{ Fd() uintptr }); ok && (s.in == nil || s.in.Buffered() == 0) {
		fd := int(f.Fd())
		if term.IsTerminal(fd) {
			return readPassword(fd)
		}
	}
	line, err := boundedio.ReadLine(s.stdin(), boundedio.LineLimit)
	if errors.Is(err, bufio.ErrTooLong) {
		return "", &boundedio.LineTooLongError{Name: "standard input", Limit: boundedio.LineLimit}
	}
	if err != nil && line == "" {
		return "", nil // no input: an empty PIN, which the token refuses
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readPassword reads a line with echo off, and puts echo back even when
// the user interrupts the prompt.
func readPassword(fd int) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("read PIN: %w", err)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	defer func() {
		signal.Stop(sig)
		close(done)
	}()
	go func() {
		select {
		case <-sig:
			_ = term.Restore(fd, state)
			os.Exit(130)
		case <-done:
		}
	}()
	pin, err := term.ReadPassword(fd)
	if err != nil {
		return "", fmt.Errorf("read PIN: %w", err)
	}
	return string(pin), nil
}
