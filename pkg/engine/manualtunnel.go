package engine

import "net/netip"

// ManualTunnel is a manually keyed IPsec tunnel (AIX's manual tunnel):
// both ends' SAs are given, not negotiated. Src is this host's end;
// each direction has its AH and ESP SPI, algorithm and key.
type ManualTunnel struct {
	ID        uint32     `json:"id"`
	Version   int        `json:"version"`
	Src       netip.Addr `json:"src"`
	Dst       netip.Addr `json:"dst"`
	Tunnel    bool       `json:"tunnel_mode"` // false: transport
	Firewall  netip.Addr `json:"firewall,omitzero"`
	DstMask   string     `json:"dst_mask,omitempty"`
	Lifetime  uint32     `json:"lifetime_min"`
	Replay    bool       `json:"replay,omitempty"`
	NewHeader bool       `json:"new_header"`
	Out       ManualSA   `json:"out"` // sent by this host (source)
	In        ManualSA   `json:"in"`  // received (destination)
	Active    bool       `json:"active,omitempty"`
}

// ManualSA is one direction of a manual tunnel: its policy ("ea", "ae",
// "a", "e") and the AH and ESP SAs with their keys (hex digits).
type ManualSA struct {
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
	Next    uint32         `json:"next"`
	Tunnels []ManualTunnel `json:"tunnels"`
}

func manualTunnelKey(version int) string {
	if version == 6 {
		return "mantun/v6"
	}
	return "mantun/v4"
}

func (v ManualTunnels) load(version int) (manualTunnelTable, error) {
	var t manualTunnelTable
	if _, err := v.h.b.Get(manualTunnelKey(version), &t); err != nil {
		return t, errorf(ErrDamaged, "manual tunnel table v%d: %v", version, err)
	}
	return t, nil
}

// List returns version's tunnels in ID order.
func (v ManualTunnels) List(version int) ([]ManualTunnel, error) {
	t, err := v.load(version)
	return t.Tunnels, err
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
	return tun, v.h.b.Put(manualTunnelKey(tun.Version), t)
}

// Replace stores version's tunnels as given (changes, removals),
// keeping the ID counter.
func (v ManualTunnels) Replace(version int, tunnels []ManualTunnel) error {
	t, err := v.load(version)
	if err != nil {
		return err
	}
	t.Tunnels = tunnels
	return v.h.b.Put(manualTunnelKey(version), t)
}
