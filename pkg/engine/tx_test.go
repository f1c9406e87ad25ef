package engine_test

import (
	"errors"
	"testing"

	"github.com/ikemu/ikemu/pkg/engine"
)

// Hosts are decoded once per transaction; SetInfo, AddHost and
// RemoveHost in the same transaction are seen by Host and HostByAddr.
func TestTxHostCacheFollowsChanges(t *testing.T) {
	t.Parallel()
	l := newTestLab(t)
	l.addHost("a", "10.0.0.1")
	l.update(func(tx *engine.Tx) error {
		owner := func(a string) string { n, _ := tx.HostByAddr(addr(a)); return n }
		if got := owner("10.0.0.1"); got != "a" {
			t.Errorf("owner of 10.0.0.1: %q", got)
		}
		h, err := tx.Host("a")
		if err != nil {
			return err
		}
		// Info.Addrs is shared with the cache, read-only; an append
		// makes a caller's copy.
		grown := append(h.Info.Addrs, addr("10.9.9.9"))
		grown[0] = addr("10.9.9.8")
		h.Info.PKCS11 = "changed"
		if h2, _ := tx.Host("a"); len(h2.Info.Addrs) != 1 || h2.Info.Addrs[0] != addr("10.0.0.1") || h2.Info.PKCS11 != "" {
			t.Errorf("cached record changed through a Host: %+v", h2.Info)
		}
		if err := h.SetInfo(engine.HostInfo{Addrs: []netipAddr{addr("10.0.0.5")}}); err != nil {
			return err
		}
		if got := owner("10.0.0.1"); got != "" {
			t.Errorf("old address still owned by %q", got)
		}
		if got := owner("10.0.0.5"); got != "a" {
			t.Errorf("owner of the new address: %q", got)
		}
		if h2, _ := tx.Host("a"); h2.Info.Addrs[0] != addr("10.0.0.5") {
			t.Errorf("Host after SetInfo: %v", h2.Info.Addrs)
		}
		if _, err := addHostTx(tx, "b", "10.0.0.2"); err != nil {
			return err
		}
		if got := owner("10.0.0.2"); got != "b" {
			t.Errorf("owner of an added host's address: %q", got)
		}
		if err := tx.RemoveHost("b"); err != nil {
			return err
		}
		if got := owner("10.0.0.2"); got != "" {
			t.Errorf("removed host still owns its address: %q", got)
		}
		if _, err := tx.Host("b"); !errors.Is(err, engine.ErrNoHost) {
			t.Errorf("removed host opened: %v", err)
		}
		return nil
	})
}
