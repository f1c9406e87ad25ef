package ipseckey

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// source is where a command line comes from, which decides how parseit
// treats it: from argv an error ends the process, interactively or in
// a command file (do_interactive's "interactive" mode both) it ends the
// command; a command file refuses help, monitors, dump and save.
type source int

const (
	fromArgv source = iota
	fromStdin
	fromFile
)

// outcome is what one command line did.
type outcome struct {
	exit  bool // the process ends, with code
	code  int
	added bool // the line counts in lines_added
}

const fatalLine = "ipseckey: Fatal error - exiting.\n"

// report is record_error's buffer as handle_errors prints it: on
// standard output, in a command file after the entry's header, and one
// newline after the messages.
type report struct {
	out    io.StringWriter
	header string
	b      strings.Builder
}

func (r *report) add(msg string) {
	if r.b.Len() == 0 {
		r.b.WriteString(r.header)
	}
	r.b.WriteString(msg)
}

func (r *report) flush() {
	if r.b.Len() == 0 {
		return
	}
	r.b.WriteByte('\n')
	r.out.WriteString(r.b.String())
	r.b.Reset()
}

// parseit runs one command line as ipseckey's parseit does; entry is
// the header of a command file's error reports.
func (s *session) parseit(argv []string, from source, entry string) outcome {
	r := &report{out: s.out, header: entry}
	c := parseHead(argv)
	switch c.verb {
	case verbHelp:
		// In a command file parseit records its refusal and returns
		// before it prints it: nothing shows, and the line adds nothing.
		if from != fromFile {
			s.out.WriteString(help(c.rest))
		}
		return outcome{}
	case verbQuit:
		return outcome{exit: true}
	case verbMonitor, verbPMonitor:
		passive := c.verb == verbPMonitor
		switch from {
		case fromArgv:
			return outcome{exit: true, code: s.monitorMain(passive)}
		case fromStdin:
			code, done := s.interactiveMonitor(passive)
			return outcome{exit: done, code: code}
		}
		// A command file may run at boot: parseit refuses the monitor,
		// then goes on and meets it as a command it has no case for.
		r.add("Monitor not appropriate in config file.")
		r.flush()
		c.verb = 0
	}
	if c.badType != "" {
		r.add(fmt.Sprintf("Unknown SA type (%s).\n", clip(c.badType)))
		r.flush()
		if from != fromArgv {
			return outcome{}
		}
	}
	if c.verb == verbSave && c.satype == satypeUnspec {
		if len(c.rest) == 0 {
			return s.fatal(r, from, "Must specify a specific SA type for save.\n")
		}
		c.rest = c.rest[1:]
	}
	if c.verb != 0 && c.satype != satypeUnspec && c.satype != satypeAH && c.satype != satypeESP {
		return s.failed(from, errorf("SA type %d is not carried by this emulation", c.satype))
	}
	o := s.act(&c, r, from)
	r.flush()
	return o
}

// act is parseit's second switch, on the command.
func (s *session) act(c *command, r *report, from source) outcome {
	switch c.verb {
	case verbFlush:
		if c.argc > 2 {
			r.add("Too many arguments for flush command")
			r.flush()
			if from != fromArgv {
				return outcome{}
			}
		}
		if !s.check {
			s.seq++
			if err := s.flush(c.satype); err != nil {
				return s.failed(from, err)
			}
		}
		return outcome{added: true}
	case verbAdd, verbUpdate, verbUpdatePair:
		if from == fromArgv {
			// Keying material never comes from the command line.
			io.WriteString(s.errw, "ipseckey: can't do ADD or UPDATE from the command line.\n\n")
			return outcome{exit: true, code: 1}
		}
		if c.satype == satypeUnspec {
			return s.fatal(r, from, "Must specify a specific SA type.")
		}
		if c.verb == verbUpdatePair {
			return s.fatal(r, from, "update-pair is not carried by this emulation (manual SAs have no pairs).\n")
		}
		return s.request(c, r, from, s.addUpdate)
	case verbGet, verbDelete, verbDeletePair:
		if c.satype == satypeUnspec {
			return s.fatal(r, from, "Must specify a single SA type.")
		}
		run := s.delete
		if c.verb == verbGet {
			run = s.get
		}
		return s.request(c, r, from, run)
	case verbDump:
		if from == fromFile {
			r.add("Dump not appropriate in config file.")
			return outcome{}
		}
		if c.argc > 2 {
			r.add("Too many arguments for dump command")
			r.flush()
			if from != fromArgv {
				return outcome{}
			}
		}
		s.seq++
		if err := s.dump(c.satype); err != nil {
			return s.failed(from, err)
		}
	case verbSave:
		if from == fromFile {
			r.add("Save not appropriate in config file.")
			return outcome{}
		}
		var name string
		if len(c.rest) > 0 {
			name = c.rest[0]
		}
		return s.save(c.satype, name, from)
	default:
		fmt.Fprintf(s.errw, "ipseckey: Unknown command (%s).\n\n", clip(c.word))
		return s.usage(from)
	}
	return outcome{}
}

