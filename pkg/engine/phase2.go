package engine

import (
	"fmt"

	"github.com/ikemu/ikemu/pkg/store"
)

// Algorithms of phase 2 that phase 1 does not use, numbered as the SADB
// numbers them (the engine's Cipher and Hash are SADB numbers).
const (
	CipherAESGCM  Cipher = 20 // AES-GCM with a 16-byte ICV (SADB_X_EALG_AES_GCM_ICV16)
	CipherAESGMAC Cipher = 23 // AES-GMAC, integrity only (SADB_X_EALG_NULL_AES_GMAC)
	HashAESXCBC   Hash   = 9  // AES-XCBC-MAC-96 (SADB_X_AALG_AES_XCBC_MAC)
)

// Selector is one side of a phase 2 policy: the traffic it covers.
type Selector struct {
	// Kind says how the side was written: a host (IDIPv4, IDIPv6), a
	// subnet (IDIPv4Prefix, IDIPv6Prefix) or a range (IDIPv4Range,
	// IDIPv6Range). A group's members are hosts.
	Kind IDKind `json:"kind"`
	// Addrs are the addresses covered: one range, or one per member of
	// Group. A subnet is the range from its first to its last address.
	Addrs []AddrRange `json:"addrs"`
	// Group names the vendor group the addresses came from, if any.
	Group    string `json:"group,omitempty"`
	Port     int    `json:"port,omitempty"`     // 0: any port
	Protocol int    `json:"protocol,omitempty"` // IP protocol number; 0: any
}

// IPsecTransform is one protocol (ESP or AH) of a phase 2 proposal.
type IPsecTransform struct {
	// Cipher is ESP's encryption (CipherNone for ESP with null
	// encryption); AH has none.
	Cipher  Cipher `json:"cipher"`
	KeyBits int    `json:"key_bits,omitempty"` // 0: the cipher's default length
	// Auth is the integrity algorithm; HashNone for ciphers that bring
	// their own (AES-GCM, AES-GMAC).
	Auth         Hash   `json:"auth"`
	Transport    bool   `json:"transport,omitempty"` // transport mode; tunnel mode otherwise
	LifetimeSecs uint32 `json:"lifetime_secs"`
	LifetimeKB   uint32 `json:"lifetime_kb,omitempty"` // 0: no size limit
}

// Proposal is one phase 2 proposal: ESP, AH or both, applied together.
type Proposal struct {
	ESP *IPsecTransform `json:"esp,omitempty"`
	AH  *IPsecTransform `json:"ah,omitempty"`
}

// Phase2Policy is a phase 2 (quick mode) policy: the traffic between two
// selectors that is protected, with which proposals, negotiated under
// which phase 1 policy. An AIX IPSecTunnel with its IPSecProtection and
// proposals is one.
type Phase2Policy struct {
	Name      string     `json:"name"`
	Phase1    string     `json:"phase1"` // label of the phase 1 policy it runs under
	Local     Selector   `json:"local"`
	Remote    Selector   `json:"remote"`
	Proposals []Proposal `json:"proposals"` // in order of preference
	PFSGroup  int        `json:"pfs_group,omitempty"`
	// KeyOverlapSecs is how long before expiry the keys are refreshed.
	KeyOverlapSecs uint32 `json:"key_overlap_secs,omitempty"`
	AutoStart      bool   `json:"autostart,omitempty"`
	// Origin names the personality that defined the policy, as in
	// Phase1Policy.
	Origin string `json:"origin,omitempty"`
}

const phase2Table = "p2policy"

// ScanPhase2Policies calls fn for each phase 2 policy in the order they
// were first stored, decoding one row at a time.
func (h *Host) ScanPhase2Policies(fn func(*Phase2Policy) error) error {
	return h.b.Table(phase2Table).Scan(func(_ store.Seq, raw []byte) error {
		p, err := decodeRow[Phase2Policy](raw)
		if err != nil {
			return err
		}
		return fn(p)
	})
}

// Phase2PolicyByName returns the phase 2 policy with this name.
func (h *Host) Phase2PolicyByName(name string) (*Phase2Policy, error) {
	t := h.b.Table(phase2Table)
	seq, ok := t.Lookup(name)
	if !ok {
		return nil, Errf(CodeNotFound, "no phase 2 policy named %q", name)
	}
	p := new(Phase2Policy)
	if _, err := t.GetRow(seq, p); err != nil {
		return nil, fmt.Errorf("phase 2 policy %q: %w", name, err)
	}
	return p, nil
}

// PutPhase2Policies stores policies, each replacing the one of the same
// name in place. A name held by another origin's policy fails the whole
// put with EEXIST. Each new policy gets the lowest unused phase 2 tunnel
// number; a replaced one keeps its number.
func (h *Host) PutPhase2Policies(ps []Phase2Policy) error {
	t, err := h.b.CreateTable(phase2Table)
	if err != nil {
		return err
	}
	names := make([]string, len(ps))
	for i := range ps {
		if err := putPhase2(t, &ps[i]); err != nil {
			return err
		}
		names[i] = ps[i].Name
	}
	return h.AssignTunnelNumbers(TunnelPhase2, names)
}

