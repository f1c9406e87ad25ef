package engine_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

func TestErrorKindThroughWrapping(t *testing.T) {
	kinds := []error{engine.ErrNotFound, engine.ErrDuplicate, engine.ErrInvalid, engine.ErrTokenLogin, engine.ErrDamaged}
	for _, kind := range kinds {
		err := fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", &engine.Error{Kind: kind, Detail: "what"}))
		if !errors.Is(err, kind) {
			t.Errorf("errors.Is(%v, %v) = false", err, kind)
		}
		for _, other := range kinds {
			if other != kind && errors.Is(err, other) {
				t.Errorf("errors.Is(%v, %v) = true", err, other)
			}
		}
		var e *engine.Error
		if !errors.As(err, &e) || e.Kind != kind || e.Detail != "what" {
			t.Errorf("errors.As(%v) = %v", err, e)
		}
	}
}

func TestErrorText(t *testing.T) {
	if got := (&engine.Error{Kind: engine.ErrNotFound}).Error(); got != "not found" {
		t.Errorf("without detail: %q, want the kind's text", got)
	}
	if got := (&engine.Error{Kind: engine.ErrNotFound, Detail: `no rule labelled "x"`}).Error(); got != `no rule labelled "x"` {
		t.Errorf("with detail: %q, want the detail", got)
	}
}

// The views report their failures as kinds, with a detail naming the
// object.
func TestViewErrorKinds(t *testing.T) {
	withHost(t, tempDB(t), func(h *engine.Host) error {
		_, err := h.Policies().Phase1ByLabel("nope")
		if !errors.Is(err, engine.ErrNotFound) || err.Error() != `no rule labelled "nope"` {
			t.Errorf("Phase1ByLabel of a missing rule: %v", err)
		}
		if _, err := h.SAs().Phase1ByCookies(1, 2); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("Phase1ByCookies of a missing SA: %v", err)
		}
		rule := engine.Phase1Policy{Label: "r", Origin: "solaris"}
		if err := h.Policies().AppendPhase1([]engine.Phase1Policy{rule}, engine.GlobalConfig{}); err != nil {
			return err
		}
		err = h.Policies().AppendPhase1([]engine.Phase1Policy{rule}, engine.GlobalConfig{})
		if !errors.Is(err, engine.ErrDuplicate) || err.Error() != `rule label "r" already exists` {
			t.Errorf("appending a label twice: %v", err)
		}
		if _, err := h.VendorStore("aix").Put("Tunnel", "", nil); !errors.Is(err, engine.ErrInvalid) {
			t.Errorf("vendor Put without a name: %v", err)
		}
		return nil
	})
}
