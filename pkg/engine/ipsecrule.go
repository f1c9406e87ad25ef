package engine

import (
	"net/netip"
	"slices"
)

// IPsecDir is the direction bits of an IPsec policy rule, as the SPD
// numbers them.
type IPsecDir uint8

const (
	IPsecInbound  IPsecDir = 1
	IPsecOutbound IPsecDir = 2
)

// IPsecActionKind is what a rule does with its traffic, numbered as the
// SPD numbers it.
type IPsecActionKind int

const (
	IPsecDrop  IPsecActionKind = 1
	IPsecPass  IPsecActionKind = 2
	IPsecApply IPsecActionKind = 3 // protect with IPsec
)

// IPsecAlgReq is one algorithm an IPsec action asks for, with the key
// lengths it accepts (0 and 0: any; MaxBits 0xffff: no upper bound).
type IPsecAlgReq struct {
	ID      int `json:"id"` // SADB number; 0: none given
	MinBits int `json:"min,omitempty"`
	MaxBits int `json:"max,omitempty"`
}

// IPsecAction is one alternative of a rule ("or" separates them): bypass,
// drop, or IPsec with AH and/or ESP and their algorithms.
type IPsecAction struct {
	Kind    IPsecActionKind `json:"kind"`
	AH      bool            `json:"ah,omitempty"`
	ESP     bool            `json:"esp,omitempty"`
	Unique  bool            `json:"unique,omitempty"` // sa unique: one SA per flow
	AHAuth  IPsecAlgReq     `json:"ah_auth"`
	ESPEncr IPsecAlgReq     `json:"esp_encr"`
	ESPAuth IPsecAlgReq     `json:"esp_auth"`
}

// ICMPMatch narrows a rule to ICMP types and codes (Code 255: any).
type ICMPMatch struct {
	Type, TypeEnd uint8
	Code, CodeEnd uint8
}

// IPsecRule is one entry of a host's IPsec policy: Solaris's SPD, which
// ipsecconf loads from ipsecinit.conf. Index is the kernel's rule index;
// Priority orders matching (higher first).
//
// The kernel makes one policy per direction and address family of a rule
// (outbound IPv4, outbound IPv6, inbound IPv4, inbound IPv6, as they
// apply), each under the next index; ipsecconf keeps the last, Index.
// FirstIndex is the first; a rule without a direction makes none and
// keeps index 0. ipsecconf -d removes one of those policies (Gone lists
// them) and, for the index the file keeps, the text (Unsaved); the row
// goes when both are gone.
type IPsecRule struct {
	Index      uint64        `json:"index"`
	FirstIndex uint64        `json:"first_index,omitempty"`
	Priority   uint32        `json:"priority"`
	Tunnel     string        `json:"tunnel,omitempty"` // tunnel interface; "" for the global policy
	TunnelMode bool          `json:"tunnel_mode,omitempty"`
	Dir        IPsecDir      `json:"dir"`
	Protocol   int           `json:"proto,omitempty"` // 0: any
	Local      netip.Prefix  `json:"local"`           // zero: any
	Remote     netip.Prefix  `json:"remote"`
	LocalPort  int           `json:"lport,omitempty"`
	RemotePort int           `json:"rport,omitempty"`
	ICMP       *ICMPMatch    `json:"icmp,omitempty"`
	Actions    []IPsecAction `json:"actions"`
	// Text is the entry as its file gave it, which the tool keeps and
	// shows back.
	Text    string   `json:"text"`
	Gone    []uint64 `json:"gone,omitempty"`    // kernel policies deleted one by one
	Unsaved bool     `json:"unsaved,omitempty"` // the text is out of the saved view
}

// Traffic is one flow from the host's side, for policy matching.
type Traffic struct {
	Local, Remote         netip.Addr
	Protocol              int
	LocalPort, RemotePort int
}

// Matches reports whether the rule covers traffic in direction dir.
func (r *IPsecRule) Matches(t Traffic, dir IPsecDir) bool {
	if r.Dir&dir == 0 || r.Tunnel != "" || !r.inForce(dir, t.Remote.Unmap().Is6()) {
		return false
	}
	if r.Protocol != 0 && r.Protocol != t.Protocol {
		return false
	}
	if (r.LocalPort != 0 && r.LocalPort != t.LocalPort) || (r.RemotePort != 0 && r.RemotePort != t.RemotePort) {
		return false
	}
	return prefixHolds(r.Local, t.Local) && prefixHolds(r.Remote, t.Remote)
}

func prefixHolds(p netip.Prefix, a netip.Addr) bool {
	return !p.IsValid() || p.Contains(a.Unmap())
}

// IPsecPolicyEntry is one of the kernel policies of a rule: a direction
// and an address family, under its own index.
type IPsecPolicyEntry struct {
	Index uint64
	Dir   IPsecDir
	IPv6  bool
}

// KernelPolicies are the rule's kernel policies still in force, in the
// order they were made (and numbered).
func (r *IPsecRule) KernelPolicies() []IPsecPolicyEntry {
	out := r.madePolicies()
	if len(r.Gone) == 0 {
		return out
	}
	live := out[:0]
	for _, p := range out {
		if !slices.Contains(r.Gone, p.Index) {
			live = append(live, p)
		}
	}
	return live
}

// dropPolicies marks every kernel policy of the rule gone.
func (r *IPsecRule) dropPolicies() {
	for _, p := range r.KernelPolicies() {
		r.Gone = append(r.Gone, p.Index)
	}
}

// inForce reports whether the rule's policy for a direction and address
// family is still in the kernel.
func (r *IPsecRule) inForce(dir IPsecDir, v6 bool) bool {
	if len(r.Gone) == 0 {
		return true // the selectors and Dir alone decide
	}
	for _, p := range r.KernelPolicies() {
		if p.Dir == dir && p.IPv6 == v6 {
			return true
		}
	}
	return false
}

// madePolicies are every kernel policy the rule made when it was loaded.
func (r *IPsecRule) madePolicies() []IPsecPolicyEntry {
	var fams []bool // IPv6?
	switch {
	case r.Local.IsValid():
		fams = []bool{r.Local.Addr().Is6()}
	case r.Remote.IsValid():
		fams = []bool{r.Remote.Addr().Is6()}
	default:
		fams = []bool{false, true}
	}
	var out []IPsecPolicyEntry
	n := r.FirstIndex
	for _, d := range []IPsecDir{IPsecOutbound, IPsecInbound} {
		if r.Dir&d == 0 {
			continue
		}
		for _, v6 := range fams {
			out = append(out, IPsecPolicyEntry{Index: n, Dir: d, IPv6: v6})
			n++
		}
	}
	return out
}