// request reads the extension fields of an add, update, get or delete
// and sends it (or, under -c, only counts it).
func (s *session) request(c *command, r *report, from source, run func(*command) error) outcome {
	if err := c.parseFields(); err != nil {
		var fe *fieldError
		if !errors.As(err, &fe) {
			return s.fatal(r, from, err.Error())
		}
		s.warn(r, fe.warnings)
		return s.fatal(r, from, fe.msg)
	}
	s.warn(r, c.warnings)
	if s.check {
		return outcome{added: true}
	}
	s.seq++
	err := run(c)
	var gone *absentError
	switch {
	case errors.As(err, &gone):
		return s.fatal(r, from, gone.Error())
	case err != nil:
		return s.failed(from, err)
	}
	return outcome{added: true}
}

// warn prints the warnings a helper printed as it met them, each on
// its own (WARN: record_error, then handle_errors at once).
func (s *session) warn(r *report, warnings []string) {
	for _, w := range warnings {
		r.add(w)
		r.flush()
	}
}

// usage is usage(): from argv the usage and EXIT_FATAL, otherwise a
// hint.
func (s *session) usage(from source) outcome {
	if from != fromArgv {
		io.WriteString(s.errw, "Type help or ? for usage info\n")
		return outcome{}
	}
	io.WriteString(s.errw, usageText)
	s.out.WriteString(fatalLine)
	return outcome{exit: true, code: 1}
}

// fatal is FATAL(): the report, then from argv EXIT_FATAL (its line
// goes to debugfile, which ipseckey sets to standard output); otherwise
// the command ends.
func (s *session) fatal(r *report, from source, msg string) outcome {
	r.add(msg)
	r.flush()
	if from != fromArgv {
		return outcome{}
	}
	s.out.WriteString(fatalLine)
	return outcome{exit: true, code: 1}
}

// failed is a request the emulation could not carry out (the lab's
// store, or what the kernel would refuse): one line on standard error.
func (s *session) failed(from source, err error) outcome {
	s.out.Flush()
	fmt.Fprintf(s.errw, "ipseckey: %v\n", strings.TrimSuffix(err.Error(), "\n"))
	return outcome{exit: from == fromArgv, code: 1}
}

// absentError is doaddresses' report of an SA that is not there (get,
// delete) or already is (add).
type absentError struct {
	satype int
	spi    uint32
	dst    string
	exists bool
}

func (e *absentError) Error() string {
	what := "does not exist"
	if e.exists {
		what = "already exists"
	}
	name := "esp"
	if e.satype == satypeAH {
		name = "ah"
	}
	return fmt.Sprintf("Association (type = %s) with spi 0x%x and addr\n%s %s.\n", name, e.spi, e.dst, what)
}

func absent(c *command, exists bool) error {
	return &absentError{satype: c.satype, spi: c.sa.SPI, dst: c.sa.Dst.String(), exists: exists}
}

// isDuplicate tells an add of an SA that exists.
func isDuplicate(err error) bool { return errors.Is(err, engine.ErrDuplicate) }
