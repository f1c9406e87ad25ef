package native

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Exporter writes a host's definitions as one target's files into dir:
// warn for each setting the target cannot carry, wrote for each file.
// The personalities provide them (native imports none).
type Exporter func(h *engine.Host, dir string, warn func(string), wrote func(path string, n int)) error

// ExportCmd is "ikemu export --to TARGET -o DIR".
type ExportCmd struct {
	To   string `required:"" placeholder:"TARGET" help:"The target's files: solaris (ike.config, ike.preshared), aix (XML for ikedb -p), swanctl (strongSwan swanctl.conf) or libreswan (ipsec.conf, ipsec.secrets)."`
	Host string `placeholder:"NAME" help:"The host to export (default: $IKEMU_HOST, else local)."`
	Dir  string `short:"o" required:"" placeholder:"DIR" help:"Directory to write into (created if missing; its files must not exist yet)."`
}

func (c *ExportCmd) Run(e *env) error {
	export, ok := e.Exporters[c.To]
	if !ok {
		return fmt.Errorf("--to %q: one of %s", c.To, strings.Join(slices.Sorted(maps.Keys(e.Exporters)), ", "))
	}
	dir := e.p.Path(c.Dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	l, err := e.lab()
	if err != nil {
		return err
	}
	if c.Host != "" {
		l.HostName = c.Host
	}
	return l.HostView(func(h *engine.Host) error {
		return export(h, dir,
			func(msg string) { fmt.Fprintf(e.p.Stderr, "ikemu: warning: %s\n", msg) },
			func(path string, n int) { fmt.Fprintf(e.p.Stdout, "wrote %s (%d)\n", path, n) })
	})
}
