package engine

import (
	"fmt"
	"net/netip"
)

// ManualTunnel is a manually keyed IPsec tunnel (AIX's manual tunnel):
// both ends' SAs are given, not negotiated. Src is this host's end;
// each direction has its AH and ESP SPI, algorithm and key.
type ManualTunnel struct {
	ID        uint32         `json:"id"`
	Version   int            `json:"version"`
	Src       netip.Addr     `json:"src"`
	Dst       netip.Addr     `json:"dst"`
	Tunnel    bool           `json:"tunnel_mode"` // false: transport
	Firewall  netip.Addr     `json:"firewall,omitzero"`
	DstMask   string         `json:"dst_mask,omitempty"`
	Lifetime  uint32         `json:"lifetime_min"`
	Replay    bool           `json:"replay,omitempty"`
	NewHeader bool           `json:"new_header"`
	Out       ManualTunnelSA `json:"out"` // sent by this host (source)
	In        ManualTunnelSA `json:"in"`  // received (destination)
	Active    bool           `json:"active,omitempty"`
}

// ManualTunnelSA is one direction of a manual tunnel: its policy ("ea", "ae",
// "a", "e") and the AH and ESP SAs with their keys (hex digits).
type ManualTunnelSA struct {
	Policy string `json:"policy"`
	AHSPI  uint32 `json:"ah_spi"`
	AHAlg  string `json:"ah_alg"`
	AHKey  string `json:"ah_key"`
	ESPSPI uint32 `json:"esp_spi"`
	ESPAlg string `json:"esp_alg"`
	ESPKey string `json:"esp_key"`
	MACAlg string `json:"mac_alg,omitempty"` // ESP authentication, new header format
	MACKey string `json:"mac_key,omitempty"`
}

// ManualTunnels is a host's manual tunnel table: one JSON record per IP
// version, tunnels in ID order, IDs never reused.
type ManualTunnels struct{ h *Host }

// ManualTunnels is the host's manual tunnel table.
func (h *Host) ManualTunnels() ManualTunnels { return ManualTunnels{h} }

type manualTunnelTable struct {
	Next    uint32           `json:"next"`
	Tunnels []ManualTunnel   `json:"tunnels"`
	Stats   TunnelCacheStats `json:"stats"`
}

// TunnelCacheStats count the kernel tunnel cache's entries for manual
// tunnels: added on activation, deleted on deactivation.
type TunnelCacheStats struct {
	Added   uint64 `json:"added"`
	Deleted uint64 `json:"deleted"`
}

func manualTunnelKey(version int) string {
	if version == 6 {
		return "mantun/v6"
	}
	return "mantun/v4"
}

func (v ManualTunnels) load(version int) (manualTunnelTable, error) {
	var t manualTunnelTable
	if _, err := manualTunnelRecord(version).get(v.h.b, &t); err != nil {
		return t, fmt.Errorf("manual tunnel table v%d: %w", version, err)
	}
	return t, nil
}

// List returns version's tunnels in ID order.
func (v ManualTunnels) List(version int) ([]ManualTunnel, error) {
	t, err := v.load(version)
	return t.Tunnels, err
}

// NextID is the ID the next tunnel of version will get.
func (v ManualTunnels) NextID(version int) (uint32, error) {
	t, err := v.load(version)
	return max(t.Next, 1), err
}

// Add stores tun under the next ID (from 1) and returns it.
func (v ManualTunnels) Add(tun ManualTunnel) (ManualTunnel, error) {
	t, err := v.load(tun.Version)
	if err != nil {
		return tun, err
	}
	t.Next = max(t.Next, 1)
	tun.ID = t.Next
	t.Next++
	t.Tunnels = append(t.Tunnels, tun)
	return tun, manualTunnelRecord(tun.Version).put(v.h.b, &t)
}

// Stats are version's tunnel cache counters.
func (v ManualTunnels) Stats(version int) (TunnelCacheStats, error) {
	t, err := v.load(version)
	return t.Stats, err
}

// Replace stores version's tunnels as given (changes, removals),
// keeping the ID counter; each tunnel that became active or inactive
// counts as a tunnel cache entry added or deleted.
func (v ManualTunnels) Replace(version int, tunnels []ManualTunnel) error {
	t, err := v.load(version)
	if err != nil {
		return err
	}
	was := map[uint32]bool{}
	for _, old := range t.Tunnels {
		was[old.ID] = old.Active
	}
	now := map[uint32]bool{}
	for _, n := range tunnels {
		now[n.ID] = n.Active
		if n.Active && !was[n.ID] {
			t.Stats.Added++
		}
	}
	for id, active := range was {
		if active && !now[id] {
			t.Stats.Deleted++
		}
	}
	t.Tunnels = tunnels
	return manualTunnelRecord(version).put(v.h.b, &t)
}
