package solaris

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/engine"
)

func (s *session) getDebug() error {
	var level uint32
	err := s.doorRead("IKE_SVC_GET_DBG", func(h *engine.Host) error {
		d, err := h.Daemons().IKE()
		level = d.Debug
		return err
	})
	if err != nil {
		return fatalDoor("error getting debug level: %s", err)
	}
	fmt.Fprintf(s.out, "Current debug level is 0x%x\n%s", level, debugListing(level))
	return nil
}

func (s *session) getPriv() error {
	var priv engine.Privilege
	err := s.doorRead("IKE_SVC_GET_PRIV", func(h *engine.Host) error {
		d, err := h.Daemons().IKE()
		priv = d.Priv
		return err
	})
	if err != nil {
		return fatalDoor("error getting privilege level: %s", err)
	}
	fmt.Fprintf(s.out, "Current privilege level is 0x%x, %s enabled\n", int(priv), privDescription(priv))
	return nil
}

func (s *session) getStats() error {
	var v engine.StatsView
	err := s.doorRead("IKE_SVC_GET_STATS", func(h *engine.Host) error {
		var err error
		if v, err = h.Daemons().Stats(); err != nil {
			return err
		}
		lib, err := h.Certs().PKCS11Library()
		v.PKCS11Lib = pkcs11Library(lib)
		return err
	})
	if err != nil {
		return fatalDoor("error getting stats: %s", err)
	}
	fmt.Fprintf(s.out, "Phase 1 SA counts:\n"+
		"Current:   initiator: %10d   responder: %10d\n"+
		"Total:     initiator: %10d   responder: %10d\n"+
		"Attempted: initiator: %10d   responder: %10d\n"+
		"Failed:    initiator: %10d   responder: %10d\n"+
		"           initiator fails include %d time-out(s)\n",
		v.InitCurrent, v.RespCurrent, v.InitTotal, v.RespTotal,
		v.InitAttempts, v.RespAttempts, v.InitNoResp+v.InitRespFail, v.RespFail, v.InitNoResp)
	if v.PKCS11Lib != "" {
		fmt.Fprintf(s.out, "PKCS#11 library linked in from %s\n", v.PKCS11Lib)
	}
	return nil
}

// defaultPKCS11Path is in.iked's library when ike.config names none.
const defaultPKCS11Path = "libpkcs11.so"

// pkcs11Library is the library in.iked reports: the module the engine
// says the daemon uses (the one it has linked in, or the one chosen for
// the host, or the configured pkcs11_path), else the Solaris default.
func pkcs11Library(lib string) string {
	if lib != "" {
		return lib
	}
	return defaultPKCS11Path
}
