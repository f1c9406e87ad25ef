// Command ikemu is a multicall binary: called as a vendor tool (by the
// base name of argv[0], or as "ikemu TOOL args...") it is that tool;
// otherwise it is ikemu's native command line.
package main

import (
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/ikemu/ikemu/personalities/aix/devices"
	"github.com/ikemu/ikemu/personalities/aix/filt"
	"github.com/ikemu/ikemu/personalities/aix/ike"
	"github.com/ikemu/ikemu/personalities/aix/ikedb"
	"github.com/ikemu/ikemu/personalities/aix/src"
	"github.com/ikemu/ikemu/personalities/aix/tun"
	"github.com/ikemu/ikemu/personalities/native"
	"github.com/ikemu/ikemu/personalities/solaris"
	"github.com/ikemu/ikemu/personalities/solaris/ipsecconf"
	"github.com/ikemu/ikemu/personalities/solaris/ipseckey"
	"github.com/ikemu/ikemu/personalities/solaris/smf"
	"github.com/ikemu/ikemu/personalities/swan"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/proc"
)

// tool is one personality entry point.
type tool func(args []string, p *proc.Proc) int

// tools maps each multicall name to its personality.
var tools = map[string]tool{
	"ikeadm":    solaris.Ikeadm,
	"in.iked":   solaris.InIked,
	"ike":       ike.Main,
	"ikedb":     ikedb.Main,
	"ipsecconf": ipsecconf.Main,
	"ipseckey":  ipseckey.Main,
	"startsrc":  src.Startsrc,
	"stopsrc":   src.Stopsrc,
	"lssrc":     src.Lssrc,
	"lsdev":     devices.Lsdev,
	"mkdev":     devices.Mkdev,
	"rmdev":     devices.Rmdev,
	"genfilt":   filt.Genfilt,
	"lsfilt":    filt.Lsfilt,
	"mkfilt":    filt.Mkfilt,
	"rmfilt":    filt.Rmfilt,
	"chfilt":    filt.Chfilt,
	"mvfilt":    filt.Mvfilt,
	"expfilt":   filt.Expfilt,
	"impfilt":   filt.Impfilt,
	"gentun":    tun.Gentun,
	"lstun":     tun.Lstun,
	"mktun":     tun.Mktun,
	"rmtun":     tun.Rmtun,
	"chtun":     tun.Chtun,
	"exptun":    tun.Exptun,
	"imptun":    tun.Imptun,
	"ipsecstat": tun.Ipsecstat,
	"svcadm":    smf.Svcadm,
	"svcs":      smf.Svcs,
}

// toolNames are the multicall names, sorted so that link install makes
// its links in a stable order.
func toolNames() []string {
	return slices.Sorted(maps.Keys(tools))
}

func run(argv []string, p *proc.Proc) int {
	if t, ok := tools[filepath.Base(argv[0])]; ok {
		return t(argv[1:], p)
	}
	if len(argv) > 1 {
		if t, ok := tools[argv[1]]; ok {
			return t(argv[2:], p)
		}
	}
	return native.Main(argv[1:], p, native.Wiring{Tools: toolNames(), Daemon: inIked,
		Exporters: map[string]native.Exporter{"solaris": solaris.Export, "aix": ikedb.Export,
			"swanctl": swan.Swanctl, "libreswan": swan.Libreswan},
		Defaults: solaris.Defaults})
}

// inIked is the IKE daemon "ikemu daemon" drives: every host runs
// in.iked beside AIX's ike group, and in.iked is the one it starts.
func inIked(l *lab.Lab) engine.DaemonDriver { return solaris.IKED{Lab: l} }

func main() {
	os.Exit(run(os.Args, proc.FromOS()))
}
