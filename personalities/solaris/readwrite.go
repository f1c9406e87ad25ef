package solaris

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"

	"syscall"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/personalities/solaris/ikeconfig"
	"github.com/ikemu/ikemu/personalities/solaris/preshared"
	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// Default locations, inside the emulated host's tree.
const (
	defaultConfigFile    = "etc/inet/ike/config"
	defaultPresharedFile = "etc/inet/secret/ike.preshared"
)

// reading makes a read handler: load replaces the daemon's set of data
// from the named file's text, or (nil text) from the default file.
func reading(svc string, load func(s *session, h *engine.Host, text []byte) error) handler {
	return func(s *session, o *object, args []string) error {
		var text []byte
		if len(args) > 0 {
			b, err := boundedio.ReadFile(s.p.Path(args[0]), args[0], boundedio.FileLimit)
			if err != nil {
				return userFileError("open user-specified file", err)
			}
			text = b
		}
		// The door runs its function once; handing the text over, not
		// capturing it, lets a load of 100,000 rules drop the 7.6 MB of
		// text once it is parsed.
		in := &fileText{b: text}
		text = nil
		if err := s.door(svc, func(h *engine.Host) error { return load(s, h, in.take()) }); err != nil {
			return fatalDoor("error doing read: %s", err)
		}
		s.message("Completed read of %s configuration information.", o.noun)
		return nil
	}
}

// fileText holds a named file's text until its load takes it.
type fileText struct{ b []byte }

func (t *fileText) take() []byte {
	b := t.b
	t.b = nil
	return b
}

// userFileError is Bail(what) for a file ikeadm could not open, or one
// line naming a file over its limit.
func userFileError(what string, err error) error {
	var big *boundedio.TooLargeError
	if errors.As(err, &big) {
		return &bailError{what: big.Name, errno: "file is larger than the " + boundedio.Size(big.Limit) + " limit"}
	}
	return &bailError{what: what, errno: proc.Strerror(err)}
}

// readRules replaces the rulebase; on any error nothing changes.
func (s *session) readRules(h *engine.Host, text []byte) error {
	if text == nil {
		b, err := s.configFile(h).Read(boundedio.FileLimit)
		if errors.Is(err, boundedio.ErrTooLarge) {
			daemonlog.Debug(h, engine.DebugOp, "%v", err)
			return sysErr(syscall.EINVAL, err.Error())
		}
		if err != nil {
			daemonlog.Debug(h, engine.DebugOp, "cannot open configuration file %s: %s", s.configFile(h).Shown, proc.Strerror(err))
			return sysErr(syscall.ENOENT, err.Error())
		}
		text = b
	}
	// The rules wait for the store as their records: a load of 100,000
	// holds them in a tenth of the memory decoded policies take.
	rules := &engine.Phase1Batch{}
	f, err := s.parseConfigInto(h, text, rules)
	if err != nil {
		return err
	}
	return h.Policies().ReplacePhase1Batch("solaris", rules, f.Global)
}

// configFile is the daemon's configuration file: in.iked -f, else the
// default location in the host's tree.
func (s *session) configFile(h *engine.Host) lab.HostFile {
	d, _ := h.Daemons().IKE()
	return daemonConfigFile(s.lab, h, d)
}

func daemonConfigFile(l *lab.Lab, h *engine.Host, d engine.Daemon) lab.HostFile {
	if d.ConfigFile == "" {
		return l.HostFile(h.Info.Name, defaultConfigFile)
	}
	return lab.HostFile{Path: d.ConfigFile, Shown: d.ConfigFile}
}

// readPreshared replaces the preshared keys; a missing default file is
// success with no change.
func (s *session) readPreshared(h *engine.Host, text []byte) error {
	if err := requirePriv(h, engine.PrivModKeys); err != nil {
		return err
	}
	if text == nil {
		b, err := s.lab.HostFile(h.Info.Name, defaultPresharedFile).Read(boundedio.FileLimit)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return sysErr(syscall.EINVAL, err.Error())
		}
		text = b
	}
	res, err := s.parsePresharedText(h, text)
	if err != nil {
		return err
	}
	return h.Keys().Replace("solaris", res.Keys)
}

// saveRules writes the rulebase in the configuration file's syntax.
func saveRules(h *engine.Host, w io.Writer) (n int, err error) {
	err = h.Policies().ScanPhase1(func(p *engine.Phase1Policy) error { n++; return ikeconfig.WriteRule(w, p) })
	return n, err
}

// savePreshared writes the preshared keys, which needs privilege keymat.
func savePreshared(h *engine.Host, w io.Writer) (n int, err error) {
	if err := requirePriv(h, engine.PrivKeymat); err != nil {
		return 0, err
	}
	err = h.Keys().Scan(func(_ engine.PSKRef, k *engine.PresharedKey) error {
		n++
		return preshared.WriteKey(w, k)
	})
	return n, err
}

// writing makes a write handler: save writes the daemon's set of data to
// a new file and counts the items; no file is left when there are none.
func writing(svc string, save func(h *engine.Host, w io.Writer) (int, error)) handler {
	return func(s *session, o *object, args []string) error {
		return s.write(o.noun, svc, save, args)
	}
}

func (s *session) write(noun, svc string, save func(h *engine.Host, w io.Writer) (int, error), args []string) error {
	if len(args) == 0 {
		return bailf("destination location required to write %ss", noun)
	}
	path := s.p.Path(args[0])
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return &bailError{what: "open user-specified file", errno: proc.Strerror(err)}
	}
	w := bufio.NewWriterSize(f, 64<<10)
	n := 0
	err = s.doorRead(svc, func(h *engine.Host) (err error) {
		n, err = save(h, w)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil || n == 0 {
		os.Remove(path)
	}
	if err != nil {
		if _, ok := daemonReply(err); !ok {
			err = sysErr(syscall.EINVAL, err.Error())
		}
		return fatalDoor("error doing write: %s", err)
	}
	if n == 0 {
		s.message("No %s information to write.", noun)
		return nil
	}
	s.message("Completed write of %s configuration information.", noun)
	return nil
}
