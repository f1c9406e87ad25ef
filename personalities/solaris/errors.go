package solaris

import (
	"fmt"
	"syscall"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/proc"
)

// The ways an ikeadm command can end, other than normally. Each carries
// the vendor's rendering; the caller decides between "Fatal error -
// exiting." (command line) and back-to-the-prompt (interactive).

// bailError is Bail(what): "ikeadm: what: strerror" or "ikeadm: Error: what".
type bailError struct {
	what  string
	errno string // strerror text; empty renders the "Error:" form
}

func (e *bailError) Error() string {
	if e.errno == "" {
		return "ikeadm: Error: " + e.what + "\n"
	}
	return "ikeadm: " + e.what + ": " + e.errno + "\n"
}

// bailMsg is bail_msg: "ikeadm: ERROR: text" and a blank line.
type bailMsg struct{ text string }

func (e *bailMsg) Error() string { return "ikeadm: ERROR: " + e.text + "\n\n" }

func bailf(format string, args ...any) *bailMsg {
	return &bailMsg{text: fmt.Sprintf(format, args...)}
}

// usageError prints the usage text (or the interactive hint), no fatal line.
type usageError struct{ prefix string }

func (e *usageError) Error() string { return e.prefix }

// doorError is a failed door call: the daemon went away mid-session.
type doorError struct{}

func (doorError) Error() string {
	return "Unable to communicate with in.iked\n" + (&bailError{what: "door_call failed", errno: "Bad file number"}).Error()
}

const usageText = "Usage:\tikeadm [ -hnp ] cmd obj [cmd-specific options]\n      \tikeadm help\n"

// doorErrText is in.iked's error text for an engine error (spec 3.3);
// nonFatal selects the rendering used by add/get/del, where EEXIST reads
// "Duplicate entry".
func doorErrText(err error, nonFatal bool) string {
	e, ok := engine.As(err)
	if !ok {
		return "Insufficient memory"
	}
	switch e.Code {
	case engine.CodeNotFound:
		return "No data returned"
	case engine.CodeNoDest:
		return "No destination provided"
	case engine.CodeIDInvalid:
		return "Id info invalid"
	case engine.CodeLocInvalid:
		return "Destination invalid"
	case engine.CodeInvalid:
		return "Supplied data invalid"
	case engine.CodeNotSupp:
		return "Unknown command"
	case engine.CodeReqInvalid:
		return "Request invalid"
	case engine.CodeNoPriv:
		return "Not allowed at current privilege level"
	case engine.CodeSystem:
		return errnoText(e.Errno, nonFatal)
	case engine.CodeDupIgnored:
		return "One or more duplicate entries ignored"
	case engine.CodeNoToken:
		return "token login failed or no objects on device"
	case engine.CodeNoAuth:
		return "User not authorized"
	case engine.CodeInProgress:
		return "Duplicate operation already in progress"
	}
	return fmt.Sprintf("<unknown error %d>", e.Code)
}

func errnoText(n engine.Errno, nonFatal bool) string {
	switch n {
	case 0:
		return "<unknown error>"
	case engine.EEXIST:
		if nonFatal {
			return "Duplicate entry"
		}
		return "File exists"
	case engine.ENOENT:
		return "No such file or directory"
	case engine.EINVAL:
		return "Invalid argument"
	}
	return proc.Strerror(syscall.Errno(n))
}
