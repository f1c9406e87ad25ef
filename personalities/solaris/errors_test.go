package solaris

import (
	"fmt"
	"syscall"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Engine failures reach ikeadm in in.iked's words, however wrapped;
// others have no door reply.
func TestDoorErrText(t *testing.T) {
	tests := []struct {
		err      error
		nonFatal bool
		want     string
	}{
		{&engine.Error{Kind: engine.ErrNotFound}, false, "No data returned"},
		{&engine.Error{Kind: engine.ErrDuplicate, Detail: "taken"}, true, "Duplicate entry"},
		{&engine.Error{Kind: engine.ErrDuplicate, Detail: "taken"}, false, "File exists"},
		{&engine.Error{Kind: engine.ErrInvalid}, false, "Supplied data invalid"},
		{&engine.Error{Kind: engine.ErrTokenLogin}, false, "token login failed or no objects on device"},
		{&engine.Error{Kind: engine.ErrDamaged}, false, "Insufficient memory"},
		{daemonErr(ikeErrNoPriv), false, "Not allowed at current privilege level"},
		{sysErr(syscall.ENOENT, "gone"), false, "No such file or directory"},
	}
	for _, tt := range tests {
		for _, err := range []error{tt.err, fmt.Errorf("wrapped: %w", tt.err)} {
			if got := doorErrText(err, tt.nonFatal); got != tt.want {
				t.Errorf("doorErrText(%v, %v) = %q, want %q", err, tt.nonFatal, got, tt.want)
			}
		}
	}
	if _, ok := daemonReply(&engine.Error{Kind: engine.ErrDamaged}); ok {
		t.Error("a damaged record has a door reply")
	}
}
