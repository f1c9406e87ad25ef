package lab

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// stepsLab is a lab whose event log records what it is told.
type stepsLab struct {
	*Lab
	told []string // "note step N committed|rolled back"
}

func openStepsLab(t *testing.T) *stepsLab {
	t.Helper()
	s := &stepsLab{}
	dir := filepath.Join(t.TempDir(), "lab")
	l, err := Open(testProc(map[string]string{"IKEMU_LAB": dir}), func(evs []engine.Event, committed bool) {
		for _, e := range evs {
			s.told = append(s.told, fmt.Sprintf("%s %v", e.Detail, committed))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Lab = l
	return s
}

// runSteps runs n steps that each write a meta record and emit a note;
// fail says whether step i fails on its k-th run (from 1).
func (s *stepsLab) runSteps(t *testing.T, n int, fail func(i, k int) bool) (committed []int, runs []int, err error) {
	t.Helper()
	runs = make([]int, n)
	w := s.Writer()
	defer w.Close()
	err = w.Steps(n, func(tx *engine.Tx, i int) error {
		runs[i]++
		h, err := tx.Host(s.HostName)
		if err != nil {
			return err
		}
		h.Emit(engine.Event{Kind: engine.EventNote, Detail: fmt.Sprintf("step %d", i)})
		if err := tx.Store().PutMeta(fmt.Sprintf("step-%d", i), []byte("done")); err != nil {
			return err
		}
		if fail(i, runs[i]) {
			return errors.New("step failed")
		}
		return nil
	}, func(i int) { committed = append(committed, i) })
	return committed, runs, err
}

// stored lists the steps whose records are in the lab.
func (s *stepsLab) stored(t *testing.T, n int) []int {
	t.Helper()
	var got []int
	err := s.View(func(tx *engine.Tx) error {
		for i := range n {
			raw, err := tx.Store().GetMeta(fmt.Sprintf("step-%d", i))
			if err != nil {
				return err
			}
			if raw != nil {
				got = append(got, i)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestStepsBatch: quick steps share transactions, every one committed
// and told once, in order.
func TestStepsBatch(t *testing.T) {
	s := openStepsLab(t)
	committed, runs, err := s.runSteps(t, 100, func(int, int) bool { return false })
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int, 100)
	for i := range want {
		want[i] = i
	}
	if !slices.Equal(committed, want) || !slices.Equal(s.stored(t, 100), want) {
		t.Fatalf("committed %v, stored %v", committed, s.stored(t, 100))
	}
	for i, k := range runs {
		if k != 1 {
			t.Errorf("step %d ran %d times", i, k)
		}
	}
	if len(s.told) != 100 || s.told[0] != "step 0 true" || s.told[99] != "step 99 true" {
		t.Errorf("told %d events: %v", len(s.told), s.told)
	}
}

// TestStepsFailureKeepsEarlierSteps: a step that fails in the middle of
// a batch leaves the steps before it committed (run again on their own),
// nothing of its own or after it, and the error; each step told once as
// it finally ran.
func TestStepsFailureKeepsEarlierSteps(t *testing.T) {
	s := openStepsLab(t)
	committed, runs, err := s.runSteps(t, 10, func(i, _ int) bool { return i == 6 })
	if err == nil || err.Error() != "step failed" {
		t.Fatalf("Steps: %v, want the step's error", err)
	}
	want := []int{0, 1, 2, 3, 4, 5}
	if !slices.Equal(committed, want) || !slices.Equal(s.stored(t, 10), want) {
		t.Fatalf("committed %v, stored %v, want %v", committed, s.stored(t, 10), want)
	}
	if !slices.Equal(runs, []int{2, 2, 2, 2, 2, 2, 2, 0, 0, 0}) {
		t.Errorf("runs %v: the batch, the rerun of 0-5, step 6 alone", runs)
	}
	wantTold := []string{"step 0 true", "step 1 true", "step 2 true", "step 3 true", "step 4 true", "step 5 true", "step 6 false"}
	if !slices.Equal(s.told, wantTold) {
		t.Errorf("told %v, want %v", s.told, wantTold)
	}
}

// TestStepsFailureOnce: a step that fails once, in a batch, and then
// succeeds on its own run: every step lands.
func TestStepsFailureOnce(t *testing.T) {
	s := openStepsLab(t)
	committed, _, err := s.runSteps(t, 10, func(i, k int) bool { return i == 3 && k == 1 })
	if err != nil {
		t.Fatal(err)
	}
	if len(committed) != 10 || len(s.stored(t, 10)) != 10 || len(s.told) != 10 {
		t.Fatalf("committed %v, stored %v, told %v", committed, s.stored(t, 10), s.told)
	}
}
