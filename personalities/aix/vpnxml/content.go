package vpnxml

import (
	"encoding/xml"
	"strings"
)

// Identity element types allowed in each place (spec 4.2 and IBM's group
// documentation): phase 1 identities are addresses or names, phase 2
// identities are addresses, subnets or ranges, groups hold hosts and names,
// and only a remote identity may be a group.
var (
	phase1IDs       = []IDType{IPv4Address, IPv6Address, FQDN, UserFQDN, X500DN, KeyID}
	phase1RemoteIDs = append(phase1IDs[:len(phase1IDs):len(phase1IDs)], GroupRef)
	phase2IDs       = []IDType{IPv4Address, IPv6Address, IPv4Subnet, IPv6Subnet, IPv4AddressRange, IPv6AddressRange}
	phase2RemoteIDs = append(phase2IDs[:len(phase2IDs):len(phase2IDs)], GroupRef)
	groupMemberIDs  = []IDType{IPv4Address, IPv6Address, FQDN, UserFQDN, X500DN}
)

// slot is one position of a content model: the child elements that may fill
// it and how many times. max 0 means unbounded.
type slot struct {
	label    string // how messages name the slot
	names    []string
	min, max int
}

// model is a sequence of slots, the shape of every content model in the DTD.
type model []slot

func idSlot(label string, types []IDType, min, max int) slot {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	return slot{label: label, names: names, min: min, max: max}
}

func one(name string) slot { return slot{label: name, names: []string{name}, min: 1, max: 1} }

var definitionNames = []string{"IKEProtection", "IKETunnel", "IKEPresharedKey", "IKEGroup",
	"IPSecProposal", "IPSecProtection", "IPSecTunnel"}

// Content models of the elements with children. Elements not listed are
// EMPTY. IPSecProposal additionally needs ESP or AH (checked by the parser).
var (
	rootModel          = model{{label: "definition", names: definitionNames}}
	ikeProtectionModel = model{{label: "IKETransform", names: []string{"IKETransform"}, min: 1}}
	ikeTunnelModel     = model{one("IKELocalIdentity"), one("IKERemoteIdentity")}
	ikeLocalModel      = model{idSlot("identity element", phase1IDs, 1, 1)}
	ikeRemoteModel     = model{idSlot("identity element", phase1RemoteIDs, 1, 1)}
	presharedKeyModel  = model{one("PresharedKeyIdentity")}
	keyIdentityModel   = model{idSlot("identity element", phase1IDs, 1, 1)}
	ikeGroupModel      = model{idSlot("member identity", groupMemberIDs, 1, 0)}
	proposalModel      = model{{label: "IPSecESPProtocol", names: []string{"IPSecESPProtocol"}, max: 1},
		{label: "IPSecAHProtocol", names: []string{"IPSecAHProtocol"}, max: 1}}
	ipsecTunnelModel = model{one("IPSecLocalIdentity"), one("IPSecRemoteIdentity")}
	ipsecLocalModel  = model{idSlot("identity element", phase2IDs, 1, 1)}
	ipsecRemoteModel = model{idSlot("identity element", phase2RemoteIDs, 1, 1)}
)

// elementNames is every element of the vocabulary, to tell a misplaced
// element from an unknown one.
var elementNames = []string{"AIX_VPN", "IKEProtection", "IKETransform", "IKETunnel",
	"IKELocalIdentity", "IKERemoteIdentity", "IKEPresharedKey", "PresharedKeyIdentity",
	"IKEGroup", "IKEGroupRef", "IPSecProposal", "IPSecESPProtocol", "IPSecAHProtocol",
	"IPSecProtection", "IPSecTunnel", "IPSecLocalIdentity", "IPSecRemoteIdentity",
	"IPV4_Address", "IPV6_Address", "IPV4_Subnet", "IPV6_Subnet", "IPV4_Address_Range",
	"IPV6_Address_Range", "FQDN", "User_FQDN", "X500DN", "KeyID"}

// matcher walks a model as children arrive.
type matcher struct {
	m     model
	cur   int // slot being filled
	count int // children in the current slot
}

func (m *matcher) slotOf(name string) int {
	for i, s := range m.m {
		for _, n := range s.names {
			if n == name {
				return i
			}
		}
	}
	return -1
}

// accept takes the next child and returns why it does not fit, or "".
func (m *matcher) accept(n xml.Name) string {
	name := n.Local
	if n.Space != "" {
		name = n.Space + ":" + n.Local
	}
	i := m.slotOf(name)
	switch {
	case i < 0 && !isElementName(name):
		return "unknown element " + name
	case i < 0:
		return "element " + name + " is not allowed here"
	case i < m.cur:
		return "element " + name + " must come before " + m.m[m.cur].label
	case i > m.cur:
		if msg := m.missing(m.cur, i); msg != "" {
			return msg
		}
		m.cur, m.count = i, 0
	}
	m.count++
	if s := m.m[i]; s.max > 0 && m.count > s.max {
		return "more than one " + s.label
	}
	return ""
}

// missing reports the first slot in [from, to) still short of its minimum.
func (m *matcher) missing(from, to int) string {
	for i := from; i < to; i++ {
		have := 0
		if i == m.cur {
			have = m.count
		}
		if have < m.m[i].min {
			return "missing " + m.m[i].label
		}
	}
	return ""
}

// finish reports the first required child that never came.
func (m *matcher) finish() string { return m.missing(m.cur, len(m.m)) }

func isElementName(name string) bool {
	for _, n := range elementNames {
		if n == name {
			return true
		}
	}
	return false
}

// dtdModel renders a model as a DTD content model; the DTD test compares it
// with the embedded DTD.
func (m model) dtdModel() string {
	if len(m) == 0 {
		return "EMPTY"
	}
	if len(m) == 1 && len(m[0].names) > 1 {
		// a lone choice keeps its occurrence mark outside: (a|b)*
		return "(" + strings.Join(m[0].names, "|") + ")" + m[0].occurrence()
	}
	parts := make([]string, len(m))
	for i, s := range m {
		p := strings.Join(s.names, "|")
		if len(s.names) > 1 {
			p = "(" + p + ")"
		}
		parts[i] = p + s.occurrence()
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// occurrence is the DTD mark for the slot's cardinality.
func (s slot) occurrence() string {
	switch {
	case s.min == 0 && s.max == 0:
		return "*"
	case s.min == 0:
		return "?"
	case s.max == 0:
		return "+"
	}
	return ""
}
