package lab

import (
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

// Clock is the lab clock: real time plus an offset the user moves.
type Clock struct {
	Offset time.Duration `json:"offset"`
}

const clockKey = "clock"

func clockNow(st *store.Tx) (time.Time, error) {
	var c Clock
	if _, err := st.GetMeta(clockKey, &c); err != nil {
		return time.Time{}, err
	}
	return time.Now().Add(c.Offset).Round(0), nil
}
