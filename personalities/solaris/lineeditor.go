package solaris

import (
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// lineEditor is ikeadm's input on a terminal, where Solaris's ikeadm
// reads through libtecla: Emacs-style editing keys and a history of the
// session's lines (Up and Down, Ctrl-P and Ctrl-N). The terminal is raw
// only while a line is being typed, so commands print through the
// terminal driver as they do without an editor.
type lineEditor struct {
	fd         int
	term       *term.Terminal
	continuing bool // the last line ended in a backslash: no prompt for the next
}

// newLineEditor returns an editor when standard input and output are a
// terminal the process can put in raw mode, else nil: the plain line
// reader then serves, byte for byte as off a terminal.
func newLineEditor(in io.Reader, out io.Writer) *lineEditor {
	f, ok := in.(interface{ Fd() uintptr })
	if !ok {
		return nil
	}
	fd := int(f.Fd())
	if !term.IsTerminal(fd) {
		return nil
	}
	rw := struct {
		io.Reader
		io.Writer
	}{in, out}
	return &lineEditor{fd: fd, term: term.NewTerminal(rw, "")}
}

// readPart reads one physical line as boundedio.ReadLine does: with its
// newline, or io.EOF at end of input (Ctrl-D on an empty line, Ctrl-C).
// limit is not needed: the editor stops taking keys at maxLine runes.
func (le *lineEditor) readPart(int) (string, error) {
	state, err := term.MakeRaw(le.fd)
	if err != nil {
		return "", err
	}
	stop := restoreOnSignal(le.fd, state)
	defer stop()
	defer term.Restore(le.fd, state)
	if le.continuing {
		le.term.SetPrompt("")
	} else {
		le.term.SetPrompt(prompt)
	}
	line, err := le.term.ReadLine()
	if err != nil {
		return line, err
	}
	le.continuing = continues(line)
	return line + "\n", nil
}

// restoreOnSignal puts the terminal back before the process dies of a
// signal sent while it was raw (kill, a hang-up), so the shell is not
// left without echo.
func restoreOnSignal(fd int, state *term.State) (stop func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sig:
			_ = term.Restore(fd, state)
			os.Exit(128 + int(s.(syscall.Signal)))
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}
