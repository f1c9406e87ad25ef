package ikev1

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/isakmp"
)

// Side names an end of an exchange.
type Side int

const (
	SideInitiator Side = 1
	SideResponder Side = 2
)

func (s Side) String() string {
	if s == SideResponder {
		return "responder"
	}
	return "initiator"
}

// Failure is an exchange that ended without an SA, or a message an end
// dropped. Side is the end that refused; Received says this end learned
// it from the peer's notify rather than deciding it.
type Failure struct {
	Notify   isakmp.NotifyType // 0 when nothing is notified (a local refusal)
	Side     Side
	Received bool
	// Dropped marks a message ignored without ending the exchange
	// (garbage, an unknown cookie, a replay).
	Dropped bool
	Reason  string
	Err     error // an underlying cause, when there is one
}

func (f *Failure) Error() string {
	s := f.Side.String()
	if f.Received {
		s = "peer (" + s + ")"
	}
	msg := s + ": " + f.Reason
	if f.Notify != 0 {
		msg += fmt.Sprintf(" (notify %d)", f.Notify)
	}
	if f.Err != nil {
		msg += ": " + f.Err.Error()
	}
	return msg
}

func (f *Failure) Unwrap() error { return f.Err }

// Refuse is the failure an owner's callback returns to make this end
// refuse with notify n, giving its reason.
func Refuse(n isakmp.NotifyType, format string, args ...any) *Failure {
	return &Failure{Notify: n, Reason: fmt.Sprintf(format, args...)}
}

func failf(side Side, n isakmp.NotifyType, err error, format string, args ...any) *Failure {
	return &Failure{Notify: n, Side: side, Reason: fmt.Sprintf(format, args...), Err: err}
}

func dropped(side Side, err error, format string, args ...any) *Failure {
	return &Failure{Side: side, Dropped: true, Reason: fmt.Sprintf(format, args...), Err: err}
}
