// Package ipseckey is Solaris's ipseckey(8) over the engine's phase 2
// SAs: each Quick Mode SA pair the engine negotiated on the host is two
// SADB entries, outbound and inbound, beside the manually keyed SAs.
// dump, get, flush, delete, add and update, monitor and pmonitor (over
// the engine's SADB events), -n, -p, -f, -s and the interactive loop
// shared with ikeadm (solaris.ReadLogicalLine, solaris.Tokenize) are
// carried.
package ipseckey

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"syscall"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/personalities/solaris"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

const usageText = "Usage:\tipseckey [ -nvp ] | cmd [sa_type] [extfield value]*\n" +
	"\tipseckey [ -nvp ] -f infile\n" +
	"\tipseckey [ -nvp ] -s outfile\n"

const prompt = "ipseckey> "

// session is one ipseckey invocation.
type session struct {
	p            *proc.Proc
	l            *lab.Lab
	out          *bufio.Writer
	errw         io.Writer
	nflag, pflag bool
	check        bool // -c: parse a command file, change nothing
	seq          uint32
	feed         *lineFeed // interactive input
}

// Main runs ipseckey with args (without the program name).
func Main(args []string, p *proc.Proc) int {
	out := bufio.NewWriter(p.Stdout)
	defer out.Flush()
	s := &session{p: p, out: out, errw: p.Stderr}
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		fmt.Fprintf(s.errw, "ipseckey: %v\n", err)
		return 1
	}
	s.l = l
	if !l.Superuser() {
		io.WriteString(s.errw, "ipseckey: Insufficient privileges to run ipseckey.\n")
		return 1
	}
	infile, save, rest, code, done := s.options(args)
	if done {
		return code
	}
	switch {
	case save != nil:
		defer save.close()
		if err := s.saveTo(save.w, satypeUnspec); err != nil {
			out.Flush()
			fmt.Fprintf(s.errw, "ipseckey: %v\n", err)
			return 1
		}
		return 0
	case infile != nil:
		defer infile.f.Close()
		return s.readFile(infile)
	}
	if len(rest) == 0 {
		return s.interact()
	}
	o := s.parseit(rest, fromArgv, "")
	out.Flush()
	return o.code
}

// options is main's getopt loop, which acts on -f (and -c) and -s as
// it meets them: the file is checked and opened, the save file created.
func (s *session) options(args []string) (infile *cmdFile, save *saveFile, rest []string, code int, done bool) {
	g := getopt.New(getopt.Solaris, "pnvf:s:c:", args)
	for {
		c, arg, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var e *getopt.Error
			if errors.As(err, &e) {
				fmt.Fprintf(s.errw, "ipseckey: illegal option -- %s\n", e.Option())
			}
			return nil, nil, nil, s.usage(fromArgv).code, true
		}
		switch c {
		case 'n':
			s.nflag = true
		case 'p':
			s.pflag = true
		case 'c', 'f':
			s.check = s.check || c == 'c'
			if save != nil {
				return nil, nil, nil, s.usage(fromArgv).code, true
			}
			if infile, code, done = s.openCmdFile(arg); done {
				return nil, nil, nil, code, true
			}
		case 's':
			if infile != nil {
				return nil, nil, nil, s.usage(fromArgv).code, true
			}
			var o outcome
			if save, o = s.openSaveFile(arg, fromArgv); o.exit {
				return nil, nil, nil, o.code, true
			}
		}
	}
	return infile, save, args[g.Index():], 0, false
}

// interact is do_interactive: the prompt before the first command and
// after each one, a newline at the end of input.
func (s *session) interact() int {
	s.feed = newLineFeed(bufio.NewReader(s.p.Stdin))
	s.out.WriteString(prompt)
	for {
		s.out.Flush()
		l := s.feed.next()
		line, eof, tooLong, err := l.line, l.eof, l.tooLong, l.err
		if err != nil {
			fmt.Fprintf(s.errw, "ipseckey: %v\n", err)
			return 1
		}
		if line == "" && eof {
			// fgets found nothing more.
			s.out.WriteString("\n")
			return 0
		}
		if tooLong {
			s.out.Flush()
			fmt.Fprintf(s.errw, "ipseckey: Line too long (max=4096 chars)\n")
		} else if !solaris.IsComment(line) {
			// A blank line is no command but gets the prompt again.
			if argv := solaris.Tokenize(line); len(argv) > 0 {
				if o := s.parseit(argv, fromStdin, ""); o.exit {
					return o.code
				}
			}
			s.out.WriteString(prompt)
		}
		if eof {
			s.out.WriteString("\n")
			return 0
		}
	}
}

// interactiveMonitor is domonitor in interactive mode: SIGINT (or the
// end of input) ends the monitor, not the session, and parseit prints a
// newline before the prompt; SIGTERM and SIGHUP end the process.
func (s *session) interactiveMonitor(passive bool) (code int, done bool) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	stop, err := s.monitor(passive, sigs, nil, s.feed)
	signal.Stop(sigs)
	if err != nil {
		s.out.Flush()
		fmt.Fprintf(s.errw, "ipseckey: read (in domonitor): %v\n", err)
		return 1, true
	}
	if sig, ok := stop.sig.(syscall.Signal); ok && sig != syscall.SIGINT {
		s.out.Flush()
		return 128 + int(sig), true
	}
	s.out.WriteString("\n")
	return 0, false
}

