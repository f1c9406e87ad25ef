package engine

import (
	"errors"
	"fmt"
)

// Code classifies an engine failure. Each personality renders codes in its
// vendor's words; the set mirrors what an IKE daemon reports to its
// administration tool.
type Code int

const (
	CodeNotFound   Code = iota + 1 // no such object
	CodeNoDest                     // debug output requested with no destination
	CodeIDInvalid                  // identification malformed or inconsistent
	CodeLocInvalid                 // location invalid
	CodeInvalid                    // supplied data invalid
	CodeNotSupp                    // operation not supported
	CodeReqInvalid                 // request invalid
	CodeNoPriv                     // privilege level too low
	CodeSystem                     // system error; Errno says which
	CodeDupIgnored                 // duplicates ignored, rest applied
	CodeNoToken                    // token login failed
	CodeNoAuth                     // caller not authorized
	CodeInProgress                 // duplicate operation in progress
	CodeNotRunning                 // the daemon is not running
)

// Errno values carried with CodeSystem, named as the Unix errors they stand for.
type Errno int

const (
	ENOENT Errno = 2
	EEXIST Errno = 17
	EINVAL Errno = 22
)

// Error is a typed engine error.
type Error struct {
	Code   Code
	Errno  Errno  // for CodeSystem
	Detail string // for logs; never shown where the vendor shows nothing
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("engine error %d: %s", e.Code, e.Detail)
	}
	return fmt.Sprintf("engine error %d", e.Code)
}

// Errf builds an engine error with a detail message.
func Errf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// SysErr builds a CodeSystem error carrying errno.
func SysErr(errno Errno, detail string) *Error {
	return &Error{Code: CodeSystem, Errno: errno, Detail: detail}
}

// CodeOf returns the code of an engine error in err's chain, or 0.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// As returns the engine error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
