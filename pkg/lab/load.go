package lab

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/store"
)

// loadKey is the lab record of a load in progress.
const loadKey = "load"

// Load is a load that writes one input in several transactions (ikedb
// -p of a large file, load.go there): recorded before its first batch
// and removed after its last, so that a load that died half way (kill
// -9, a crash, a full disk) is known to every later command and to lab
// check, never mistaken for a finished one.
type Load struct {
	Host    string `json:"host"`
	Command string `json:"command"` // the command line to run again, e.g. "ikedb -p tunnels.xml"
	File    string `json:"file"`    // the input as the command named it
}

// BeginLoad records ld as in progress.
func BeginLoad(tx *engine.Tx, ld Load) error { return putMeta(tx.Store(), loadKey, ld) }

// EndLoad removes the record of the load in progress.
func EndLoad(tx *engine.Tx) error { return tx.Store().Meta().Delete(loadKey) }

// LoadInProgress returns the load recorded as in progress, if any.
func LoadInProgress(tx *engine.Tx) (Load, bool, error) {
	var ld Load
	ok, err := getMeta(tx.Store(), loadKey, &ld)
	return ld, ok, err
}

// InterruptedLoadError is a load that began and never ended.
type InterruptedLoadError struct{ Load Load }

func (e *InterruptedLoadError) Error() string {
	return fmt.Sprintf("%q on host %s was interrupted and stored only part of %s; run it again to finish it",
		e.Load.Command, e.Load.Host, e.Load.File)
}

// checkLoad reports a load in progress in the file db (lab check).
func checkLoad(db *store.DB) error {
	var ld Load
	var found bool
	err := db.View(func(st *store.Tx) error {
		var err error
		found, err = getMeta(st, loadKey, &ld)
		return err
	})
	if err != nil || !found {
		return err
	}
	return &InterruptedLoadError{Load: ld}
}
