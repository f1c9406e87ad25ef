package solaris

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/boundedio"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/getopt"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

const ikedUsage = "Usage: in.iked [-c] [-d] [-f config_file] [-p level]\n"

// ikedOptions are in.iked's command-line options.
type ikedOptions struct {
	check  bool   // -c: check the configuration syntax only
	debug  bool   // -d: all debug categories
	config string // -f, as given: in.iked's messages name it so
	path   string // -f resolved against the working directory
	priv   engine.Privilege
}

// InIked runs in.iked with args (without the program name): it starts the
// current host's daemon, loading ike.config and ike.preshared from the
// host's tree, or with -c checks a configuration file.
func InIked(args []string, p *proc.Proc) int {
	o, err := parseIkedOptions(args)
	if err != nil {
		fmt.Fprintf(p.Stderr, "in.iked: %v\n%s", err, ikedUsage)
		return 1
	}
	l, err := lab.Open(p, daemonlog.Write)
	if err != nil {
		fmt.Fprintf(p.Stderr, "in.iked: %v\n", err)
		return 1
	}
	o.path = p.Path(o.config)
	if o.check {
		return checkConfig(l, o, p)
	}
	return startIked(l, o, p)
}

// parseIkedOptions reads in.iked's options with Solaris getopt; it takes
// no operands.
func parseIkedOptions(args []string) (ikedOptions, error) {
	var o ikedOptions
	g := getopt.New(getopt.Solaris, "cdf:p:", args)
	for {
		c, arg, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return o, errors.New(getoptMessage(err))
		}
		if err := o.set(c, arg); err != nil {
			return o, err
		}
	}
	if rest := g.Args(); len(rest) > 0 {
		return o, fmt.Errorf("unexpected argument %q", rest[0])
	}
	return o, nil
}

func (o *ikedOptions) set(c byte, arg string) error {
	switch c {
	case 'c':
		o.check = true
	case 'd':
		o.debug = true
	case 'f':
		o.config = arg
	case 'p':
		lvl, ok := parsePrivLevel(arg)
		if !ok {
			return fmt.Errorf("bad privilege level %q", arg)
		}
		o.priv = lvl
	}
	return nil
}

// checkConfig is in.iked -c: the verdict, and each error's detail on stderr.
func checkConfig(l *lab.Lab, o ikedOptions, p *proc.Proc) int {
	f := l.HostFile(l.HostName, defaultConfigFile)
	if o.config != "" {
		f = lab.HostFile{Path: o.path, Shown: o.config}
	}
	text, err := f.Read(boundedio.FileLimit)
	if err != nil {
		fmt.Fprintf(p.Stderr, "Can't open file %s. (%s)\n", f.Shown, proc.Strerror(err))
		return 1
	}
	if _, err := parseIkeConfig(text); err != nil {
		fmt.Fprintf(p.Stderr, "%v\n", err)
		fmt.Fprintf(p.Stderr, "Configuration file %s has syntax errors.\n", f.Shown)
		return 1
	}
	fmt.Fprintf(p.Stdout, "Configuration file %s syntactically checks out.\n", f.Shown)
	return 0
}

// startIked starts the daemon in one transaction: nothing changes if the
// configuration does not load.
func startIked(l *lab.Lab, o ikedOptions, p *proc.Proc) int {
	err := l.Update(func(tx *engine.Tx) error {
		h, err := tx.Host(l.HostName)
		if err != nil {
			return err
		}
		return StartDaemon(l, h, DaemonStart{Priv: o.priv, AllDebug: o.debug, ConfigFile: o.path, ConfigName: o.config})
	})
	if err != nil {
		var le *loadError
		if errors.As(err, &le) {
			io.WriteString(p.Stderr, le.detail)
		}
		fmt.Fprintf(p.Stderr, "in.iked: %v\n", err)
		return 1
	}
	return 0
}

// DaemonStart describes how a daemon is started.
type DaemonStart struct {
	Priv       engine.Privilege
	Debug      uint32
	AllDebug   bool
	ConfigFile string // absolute; empty = the host's default
	ConfigName string // ConfigFile as the user gave it, for messages
}

// ErrAlreadyRunning is returned when in.iked is started twice.
var ErrAlreadyRunning = errors.New("in.iked is already running")

