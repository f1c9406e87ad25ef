package engine

import (
	"net/netip"
	"slices"
	"time"

	"github.com/ikemu/ikemu/pkg/store"
)

// HostInfo describes an emulated host of the lab.
type HostInfo struct {
	Name  string       `json:"name"`
	Addrs []netip.Addr `json:"addrs"`
	// PKCS11 is the host's real PKCS#11 module (ikemu host set --pkcs11).
	PKCS11 string `json:"pkcs11,omitempty"`
}

// Owns reports whether the host has address a.
func (h HostInfo) Owns(a netip.Addr) bool {
	return slices.Contains(h.Addrs, a.Unmap())
}

// Host is one host inside a transaction. Its state is reached through
// focused views, each a small value over the same bucket: SAs, Policies,
// Keys, Tunnels, Daemons and Certs. Negotiation (Acquire, QuickMode)
// works across them and stays on Host.
type Host struct {
	tx   *Tx
	b    *store.Bucket
	Info HostInfo
}

// Now is the lab time of the transaction.
func (h *Host) Now() time.Time { return h.tx.now }

// SetInfo replaces the host's description (name excluded).
func (h *Host) SetInfo(info HostInfo) error {
	info.Name = h.Info.Name
	h.Info = info
	h.tx.cache.dropHosts()
	return hostInfoRecord().put(h.b, &info)
}

// Tx is the transaction the host was opened in.
func (h *Host) Tx() *Tx { return h.tx }
