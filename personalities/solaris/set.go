package solaris

import (
	"fmt"
	"os"

	"github.com/ikemu/ikemu/personalities/daemonlog"
	"github.com/ikemu/ikemu/pkg/proc"

	"github.com/ikemu/ikemu/pkg/engine"
)

func (s *session) setDebug(args []string) error {
	if len(args) > 2 {
		return &bailError{what: `Too many arguments to "set debug"`}
	}
	if len(args) == 0 {
		return &bailError{what: "unspecified level"}
	}
	level, shown, ok := parseDebugLevel(args[0])
	if !ok {
		return bailf("Bad debug flag: %s", shown)
	}
	file := ""
	if len(args) == 2 {
		file = s.p.Path(args[1])
		// ikeadm opens the file itself (create, append, 0600) and passes
		// the descriptor; failure to open is its own error.
		f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return &bailError{what: "open debug file", errno: proc.Strerror(err)}
		}
		f.Close()
	}
	var old uint32
	err := s.door("IKE_SVC_SET_DBG", func(h *engine.Host) error {
		d, err := h.Daemons().IKE()
		if err != nil {
			return err
		}
		// in.iked wants a descriptor whenever its level is 0, even if it
		// had a debug file before; above 0 it keeps the file it has.
		if file == "" && d.Debug == 0 {
			return daemonErr(ikeErrNoDesc)
		}
		if file != "" {
			d.DebugFile = file
		}
		old, d.Debug = d.Debug, level
		if err := h.Daemons().SetIKE(d); err != nil {
			return err
		}
		daemonlog.Debug(h, engine.DebugOp, "debug level changed from 0x%x to 0x%x", old, level)
		return nil
	})
	if err != nil {
		return fatalDoor("error setting debug level: %s", err)
	}
	fmt.Fprintf(s.out, "Successfully changed debug level from 0x%x to 0x%x\n%s", old, level, debugListing(level))
	return nil
}

func (s *session) setPriv(args []string) error {
	if len(args) > 1 {
		return &bailError{what: `Too many arguments to "set priv"`}
	}
	if len(args) == 0 {
		return &bailError{what: "unspecified level"}
	}
	level, ok := parsePrivLevel(args[0])
	if !ok {
		return bailf("Bad privilege flag: %s", args[0])
	}
	var old engine.Privilege
	err := s.door("IKE_SVC_SET_PRIV", func(h *engine.Host) error {
		d, err := h.Daemons().IKE()
		if err != nil {
			return err
		}
		if level > d.Priv {
			return daemonErr(ikeErrNoPriv)
		}
		old, d.Priv = d.Priv, level
		return h.Daemons().SetIKE(d)
	})
	if err != nil {
		return fatalDoor("error setting privilege level: %s", err)
	}
	fmt.Fprintf(s.out, "Successfully changed privilege level from 0x%x to 0x%x\nNew privilege level 0x%x enables %s\n",
		int(old), int(level), int(level), privDescription(level))
	return nil
}