type loadError struct {
	file   string
	detail string
}

// Detail is in.iked's account of what did not parse, printed before the
// verdict (each line ends in a newline).
func (e *loadError) Detail() string { return e.detail }

func (e *loadError) Error() string {
	return fmt.Sprintf("configuration file %s has errors; daemon not started", e.file)
}

// StartDaemon starts in.iked on host h inside the caller's transaction:
// a fresh daemon with the configuration and preshared keys of the host's
// tree, no SAs and zeroed counters.
func StartDaemon(l *lab.Lab, h *engine.Host, ds DaemonStart) error {
	d, err := h.Daemons().IKE()
	if err != nil {
		return err
	}
	if d.Running {
		pid, err := h.Daemons().ShownPID(d.PID)
		if err != nil {
			return err
		}
		return fmt.Errorf("%w (pid %d)", ErrAlreadyRunning, pid)
	}
	pid, err := lab.NextPID(h.Tx())
	if err != nil {
		return err
	}
	nd := engine.Daemon{Running: true, PID: pid, Started: h.Now(), Priv: ds.Priv, Debug: ds.Debug, ConfigFile: ds.ConfigFile}
	if ds.AllDebug {
		nd.Debug = engine.DebugAll
	}
	if nd.Debug != 0 {
		nd.DebugFile = l.HostPath(h.Info.Name, "var/log/in.iked.log")
	}
	if err := h.Daemons().SetIKE(nd); err != nil {
		return err
	}
	cfg := daemonConfigFile(l, h, nd)
	if ds.ConfigName != "" {
		cfg.Shown = ds.ConfigName
	}
	if err := loadAtStart(l, h, cfg); err != nil {
		return err
	}
	if err := h.SAs().FlushPhase1(); err != nil {
		return err
	}
	daemonlog.Debug(h, engine.DebugOp, "in.iked started, privilege level %d, debug level 0x%x", nd.Priv, nd.Debug)
	return h.Daemons().ResetStats()
}

// loadAtStart reads ike.config (a missing file leaves an empty rulebase)
// and ike.preshared (a missing file is not an error).
func loadAtStart(l *lab.Lab, h *engine.Host, cfg lab.HostFile) error {
	text, err := cfg.Read(boundedio.FileLimit)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := h.Policies().ReplacePhase1("solaris", nil, engine.GlobalConfig{}); err != nil {
			return err
		}
	case errors.Is(err, boundedio.ErrTooLarge):
		return err
	case err != nil:
		return fmt.Errorf("read %s: %w", cfg.Shown, err)
	default:
		f, perr := parseIkeConfig(text)
		if perr != nil {
			daemonlog.Debug(h, engine.DebugOp, "%v", perr)
			return &loadError{file: cfg.Shown, detail: perr.Error() + "\n"}
		}
		if err := h.Policies().ReplacePhase1("solaris", f.Rules, f.Global); err != nil {
			return err
		}
	}
	return loadPresharedAtStart(l, h)
}

func loadPresharedAtStart(l *lab.Lab, h *engine.Host) error {
	f := l.HostFile(h.Info.Name, defaultPresharedFile)
	text, err := f.Read(boundedio.FileLimit)
	if errors.Is(err, fs.ErrNotExist) {
		return h.Keys().Replace("solaris", nil)
	}
	if errors.Is(err, boundedio.ErrTooLarge) {
		return err
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", f.Shown, err)
	}
	s := &session{lab: l}
	res, err := s.parsePresharedText(h, text)
	if err != nil {
		detail := ""
		if reply, ok := daemonReply(err); ok {
			detail = reply.detail
		}
		return &loadError{file: f.Shown, detail: strings.TrimSuffix(detail, "\n") + "\n"}
	}
	return h.Keys().Replace("solaris", res.Keys)
}

// StopDaemon stops in.iked on host h. Its SAs die with it.
func StopDaemon(h *engine.Host) error {
	d, err := h.Daemons().IKE()
	if err != nil {
		return err
	}
	if !d.Running {
		return errors.New("in.iked is not running")
	}
	daemonlog.Debug(h, engine.DebugOp, "in.iked stopping")
	if err := h.SAs().FlushPhase1(); err != nil {
		return err
	}
	return h.Daemons().SetIKE(engine.Daemon{})
}
