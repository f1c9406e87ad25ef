package solaris

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/engine"
)

// maxTokenLabel is the longest PKCS#11 token label ikeadm accepts.
const maxTokenLabel = 31

func (s *session) token(obj string, args []string) error {
	if len(args) == 0 {
		return &bailError{what: "Must specify PKCS#11 token object."}
	}
	label := args[0]
	if len(label) > maxTokenLabel {
		return &bailError{what: fmt.Sprintf("Invalid syntax for \"token %s\"", obj)}
	}
	svc := "IKE_SVC_DEL_PIN"
	if obj == "login" {
		svc = "IKE_SVC_SET_PIN"
		// The PIN is read and then dropped: no PKCS#11 module is loaded
		// by this build, so no token can accept it.
		fmt.Fprintf(s.errw, "Enter PIN for PKCS#11 token '%s': ", label)
		_, _ = s.stdin().ReadString('\n')
		fmt.Fprintln(s.errw)
	}
	err := s.door(svc, func(h *engine.Host) error {
		return &engine.Error{Code: engine.CodeNoToken, Detail: "no PKCS#11 token named " + label}
	})
	if err != nil {
		return fatalDoor("PKCS#11 operation: %s", err)
	}
	s.message("PKCS#11 operation successful")
	return nil
}
