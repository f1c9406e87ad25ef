package labwire

import (
	"errors"
	"sync"

	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/ikev1"
	"github.com/ikemu/ikemu/pkg/lab"
	"github.com/ikemu/ikemu/pkg/wire"
)

// dropTally gathers the wire's drops per host between two records, so a
// flood of garbage costs one transaction per flush, not one per datagram.
type dropTally struct {
	mu    sync.Mutex
	hosts map[string]*engine.WireDrops
}

// add counts d for host: in the statistics by its kind, and against the
// SA its cookies name (a replay or a message that was refused).
func (t *dropTally) add(host string, d wire.Drop) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.hosts == nil {
		t.hosts = map[string]*engine.WireDrops{}
	}
	w := t.hosts[host]
	if w == nil {
		w = &engine.WireDrops{}
		t.hosts[host] = w
	}
	var e engine.P1Errors
	switch d.Kind {
	case wire.DropMalformed:
		w.RX.Malformed++
		return
	case wire.DropUnknownCookie:
		w.RX.UnknownCookie++
		return
	case wire.DropReplay:
		w.RX.Replays++
		e.RXOther = 1
	default:
		w.RX.Refused++
		switch {
		case errors.Is(d.Err, ikev1.ErrUndecryptable):
			e.RXDecrypt = 1
		case errors.Is(d.Err, ikev1.ErrHashMismatch):
			e.RXHash = 1
		default:
			e.RXOther = 1
		}
	}
	if d.Header.ResponderCookie != ([8]byte{}) {
		w.CountOnSA(cookie64(d.Header.InitiatorCookie), cookie64(d.Header.ResponderCookie), e)
	}
}

// take returns and forgets what was gathered.
func (t *dropTally) take() map[string]*engine.WireDrops {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := t.hosts
	t.hosts = nil
	return m
}

// record writes what was gathered in tx, host by host.
func (t *dropTally) record(tx *engine.Tx) error {
	for host, d := range t.take() {
		h, err := tx.Host(host)
		if err != nil {
			return err
		}
		if err := h.RecordWireDrops(*d); err != nil {
			return err
		}
	}
	return nil
}

// flush records what was gathered in a transaction of its own.
func (t *dropTally) flush(l *lab.Lab) error {
	t.mu.Lock()
	empty := len(t.hosts) == 0
	t.mu.Unlock()
	if empty {
		return nil
	}
	return l.Update(t.record)
}
