package engine

import "net/netip"

// FilterAction is what a packet filter rule does with the packets it
// matches; FilterPlacement marks where the rules of negotiated tunnels
// go in the table (AIX's dynamic filter placement rule).
type FilterAction string

// The filter actions.
const (
	FilterPermit    FilterAction = "permit"
	FilterDeny      FilterAction = "deny"
	FilterIf        FilterAction = "if"
	FilterElse      FilterAction = "else"
	FilterEndif     FilterAction = "endif"
	FilterShunHost  FilterAction = "shun_host"
	FilterShunPort  FilterAction = "shun_port"
	FilterPlacement FilterAction = "placement"
)

// PortMatch compares a packet's port (or ICMP type or code) with Port:
// Op is any, eq, neq, lt, le, gt or ge.
type PortMatch struct {
	Op   string `json:"op"`
	Port uint16 `json:"port"`
}

// FilterRule is one rule of a host's packet filter table: selectors,
// where and which way it applies, and what it does.
type FilterRule struct {
	Action      FilterAction `json:"action"`
	Src         netip.Addr   `json:"src"`
	SrcMask     netip.Addr   `json:"src_mask"` // IPv4: a dotted mask; IPv6: unused, see SrcBits
	SrcBits     int          `json:"src_bits,omitempty"`
	Dst         netip.Addr   `json:"dst"`
	DstMask     netip.Addr   `json:"dst_mask"`
	DstBits     int          `json:"dst_bits,omitempty"`
	SourceRoute bool         `json:"source_route"`
	Protocol    string       `json:"protocol"` // a name (udp, tcp/ack, all) or a number
	SrcPort     PortMatch    `json:"src_port"`
	DstPort     PortMatch    `json:"dst_port"`
	Scope       string       `json:"scope"`     // route, local or both
	Direction   string       `json:"direction"` // inbound, outbound or both
	Log         bool         `json:"log"`
	Fragment    string       `json:"fragment"` // Y, N, O or H
	TunnelID    uint32       `json:"tunnel_id"`
	Interface   string       `json:"interface"`
	AutoGen     bool         `json:"auto_generated,omitempty"`
	Expiration  uint32       `json:"expiration,omitempty"` // seconds, 0 for none
	Description string       `json:"description,omitempty"`
}

// FilterTable is one IP version's filter table: the rules in order (IDs
// 1..n are positions), the default rule (ID 0) that applies when none
// does, and the state of the kernel's copy.
type FilterTable struct {
	Rules   []FilterRule `json:"rules"`
	Default FilterRule   `json:"default"`
	// Active is the copy the kernel uses, loaded by activation; nil
	// while the rules are not active.
	Active  []FilterRule `json:"active,omitempty"`
	Logging bool         `json:"logging,omitempty"`
	// ActiveDefault is the kernel's default action while active.
	ActiveDefault FilterAction `json:"active_default,omitempty"`
}
