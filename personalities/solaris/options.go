package solaris

import (
	"errors"
	"fmt"

	"github.com/ikemu/ikemu/pkg/getopt"
)

// getoptMessage is what Solaris libc's getopt prints for a refused
// option, after "tool: ".
func getoptMessage(err error) string {
	var e *getopt.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	if e.Kind == getopt.MissingArgument {
		return fmt.Sprintf("option requires an argument -- %s", e.Option())
	}
	return fmt.Sprintf("illegal option -- %s", e.Option())
}
