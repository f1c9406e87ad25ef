package solaris

import (
	"errors"
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

// ikeErr is one of in.iked's door error codes, named as ikedoor.h's
// IKE_ERR_* (their numbers never leave the emulated door).
type ikeErr int

const (
	ikeErrNoObj       ikeErr = iota + 1 // nothing matched the request
	ikeErrNoDesc                        // a descriptor was required
	ikeErrIDInvalid                     // identification malformed or inconsistent
	ikeErrDataInvalid                   // supplied data invalid
	ikeErrReqInvalid                    // badly formatted request
	ikeErrNoPriv                        // privilege level too low
	ikeErrSysErr                        // system error; errno says which
	ikeErrDupIgnored                    // duplicates ignored, the rest applied
	ikeErrNoToken                       // token login failed
	ikeErrNoAuth                        // caller not authorized
)

// daemonError is in.iked's error reply to a door call: a door code, with
// an errno for ikeErrSysErr. in.iked's own refusals are built as one;
// engine failures become one in daemonReply.
type daemonError struct {
	code   ikeErr
	errno  syscall.Errno
	detail string // for in.iked's own log; ikeadm never sees it
}

func (e *daemonError) Error() string {
	if e.detail != "" {
		return e.detail
	}
	return doorErrText(e, false)
}

func daemonErr(code ikeErr) *daemonError { return &daemonError{code: code} }

func sysErr(errno syscall.Errno, detail string) *daemonError {
	return &daemonError{code: ikeErrSysErr, errno: errno, detail: detail}
}

// daemonReply is the door error in.iked answers err with, the one place
// engine failures meet door codes. ok is false for a failure in.iked has
// no reply for; it ends ikeadm as it is.
func daemonReply(err error) (reply *daemonError, ok bool) {
	if errors.As(err, &reply) {
		return reply, true
	}
	var e *engine.Error
	if !errors.As(err, &e) {
		return nil, false
	}
	switch {
	case errors.Is(err, engine.ErrNotFound):
		return daemonErr(ikeErrNoObj), true
	case errors.Is(err, engine.ErrDuplicate):
		return sysErr(syscall.EEXIST, e.Detail), true
	case errors.Is(err, engine.ErrInvalid):
		return daemonErr(ikeErrDataInvalid), true
	case errors.Is(err, engine.ErrTokenLogin):
		return daemonErr(ikeErrNoToken), true
	}
	return nil, false
}

// doorErrText is ikeadm's text for in.iked's reply to err (spec 3.3);
// nonFatal selects the rendering used by add/get/del, where EEXIST reads
// "Duplicate entry".
func doorErrText(err error, nonFatal bool) string {
	e, ok := daemonReply(err)
	if !ok {
		return "Insufficient memory"
	}
	switch e.code {
	case ikeErrNoObj:
		return "No data returned"
	case ikeErrNoDesc:
		return "No destination provided"
	case ikeErrIDInvalid:
		return "Id info invalid"
	case ikeErrDataInvalid:
		return "Supplied data invalid"
	case ikeErrReqInvalid:
		return "Request invalid"
	case ikeErrNoPriv:
		return "Not allowed at current privilege level"
	case ikeErrSysErr:
		return errnoText(e.errno, nonFatal)
	case ikeErrDupIgnored:
		return "One or more duplicate entries ignored"
	case ikeErrNoToken:
		return "token login failed or no objects on device"
	case ikeErrNoAuth:
		return "User not authorized"
	}
	return fmt.Sprintf("<unknown error %d>", e.code)
}

func errnoText(n syscall.Errno, nonFatal bool) string {
	switch n {
	case 0:
		return "<unknown error>"
	case syscall.EEXIST:
		if nonFatal {
			return "Duplicate entry"
		}
		return "File exists"
	case syscall.ENOENT:
		return "No such file or directory"
	case syscall.EINVAL:
		return "Invalid argument"
	}
	return proc.Strerror(n)
}
