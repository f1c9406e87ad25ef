package native

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/ikemu/ikemu/pkg/labwire"
)

// ServeCmd is "ikemu serve": the lab's hosts answer real IKEv1 peers
// over UDP, in the foreground, until SIGINT or SIGTERM.
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
	return labwire.Serve(ctx, l, labwire.ServeConfig{Hosts: c.Host, Port: c.Port,
		Log: func(line string) { fmt.Fprintf(e.p.Stderr, "ikemu serve: %s\n", line) }})
}
