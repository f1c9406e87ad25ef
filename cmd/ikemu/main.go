// Command ikemu is a multicall binary: called as a vendor tool (by the
// base name of argv[0], or as "ikemu TOOL args...") it is that tool;
// otherwise it is ikemu's native command line.
package main

import (
	"os"
	"path/filepath"

	"github.com/ikemu/ikemu/personalities/aix"
	"github.com/ikemu/ikemu/personalities/native"
	"github.com/ikemu/ikemu/personalities/solaris"
	"github.com/ikemu/ikemu/pkg/proc"
)

// tool is one personality entry point.
type tool func(args []string, p *proc.Proc) int

// tools maps each multicall name to its personality.
var tools = map[string]tool{
	"ikeadm":   solaris.Ikeadm,
	"in.iked":  solaris.InIked,
	"ike":      aix.Ike,
	"ikedb":    aix.Ikedb,
	"startsrc": aix.Startsrc,
	"stopsrc":  aix.Stopsrc,
	"lssrc":    aix.Lssrc,
}

func toolNames() []string {
	return []string{"ikeadm", "in.iked", "ike", "ikedb", "startsrc", "stopsrc", "lssrc"}
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
	return native.Main(argv[1:], p, toolNames())
}

func main() {
	os.Exit(run(os.Args, proc.FromOS()))
}