// dump is dodump: every SA of the type, outbound entries then inbound
// ones (the kernel walks its outbound fanout first), then the verdict.
func (s *session) dump(satype int) error {
	pr := &printer{msg: "DUMP", nflag: s.nflag, pflag: s.pflag, keys: s.l.Superuser(), seq: s.seq, pid: os.Getpid()}
	err := s.l.HostView(func(h *engine.Host) error {
		pr.now = h.Tx().Now()
		pr.names = func(a netip.Addr) (string, bool) { return h.Tx().HostByAddr(a) }
		for _, outbound := range []bool{true, false} {
			err := h.SAs().ScanPhase2(func(sa *engine.Phase2SA) error {
				if sa.Expired(pr.now) {
					return nil
				}
				local, remote := outerAddrs(h, sa)
				o, i := entriesOf(sa, local, remote)
				e := &i
				if outbound {
					e = &o
				}
				if satype != satypeUnspec && e.satype != satype {
					return nil
				}
				return pr.write(s.out, e)
			})
			if err != nil {
				return err
			}
		}
		return h.ManualSAs().Scan(func(sa *engine.ManualSA) error {
			if e := entryOf(sa); satype == satypeUnspec || e.satype == satype {
				return pr.write(s.out, &e)
			}
			return nil
		})
	})
	if err != nil {
		return &bailError{"Dump failed", err}
	}
	_, err = fmt.Fprintf(s.out, "Dump succeeded for SA type %d.\n", satype)
	return err
}

// outerAddrs is the address pair an SA runs between: its phase 1 SA's,
// or its own selectors once the phase 1 is gone.
func outerAddrs(h *engine.Host, sa *engine.Phase2SA) (local, remote netip.Addr) {
	local, remote = sa.Local.First, sa.Remote.First
	if sa.Proposal.Encapsulate != "Tunnel" {
		return local, remote
	}
	find := func(p1 *engine.Phase1SA) bool {
		local, remote = p1.Local.First, p1.Remote.First
		return false
	}
	_ = h.SAs().UpdatePhase1ByCookies(sa.CookieI, sa.CookieR, find)
	return local, remote
}

// flush is doflush: the host's SAs of the type are gone.
func (s *session) flush(satype int) error {
	protocol := map[int]string{satypeAH: "AH", satypeESP: "ESP"}[satype]
	err := s.l.Host(func(h *engine.Host) error {
		s.sends(h)
		return h.SADB().Flush(protocol)
	})
	if err != nil {
		return &bailError{"Flush failed", err}
	}
	return nil
}

// addUpdate stores a manually keyed SA (add: a new one, update: in place
// of the one with its name).
func (s *session) addUpdate(c *command) error {
	err := s.l.Host(func(h *engine.Host) error {
		s.sends(h)
		sa := c.sa
		sa.Added = h.Tx().Now()
		if c.verb == verbUpdate {
			return h.ManualSAs().Update(&sa)
		}
		return h.ManualSAs().Add(&sa)
	})
	if c.verb == verbAdd && isDuplicate(err) {
		return absent(c, true)
	}
	if err != nil {
		return fmt.Errorf("%s failed: %w", verbName(c.verb), err)
	}
	return nil
}

// get prints one SA as a GET reply.
func (s *session) get(c *command) error {
	pr := &printer{msg: "GET", nflag: s.nflag, pflag: s.pflag, keys: s.l.Superuser(), seq: s.seq, pid: os.Getpid()}
	found := false
	err := s.l.HostView(func(h *engine.Host) error {
		pr.now = h.Tx().Now()
		pr.names = func(a netip.Addr) (string, bool) { return h.Tx().HostByAddr(a) }
		sa, err := h.ManualSAs().Get(c.sa.Key())
		if err != nil {
			return err
		}
		if sa != nil {
			found = true
			e := entryOf(sa)
			return pr.write(s.out, &e)
		}
		return h.SAs().ScanPhase2(func(p2 *engine.Phase2SA) error {
			if found || p2.Expired(pr.now) || (p2.Proposal.Protocol == "AH") != (c.sa.Protocol == "AH") {
				return nil
			}
			local, remote := outerAddrs(h, p2)
			out, in := entriesOf(p2, local, remote)
			for _, e := range []*entry{&out, &in} {
				if !found && e.spi == c.sa.SPI && e.dst == c.sa.Dst {
					found = true
					return pr.write(s.out, e)
				}
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("get failed: %w", err)
	}
	if !found {
		return absent(c, false)
	}
	return nil
}

// delete removes one SA: a manual one, or one direction's SA pair that
// IKE negotiated (both of its directions go, as in.iked deletes pairs).
// delete-pair is the same here: manual SAs have no pairs.
func (s *session) delete(c *command) error {
	n := 0
	err := s.l.Host(func(h *engine.Host) error {
		s.sends(h)
		gone, err := h.ManualSAs().Delete(c.sa.Key())
		if err != nil || gone {
			n = 1
			return err
		}
		n, err = h.SAs().DeletePhase2(func(p2 *engine.Phase2SA) bool {
			if (p2.Proposal.Protocol == "AH") != (c.sa.Protocol == "AH") {
				return false
			}
			local, remote := outerAddrs(h, p2)
			out, in := entriesOf(p2, local, remote)
			return (out.spi == c.sa.SPI && out.dst == c.sa.Dst) || (in.spi == c.sa.SPI && in.dst == c.sa.Dst)
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("%s failed: %w", verbName(c.verb), err)
	}
	if n == 0 {
		return absent(c, false)
	}
	return nil
}

// sends makes this command's PF_KEY request the source of the SADB
// changes of the transaction: its pid and message number.
func (s *session) sends(h *engine.Host) {
	h.Tx().SetSADBSender(engine.SADBSender{PID: os.Getpid(), Seq: s.seq})
}
