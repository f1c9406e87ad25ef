package native

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/ikemu/ikemu/pkg/labwire"
)

// ServeCmd is "ikemu serve": the lab's hosts answer real IKEv1 peers
// over UDP, in the foreground, until SIGINT or SIGTERM. The process is
// the served hosts' daemons' process: SIGHUP makes in.iked reread its
// configuration, and the daemons stop when it does.
type ServeCmd struct {
	Host []string `name:"host" placeholder:"NAME" help:"Serve this host (repeatable; default: every host of the lab)."`
	Port uint16   `default:"500" help:"UDP port to bind on each served address."`
}

func (c *ServeCmd) Run(e *env) error {
	l, err := e.lab()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	return labwire.Serve(ctx, l, labwire.ServeConfig{Hosts: c.Host, Port: c.Port, Daemon: e.daemon(l), Reload: hup,
		Log: func(line string) { fmt.Fprintf(e.p.Stderr, "ikemu serve: %s\n", line) }})
}
