//go:build !linux

package native

import (
	"errors"

	"github.com/ikemu/ikemu/pkg/proc"
)

var errNoNamespaces = errors.New("exec: mount namespaces need Linux")

func spawnInNamespace(*proc.Proc, string, string, []string) (int, error) { return 0, errNoNamespaces }

func enterHost(*proc.Proc, nsPlan, []string) error { return errNoNamespaces }
