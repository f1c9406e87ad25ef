package solaris

import (
	"fmt"
	"io"

	"github.com/ikemu/ikemu/pkg/engine"
)

// writeP1 prints one phase 1 SA as dump/get p1 do.
func (s *session) writeP1(w io.Writer, h *engine.Host, sa *engine.Phase1SA) error {
	role := "responder"
	if sa.Initiator {
		role = "initiator"
	}
	_, err := fmt.Fprintf(w, "\nIKESA: Cookies: Initiator 0x%x  Responder 0x%x\n"+
		"IKESA: The local host is the %s.\n"+
		"IKESA: ISAKMP version 1.0; %s exchange\n",
		sa.CookieI, sa.CookieR, role, xchgName(sa.Mode))
	return err
}