func putPhase2(t *store.Table, p *Phase2Policy) error {
	seq, ok := t.Lookup(p.Name)
	if !ok {
		seq, err := t.Append(p)
		if err != nil {
			return fmt.Errorf("phase 2 policy %q: %w", p.Name, err)
		}
		return t.SetIndex(p.Name, seq)
	}
	var old Phase2Policy
	if _, err := t.GetRow(seq, &old); err != nil {
		return fmt.Errorf("phase 2 policy %q: %w", p.Name, err)
	}
	if old.Origin != p.Origin {
		return SysErr(EEXIST, fmt.Sprintf("phase 2 policy %q is taken by a %s definition", p.Name, old.Origin))
	}
	return t.PutRow(seq, p)
}

// DeletePhase2Policy removes the phase 2 policy with this name and frees
// its tunnel number.
func (h *Host) DeletePhase2Policy(name string) error {
	t := h.b.Table(phase2Table)
	seq, ok := t.Lookup(name)
	if !ok {
		return Errf(CodeNotFound, "no phase 2 policy named %q", name)
	}
	if err := t.DeleteRow(seq); err != nil {
		return err
	}
	if err := t.DeleteIndex(name); err != nil {
		return err
	}
	return h.FreeTunnelNumber(TunnelPhase2, name)
}

// DeletePhase2Policies removes every phase 2 policy of one origin.
func (h *Host) DeletePhase2Policies(origin string) error {
	var names []string
	err := h.ScanPhase2Policies(func(p *Phase2Policy) error {
		if p.Origin == origin {
			names = append(names, p.Name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := h.DeletePhase2Policy(n); err != nil {
			return err
		}
	}
	return nil
}

// Tunnel number spaces: phase 1 and phase 2 definitions are numbered
// separately (AIX numbers both from 1, spec 4.5).
const (
	TunnelPhase1 = 1
	TunnelPhase2 = 2
)

// A number table holds one row per number in use, keyed by the number
// (so a scan visits numbers in increasing order) and holding the name,
// with the name index pointing back at the number.
func tunnelTable(phase int) (string, error) {
	if phase != TunnelPhase1 && phase != TunnelPhase2 {
		return "", fmt.Errorf("tunnel numbers: no phase %d", phase)
	}
	return fmt.Sprintf("tunnum%d", phase), nil
}

// TunnelNumber returns the number of the named definition of a phase.
func (h *Host) TunnelNumber(phase int, name string) (int, bool) {
	tn, err := tunnelTable(phase)
	if err != nil {
		return 0, false
	}
	seq, ok := h.b.Table(tn).Lookup(name)
	return int(seq), ok
}

// TunnelByNumber returns the name of the definition with number n.
func (h *Host) TunnelByNumber(phase, n int) (string, bool) {
	tn, err := tunnelTable(phase)
	if err != nil || n <= 0 {
		return "", false
	}
	raw := h.b.Table(tn).GetRowRaw(store.Seq(n))
	return string(raw), raw != nil
}

// AssignTunnelNumbers gives each name that has no number yet the lowest
// positive number unused in its phase, in the order given. Numbers stay
// with their names until FreeTunnelNumber.
func (h *Host) AssignTunnelNumbers(phase int, names []string) error {
	tn, err := tunnelTable(phase)
	if err != nil {
		return err
	}
	t, err := h.b.CreateTable(tn)
	if err != nil {
		return err
	}
	var todo []string
	seen := make(map[string]bool)
	for _, n := range names {
		if _, ok := t.Lookup(n); !ok && !seen[n] {
			seen[n] = true
			todo = append(todo, n)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	used, err := usedNumbers(t)
	if err != nil {
		return err
	}
	return assignNumbers(t, used, todo)
}

// usedNumbers lists the numbers in use, in increasing order: one scan,
// however many names are then numbered.
func usedNumbers(t *store.Table) ([]store.Seq, error) {
	var used []store.Seq
	err := t.Scan(func(s store.Seq, _ []byte) error {
		used = append(used, s)
		return nil
	})
	return used, err
}

// assignNumbers walks the gaps between the used numbers, lowest first.
func assignNumbers(t *store.Table, used []store.Seq, names []string) error {
	next, i := store.Seq(1), 0
	for _, name := range names {
		for i < len(used) && used[i] == next {
			i++
			next++
		}
		if err := t.PutRowRaw(next, []byte(name)); err != nil {
			return err
		}
		if err := t.SetIndex(name, next); err != nil {
			return err
		}
		next++
	}
	return nil
}

// FreeTunnelNumber releases the number of a deleted definition, for the
// next one to take. A name without a number is not an error.
func (h *Host) FreeTunnelNumber(phase int, name string) error {
	tn, err := tunnelTable(phase)
	if err != nil {
		return err
	}
	t := h.b.Table(tn)
	seq, ok := t.Lookup(name)
	if !ok {
		return nil
	}
	if err := t.DeleteRow(seq); err != nil {
		return err
	}
	return t.DeleteIndex(name)
}
